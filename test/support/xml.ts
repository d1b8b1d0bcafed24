/**
 * A small strict XML reader for tests: enough of XML 1.0 to check that an SVG is well-formed
 * (one root, balanced tags, quoted attributes without `<`, unique attribute names, only the five
 * predefined entities and character references) and to read it back as a tree. Throws an Error
 * naming the offset of the first fault.
 */

export interface XmlElement {
  name: string;
  /** Attribute values with entities decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element, entities decoded, concatenated. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][\w.:-]*/;

/** Decodes entity and character references; throws on an unknown entity or a bare `&`. */
export function decodeXml(text: string, at = 0): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & at ${at}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const e = ENTITIES[ref];
    if (e === undefined) throw new Error(`unknown entity &${ref}; at ${at}`);
    return e;
  });
}

/** Parses a whole document and returns its root element. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(doc.slice(i, i + 40))}`);
  };
  const skip = (end: string): void => {
    const j = doc.indexOf(end, i);
    if (j < 0) fail(`unterminated, expected ${end}`);
    i = j + end.length;
  };
  while (i < doc.length) {
    if (doc.startsWith('<?', i)) skip('?>');
    else if (doc.startsWith('<!--', i)) skip('-->');
    else if (doc.startsWith('<![CDATA[', i)) {
      const j = doc.indexOf(']]>', i);
      if (j < 0 || !stack.length) fail('bad CDATA');
      stack[stack.length - 1]!.text += doc.slice(i + 9, j);
      i = j + 3;
    } else if (doc.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length) fail('DOCTYPE after the root');
      skip('>');
    } else if (doc.startsWith('</', i)) {
      const m = NAME.exec(doc.slice(i + 2));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0]) fail(`mismatched end tag (open: ${open?.name})`);
      i += 2 + m![0].length;
      while (/\s/.test(doc[i] ?? '')) i++;
      if (doc[i] !== '>') fail('bad end tag');
      i++;
    } else if (doc[i] === '<') {
      i++;
      const m = NAME.exec(doc.slice(i)) ?? fail('bad tag name');
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      i += m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(doc.slice(i))![0].length;
        i += ws;
        if (doc.startsWith('/>', i) || doc[i] === '>') break;
        if (!ws) fail('no space before attribute');
        const a = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(doc.slice(i)) ?? fail('bad attribute');
        if (a[1]! in el.attrs) fail(`duplicate attribute ${a[1]}`);
        el.attrs[a[1]!] = decodeXml(a[3] ?? a[4]!, i);
        i += a[0].length;
      }
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) fail('second root element');
      else root = el;
      if (doc[i] === '/') i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const j = doc.indexOf('<', i) < 0 ? doc.length : doc.indexOf('<', i);
      const text = doc.slice(i, j);
      if (text.includes('>') && text.includes(']]>')) fail(']]> in text');
      if (stack.length) stack[stack.length - 1]!.text += decodeXml(text, i);
      else if (text.trim()) fail('text outside the root');
      i = j;
    }
  }
  if (stack.length || !root) fail('unclosed elements or no root');
  return root!;
}

/** Every element of the tree, depth first, the root first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
