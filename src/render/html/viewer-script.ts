import { pathList } from '../path-list.js';

/**
 * The HTML viewer's own script, run in the page after svg-pan-zoom. It reads the picture from
 * `<script id="pf-data" type="application/json">` (the shape ViewerData in render-html.ts
 * describes) and finds each node's and edge's drawn shape by its synthetic id (`n17`, `e3`),
 * which Graphviz keeps as the `id` of the shape's `<g>`.
 *
 * Every string from C sources reaches the page through textContent, setAttribute or a link's
 * href (built and checked by the renderer), never through innerHTML.
 *
 * Opens fitted to the window, or, when that makes labels too small to read (a long path, a deep
 * tree), at a readable size at the start or root, saying so in the status line (Fit shows the whole).
 * Search (Enter cycles through matches), click or Enter on a node (highlights its callers and
 * callees and opens the side panel), Esc (clears), one toggle per path, and Copy as chain.
 */
export const VIEWER_SCRIPT = String.raw`(function () {
'use strict';
var data = JSON.parse(document.getElementById('pf-data').textContent);
var LIMIT = 20;
var graph = document.getElementById('pf-graph');
var svg = graph.querySelector('svg');
var side = document.getElementById('pf-side');
var search = document.getElementById('pf-search');
var status = document.getElementById('pf-status');
var chainBox = document.getElementById('pf-chain');
var nodes = {}, edges = {}, outEdges = {}, inEdges = {};
data.nodes.forEach(function (n) { nodes[n.id] = n; outEdges[n.id] = []; inEdges[n.id] = []; });
data.edges.forEach(function (e) { edges[e.id] = e; outEdges[e.from].push(e); inEdges[e.to].push(e); });
function shape(id) { var el = svg && svg.getElementById ? svg.getElementById(id) : null; return el || null; }
function el(tag, text, cls) { var x = document.createElement(tag); if (text != null) x.textContent = text; if (cls) x.className = cls; return x; }

// A node label's height in CSS pixels below which a fitted picture is too small to read, and the
// font size, in CSS pixels, it then opens at (the page's own; labels are then about 15 px high).
var READABLE_LABEL = 12, OPEN_FONT = 14, MAX_ZOOM = 40;
var panZoom = null;
if (svg && typeof window.svgPanZoom === 'function') {
  panZoom = window.svgPanZoom(svg, { zoomEnabled: true, controlIconsEnabled: false, fit: true, center: true, minZoom: 0.05, maxZoom: MAX_ZOOM, dblClickZoomEnabled: false });
}
// Zoom buttons rather than svg-pan-zoom's drawn icons, so the keyboard reaches them too.
[['pf-zoom-in', function () { panZoom.zoomIn(); }], ['pf-zoom-out', function () { panZoom.zoomOut(); }],
 ['pf-fit', function () { panZoom.resize(); panZoom.fit(); panZoom.center(); if (status.textContent === openNote) status.textContent = ''; }]].forEach(function (b) {
  var x = document.getElementById(b[0]);
  if (x && panZoom) x.addEventListener('click', b[1]); else if (x) x.disabled = true;
});
function reveal(id) {
  var s = shape(id); if (!s || !panZoom) return;
  var r = s.getBoundingClientRect(), g = graph.getBoundingClientRect();
  panZoom.panBy({ x: g.left + g.width / 2 - (r.left + r.width / 2), y: g.top + g.height / 2 - (r.top + r.height / 2) });
  // Zoom in until the node is readable (about 28 pixels high), keeping it in the middle.
  if (r.height > 0 && r.height < 28) panZoom.zoomAtPointBy(28 / r.height, { x: g.width / 2, y: g.height / 2 });
}

// Tab order follows the picture, not the ids: the node shapes are moved in the document into
// drawn order, rank by rank (TB: by the centre's y, then x; LR: by x, then y), where the first
// node shape was. Nodes do not overlap, so the drawing does not change.
(function () {
  var groups = data.nodes.map(function (n) { return shape(n.id); }).filter(Boolean);
  if (!groups.length) return;
  var parent = groups[0].parentNode;
  if (!groups.every(function (g) { return g.parentNode === parent; })) return;
  var lr = data.rankdir === 'LR';
  var at = groups.map(function (g) {
    var r = g.getBoundingClientRect(), x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
    return { g: g, rank: lr ? x : y, across: lr ? y : x };
  });
  at.sort(function (a, b) { return a.rank - b.rank || a.across - b.across; });
  var first = groups.filter(function (g) { return !groups.some(function (h) { return h !== g && (h.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_PRECEDING); }); })[0];
  var mark = document.createComment(''); parent.insertBefore(mark, first);
  at.forEach(function (p) { parent.insertBefore(p.g, mark); });
  parent.removeChild(mark);
})();

// A picture whose labels fitting makes too small to read (a long path, a deep tree) opens at a
// readable size at its start, or its root, wherever it is drawn (a callers tree: at the bottom).
var openNote = '';
(function () {
  var id = role('start') || role('root'), s = id ? shape(id) : null, label = s ? s.querySelector('text') : null;
  if (!panZoom || !label) return;
  var h = label.getBoundingClientRect().height;
  if (!(h > 0) || h >= READABLE_LABEL) return;
  // The zoom from the font's drawn size (a text box's height is rounded to whole pixels when small).
  var ctm = label.getScreenCTM(), font = parseFloat(label.getAttribute('font-size')) * (ctm ? Math.abs(ctm.a) : 0);
  var f = font > 0 ? OPEN_FONT / font : OPEN_FONT / h, zoom = panZoom.getZoom();
  var o = svg.getBoundingClientRect(), g = graph.getBoundingClientRect(), r = s.getBoundingClientRect();
  var d = svg.querySelector('.svg-pan-zoom_viewport').getBoundingClientRect(), pan = panZoom.getPan();
  var lr = data.rankdir === 'LR';
  // Where a point drawn at client coordinate x on an axis is, from the SVG's corner, once zoomed by f (before panning).
  function scaled(axis, x) { return (x - o[axis.start] - pan[axis.xy]) * f; }
  var along = lr ? { start: 'left', end: 'right', xy: 'x' } : { start: 'top', end: 'bottom', xy: 'y' };
  var across = lr ? { start: 'top', end: 'bottom', xy: 'y' } : { start: 'left', end: 'right', xy: 'x' };
  var centre = (r[along.start] + r[along.end]) / 2, atStart = centre - d[along.start] <= d[along.end] - centre;
  // The drawing's near edge (its title, the start's cluster) at the area's edge, unless that leaves the node out.
  var to = {};
  if (atStart) {
    to[along.xy] = g[along.start] - o[along.start] - scaled(along, d[along.start]);
    if (o[along.start] + to[along.xy] + scaled(along, r[along.end]) > g[along.end]) to[along.xy] = g[along.start] + 8 - o[along.start] - scaled(along, r[along.start]);
  } else {
    to[along.xy] = g[along.end] - o[along.start] - scaled(along, d[along.end]);
    if (o[along.start] + to[along.xy] + scaled(along, r[along.start]) < g[along.start]) to[along.xy] = g[along.end] - 8 - o[along.start] - scaled(along, r[along.end]);
  }
  to[across.xy] = (g[across.start] + g[across.end]) / 2 - o[across.start] - scaled(across, (r[across.start] + r[across.end]) / 2);
  panZoom.setMaxZoom(Math.max(MAX_ZOOM, zoom * f * 4));
  panZoom.zoom(zoom * f);
  panZoom.pan(to);
  openNote = 'At a readable size from the ' + (role('start') ? 'start of the path' : 'root') + '; Fit shows the whole picture';
  status.textContent = openNote;
})();

// Nodes are keyboard targets: Tab reaches them, Enter or Space selects.
data.nodes.forEach(function (n) {
  var s = shape(n.id); if (!s) return;
  s.setAttribute('tabindex', '0');
  s.setAttribute('role', 'button');
  s.setAttribute('aria-label', n.summary ? n.summary.text : n.name);
  s.addEventListener('click', function (ev) { ev.preventDefault(); ev.stopPropagation(); select(n.id); });
  s.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(n.id); } });
});

function clearClasses(names) {
  names.forEach(function (c) { Array.prototype.forEach.call(svg.querySelectorAll('.' + c), function (x) { x.classList.remove(c); }); });
}
var selected = null;
function select(id) {
  var n = nodes[id]; if (!n) return;
  clearClasses(['pf-selected', 'pf-hl']);
  selected = id;
  graph.classList.add('pf-dim');
  var s = shape(id); if (s) s.classList.add('pf-selected');
  outEdges[id].concat(inEdges[id]).forEach(function (e) {
    [e.id, e.from, e.to].forEach(function (x) { var t = shape(x); if (t) t.classList.add('pf-hl'); });
  });
  showPanel(n);
}
function clearAll() {
  selected = null;
  graph.classList.remove('pf-dim');
  clearClasses(['pf-selected', 'pf-hl', 'pf-match', 'pf-current']);
  side.hidden = true;
  search.value = ''; matches = []; current = -1; status.textContent = '';
}

function place(file, line, href) {
  var text = file + (line ? ':' + line : '');
  if (!href) return el('span', text);
  var a = el('a', text); a.setAttribute('href', href); a.setAttribute('target', '_blank'); a.setAttribute('rel', 'noopener noreferrer');
  return a;
}
function nodeButton(id) {
  var b = el('button', nodes[id].summary ? nodes[id].summary.text : nodes[id].name, 'pf-node-link');
  b.type = 'button';
  b.addEventListener('click', function () { select(id); reveal(id); });
  return b;
}
function edgeItem(e, other, arrow) {
  var li = el('li');
  li.setAttribute('data-edge', e.id);
  li.appendChild(el('span', arrow + ' '));
  li.appendChild(nodeButton(other));
  li.appendChild(el('span', ' ' + e.kind + (e.member ? ' .' + e.member : '') + (e.deferred ? ' (deferred)' : '') + (e.unbuiltBinding ? ' (' + e.unbuiltBinding + ')' : ''), 'pf-kind'));
  if (e.file) { li.appendChild(el('span', ' at ')); li.appendChild(place(e.file, e.line, e.href)); }
  if (e.targets) li.appendChild(el('span', 'one of ' + e.targets.toLocaleString('en-US') + ' targets' + (e.via ? ' of ' + e.via : ''), 'pf-evidence'));
  if (e.evidence) {
    var ev = el('span', e.evidence + (e.moreEvidence ? ' (+' + e.moreEvidence + ' more)' : ''), 'pf-evidence');
    li.appendChild(ev);
  }
  return li;
}
function edgeList(title, list, otherEnd, arrow) {
  var frag = document.createDocumentFragment();
  frag.appendChild(el('h3', title + ' (' + list.length + ')'));
  var ul = el('ul');
  list.slice(0, LIMIT).forEach(function (e) { ul.appendChild(edgeItem(e, e[otherEnd], arrow)); });
  if (list.length > LIMIT) ul.appendChild(el('li', '+' + (list.length - LIMIT) + ' more'));
  frag.appendChild(ul);
  return frag;
}
function showPanel(n) {
  side.textContent = '';
  var close = el('button', 'Close (Esc)'); close.type = 'button'; close.id = 'pf-close';
  close.addEventListener('click', clearAll);
  side.appendChild(close);
  side.appendChild(el('h2', n.summary ? n.summary.text : n.name));
  var def = el('p'); def.id = 'pf-def';
  if (n.summary) def.textContent = 'Stands for ' + n.summary.count + ' nodes left out.';
  else if (n.external) def.textContent = 'External: called, but defined in no indexed file.';
  else if (n.file) { def.appendChild(el('span', (n.macro ? 'Macro' : 'Defined') + ' at ')); def.appendChild(place(n.file, n.line, n.href)); }
  side.appendChild(def);
  if (n.role) side.appendChild(el('p', 'Role: ' + n.role));
  if (n.cut) side.appendChild(el('p', 'Cut: it has edges this picture does not show.'));
  if (n.notBuilt) side.appendChild(el('p', n.notBuilt.charAt(0).toUpperCase() + n.notBuilt.slice(1) + '.', 'pf-not-built'));
  if (n.signature) { var p = el('p'); p.appendChild(el('code', n.signature)); p.id = 'pf-sig'; side.appendChild(p); }
  side.appendChild(edgeList('Calls', outEdges[n.id], 'to', '\u2192'));
  side.appendChild(edgeList('Called by', inEdges[n.id], 'from', '\u2190'));
  side.hidden = false;
}

// Search: highlights every node whose name holds the text; Enter selects the next match.
var matches = [], current = -1;
search.addEventListener('input', function () {
  clearClasses(['pf-match', 'pf-current']);
  var q = search.value.trim().toLowerCase();
  matches = q ? data.nodes.filter(function (n) { return (n.summary ? n.summary.text : n.name).toLowerCase().indexOf(q) >= 0; }).map(function (n) { return n.id; }) : [];
  current = -1;
  matches.forEach(function (id) { var s = shape(id); if (s) s.classList.add('pf-match'); });
  status.textContent = q ? matches.length + (matches.length === 1 ? ' match' : ' matches') : '';
});
search.addEventListener('keydown', function (ev) {
  if (ev.key !== 'Enter' || !matches.length) return;
  ev.preventDefault();
  clearClasses(['pf-current']);
  current = (current + (ev.shiftKey ? matches.length - 1 : 1)) % matches.length;
  var id = matches[current], s = shape(id);
  if (s) s.classList.add('pf-current');
  select(id); reveal(id);
  status.textContent = (current + 1) + ' of ' + matches.length;
});
document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') clearAll(); });

// Paths: a toggle per path hides the nodes and edges no shown path goes through.
var shownPaths = data.legend.map(function () { return true; });
var chosenPath = data.legend.length ? 0 : -1;
function applyPaths() {
  data.nodes.concat(data.edges).forEach(function (x) {
    if (!x.paths || !x.paths.length) return;
    var s = shape(x.id); if (!s) return;
    s.classList.toggle('pf-hidden', !x.paths.some(function (p) { return shownPaths[p]; }));
    if (sharedLabel[x.id]) relabel(x, s);
  });
}
// A call shared by paths names the shown ones only, and one left on a single shown path takes
// that path's colour, as a picture of that path alone draws it (path-list.ts, palette.ts).
var pathList = ${pathList.toString()};
var sharedLabel = {};
if (data.legend.length > 1) data.edges.forEach(function (e) {
  var s = e.paths && e.paths.length > 1 ? shape(e.id) : null; if (!s) return;
  var drawn = pathList(e.paths);
  Array.prototype.forEach.call(s.querySelectorAll('text'), function (t) { if (t.textContent === drawn) sharedLabel[e.id] = t; });
});
function relabel(e, s) {
  var shown = e.paths.filter(function (p) { return shownPaths[p]; });
  if (!shown.length) return;
  sharedLabel[e.id].textContent = pathList(shown);
  var row = shown.length === 1 ? data.legend.filter(function (r) { return r.path === shown[0]; })[0] : null;
  var colour = row && row.colour ? row.colour : '';
  Array.prototype.forEach.call(s.querySelectorAll('path, polygon'), function (x) {
    x.style.stroke = colour;
    if (x.tagName === 'polygon') x.style.fill = colour;
  });
}
var list = document.getElementById('pf-paths');
if (list) data.legend.forEach(function (row) {
  var li = el('li');
  var box = el('input'); box.type = 'checkbox'; box.checked = true; box.id = 'pf-path-' + row.path;
  box.setAttribute('aria-label', 'Show path ' + (row.path + 1));
  box.addEventListener('change', function () { shownPaths[row.path] = box.checked; applyPaths(); });
  var sw = el('span', null, 'pf-swatch');
  // The path's colour from the shared palette, embedded by the renderer (edges are shared by paths).
  sw.style.background = row.colour || 'currentColor';
  var pick = el('button', 'Path ' + (row.path + 1) + ' \u00b7 ' + row.calls + (row.calls === 1 ? ' call' : ' calls'));
  pick.type = 'button'; pick.id = 'pf-pick-' + row.path;
  pick.setAttribute('aria-pressed', String(row.path === chosenPath));
  pick.addEventListener('click', function () {
    chosenPath = row.path;
    Array.prototype.forEach.call(list.querySelectorAll('button'), function (b) { b.setAttribute('aria-pressed', String(b === pick)); });
  });
  li.appendChild(box); li.appendChild(sw); li.appendChild(pick);
  list.appendChild(li);
});

// Copy as chain: the names along a path, 'a -> b -> c', the form pathfind check reads.
function bfs(from, to, allowed) {
  var prev = {}; prev[from] = null; var queue = [from];
  while (queue.length) {
    var id = queue.shift(); if (id === to) break;
    outEdges[id].forEach(function (e) { if ((!allowed || allowed(e)) && !(e.to in prev)) { prev[e.to] = id; queue.push(e.to); } });
  }
  if (!(to in prev)) return null;
  var out = []; for (var x = to; x !== null; x = prev[x]) out.unshift(x);
  return out;
}
function role(r) { var n = data.nodes.filter(function (x) { return x.role === r; })[0]; return n ? n.id : null; }
function chainIds() {
  var start = role('start') || role('root'), target = role('target');
  // The picked path, unless the selected node lies only on other paths: then its first one.
  var path = chosenPath, on = selected && nodes[selected].paths;
  if (on && on.length && on.indexOf(path) < 0) path = on[0];
  if (path >= 0 && start && target) {
    var onPath = function (e) { return e.paths && e.paths.indexOf(path) >= 0; };
    var along = bfs(start, target, onPath);
    if (along) return along;
  }
  if (data.kind === 'paths') {
    if (!start || !target) return [];
    if (selected) { var a = bfs(start, selected), b = bfs(selected, target); if (a && b) return a.concat(b.slice(1)); }
    return bfs(start, target) || [];
  }
  if (!start) return [];
  // A tree's chain runs between the root and the selected node: with none selected, say so.
  if (!selected) return null;
  return (data.kind === 'callers' ? bfs(selected, start) : bfs(start, selected)) || [selected];
}
document.getElementById('pf-copy').addEventListener('click', function () {
  var ids = chainIds();
  if (ids === null) {
    var root = nodes[role('root')].name;
    status.textContent = 'Select a function first: the chain runs ' + (data.kind === 'callers' ? 'from it to ' + root : 'from ' + root + ' to it');
    chainBox.hidden = true;
    return;
  }
  var text = ids.map(function (id) { return nodes[id].name; }).join(' -> ');
  chainBox.value = text;
  chainBox.hidden = false;
  chainBox.select();
  var done = function () { status.textContent = 'Copied'; };
  var denied = function () { status.textContent = 'Select the chain and copy it'; };
  try { navigator.clipboard.writeText(text).then(done, denied); } catch (err) { denied(); }
});
})();
`;
