// Where a V8 heap snapshot's bytes are, by owner: each object's own size counted under the path of
// property names by which a breadth-first walk from the snapshot's root first reached it (element
// indexes as [], V8's internal links as #name). Objects under a file's facts (an array of FileFacts:
// the first FileFacts field on the path, `functions`, `bindings`, ...) are counted as `FACTS field.sub...`.
// This is first-retainer attribution, not retained size: a value two owners hold counts under the
// one the walk met first (the type model's `order` holds the facts' own `structs[].fields` arrays,
// so they count under it), but it is cheap on a snapshot of a whole kernel's cold index.
// Usage: node --max-old-space-size=20000 bench/heap-owners.mjs FILE.heapsnapshot [DEPTH] [FILTER]
// DEPTH: how many names of each path to keep (default 2); FILTER: only the paths holding this text.
// Snapshot a cold index with v8.writeHeapSnapshot() at the point studied (the `pathfind index`
// second process has gc exposed: call gc() first). A whole Linux 6.1 x86 tree in resolve: 2.6 GB
// file, 25.8 million nodes, some 12 GB resident while it is written (3 min), 1 min to read here.
// The snapshot is read as bytes, not as one JSON text (over V8's longest string); Buffer.indexOf
// past 2 GiB returns a wrong offset in Node 20, so each search starts on a subarray.
// Measured (main at 2002806, whole Linux 6.1 x86 tree, snapshot after gc() where bindThroughFunctions
// returns in resolve/resolve.ts, i.e. as the indirect sites start; 1,654 MiB counted, array buffers
// included): the facts 875 MiB (functions 518: their calls 261, the calls' args 58, argMembers 31,
// refs 15, signatures 56, params 22; bindings 197: their text 40, path 16; globals 46, macros 31,
// invocations 24, includes 22), the type model 210 (returns 54, fields 42, order 40, byField 29,
// fileReturns 20: first-retainer counts), the binding record 145 (flow.copies 60, conEvidence 30),
// the edge list 140 (columns reserved at twice the direct edges), the code index 88 (string ids 28),
// the binding table 50, the build model 34 (its Kconfig values 23 on a subset), the condition parse
// cache 15, the type-read record 14. At the end of resolve the same, the edges' evidence lines added.
import { fstatSync, openSync, readSync } from 'node:fs';

const [file, depthArg, filter] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --max-old-space-size=20000 bench/heap-owners.mjs FILE.heapsnapshot [DEPTH] [FILTER]');
  process.exit(2);
}
const depth = Number(depthArg ?? 2);
const fd = openSync(file, 'r');
const size = fstatSync(fd).size;
const buf = Buffer.allocUnsafe(size);
for (let off = 0; off < size; ) off += readSync(fd, buf, off, Math.min(1 << 30, size - off), off);
const find = (text, from = 0) => {
  const at = buf.subarray(from).indexOf(text, 0, 'latin1');
  return at < 0 ? at : at + from;
};

/** The `count` unsigned integers of the JSON array whose first digit is at or after `at`. */
function ints(at, count) {
  const out = new Uint32Array(count);
  let [i, v, inNumber] = [0, 0, false];
  for (let p = at; ; p++) {
    const c = buf[p];
    if (c >= 48 && c <= 57) [v, inNumber] = [v * 10 + (c - 48), true];
    else {
      if (inNumber) [out[i++], v, inNumber] = [v, 0, false];
      if (c === 93) break;
    }
  }
  if (i !== count) throw new Error(`read ${i} numbers, not ${count}`);
  return out;
}

const nodesAt = find('"nodes":[');
const head = JSON.parse(buf.toString('latin1', 0, buf.lastIndexOf('}', nodesAt) + 1) + '}').snapshot;
const meta = head.meta;
const [nf, ef] = [meta.node_fields.length, meta.edge_fields.length];
const N = ints(nodesAt + 9, head.node_count * nf);
const edgesAt = find('"edges":[', nodesAt);
const E = ints(edgesAt + 9, head.edge_count * ef);
const strings = [];
for (let p = find('"strings":[', edgesAt) + 11; ; ) {
  while (buf[p] !== 34 && buf[p] !== 93) p++;
  if (buf[p] === 93) break;
  let q = p + 1;
  let escaped = false;
  while (buf[q] !== 34) {
    if (buf[q] === 92) [escaped, q] = [true, q + 2];
    else q++;
  }
  strings.push(escaped ? JSON.parse(buf.toString('utf8', p, q + 1)) : buf.toString('utf8', p + 1, q));
  p = q + 1;
}

const [nodeTypes, edgeTypes] = [meta.node_types[0], meta.edge_types[0]];
const n = N.length / nf;
const [TYPE, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
const firstEdge = new Float64Array(n + 1);
for (let i = 0, e = 0; i < n; i++) [firstEdge[i], e] = [e, e + N[i * nf + EDGES] * ef];
firstEdge[n] = E.length;
// Breadth-first from the root over strong links: each node's first retainer and the link's name.
const ELEMENT = -2;
const INTERNAL = -10; // INTERNAL - string index: an internal link's name
const parent = new Int32Array(n).fill(-1);
const link = new Int32Array(n).fill(-1);
const [weak, shortcut, internal, element, hidden] = ['weak', 'shortcut', 'internal', 'element', 'hidden'].map((t) => edgeTypes.indexOf(t));
const queue = new Int32Array(n);
let [qHead, qTail] = [0, 0];
queue[qTail++] = 0;
parent[0] = 0;
while (qHead < qTail) {
  const x = queue[qHead++];
  for (let e = firstEdge[x]; e < firstEdge[x + 1]; e += ef) {
    const [type, to] = [E[e], E[e + 2] / nf];
    if (type === weak || type === shortcut || parent[to] !== -1) continue;
    parent[to] = x;
    link[to] = type === element || type === hidden ? ELEMENT : type === internal ? INTERNAL - E[e + 1] : E[e + 1];
    queue[qTail++] = to;
  }
}

const nameOf = (l) => (l === ELEMENT ? '[]' : l <= INTERNAL ? `#${strings[INTERNAL - l]}` : strings[l]);
const FACT_FIELDS = new Set(['functions', 'macros', 'structs', 'typedefs', 'globals', 'prototypes', 'bindings', 'includes', 'registrations', 'invocations', 'defines', 'fieldAliases', 'aliasMacros', 'hash', 'unreadable']);
const byOwner = new Map();
const byType = new Map();
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
let total = 0;
for (let i = 0; i < n; i++) {
  const bytes = N[i * nf + SIZE];
  total += bytes;
  const type = nodeTypes[N[i * nf + TYPE]];
  add(byType, type === 'object' || type === 'native' ? `${type} ${strings[N[i * nf + NAME]].slice(0, 40)}` : type, bytes);
  if (parent[i] === -1) {
    add(byOwner, '(not reached)', bytes);
    continue;
  }
  const path = [];
  for (let x = i; x !== 0 && path.length < 40; x = parent[x]) path.push(nameOf(link[x]));
  path.reverse();
  const at = path.findIndex((p) => FACT_FIELDS.has(p));
  const key = at >= 0 ? `FACTS ${path.slice(at).filter((p) => p !== '[]' && !p.startsWith('#')).slice(0, depth).join('.')}` : path.filter((p) => p !== '[]').slice(0, depth).join('.');
  if (!filter || key.includes(filter)) add(byOwner, key, bytes);
}
const mib = (b) => (b / 1048576).toFixed(1).padStart(8);
console.log(`${mib(total)} MiB in ${n} nodes`);
console.log('--- by type (MiB)');
for (const [k, v] of [...byType].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(mib(v), k);
console.log('--- by owner (MiB)');
for (const [k, v] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 80)) console.log(mib(v), k);
