import { IDENT, MentionCounter, type MentionTable } from './mention-table.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../util/json-chars.js';

/**
 * The mentions of files read from their facts' JSON text rather than from the facts as objects:
 * a facts frame (a JSON array of FileFacts, UTF-8) is scanned once, and each string value is
 * hashed as forEachMention (mention-table.ts) hashes it, with the same fields left out (a file's
 * `path` and `hash`; `name` and `signature` of `functions[]` and `macros[]`; `name` and `expandsTo` of their
 * `calls[]`; the name of each of `prototypes`; in a macro's `body`, a name followed by `(`). Keys, numbers, true, false and null mention nothing. JSON escapes are decoded
 * first (`\n` is a newline, not an `n`), and any byte of a multi-byte UTF-8 character ends an
 * identifier as a non-ASCII code unit does. The cache stage runs it in the frame encoder's worker
 * thread over the JSON it compresses anyway, so that the main thread does not walk a kernel's facts.
 */


/** What a value's strings are where it sits in a file's facts (see the module comment). */
const enum Place {
  /** Anything: every string is a mention. */
  Any,
  /** Left out: no string is a mention. */
  Skip,
  /** A file's facts object. */
  File,
  /** `functions` or `macros`: an array of definitions. */
  Defs,
  /** One definition. */
  Def,
  /** A definition's `calls`. */
  Calls,
  /** One call. */
  Call,
  /** `prototypes`: an array of [name, return type] pairs. */
  Protos,
  /** One prototype: its name left out, its return type a mention. */
  Proto,
  /** A macro's `body`: a name followed by `(` is left out. */
  Body,
}

/** The code unit a JSON escape letter stands for (not `u`). */
const ESCAPED = new Uint8Array(128);
for (const [letter, unit] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 8], ['f', 12], ['n', 10], ['r', 13], ['t', 9]] as const) ESCAPED[letter.charCodeAt(0)] = unit;

const keyIs = (b: Uint8Array, start: number, end: number, name: string): boolean => {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
  return true;
};

class JsonMentions {
  private i = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly visit: (hash: number) => void,
  ) {}

  private space(): void {
    const b = this.b;
    while (this.i < b.length && (b[this.i] === 0x20 || b[this.i] === 0x0a || b[this.i] === 0x0d || b[this.i] === 0x09)) this.i++;
  }

  /** The files of a frame: calls `onFile` before each. Throws on text that is no JSON array. */
  frame(onFile: () => void): void {
    this.space();
    if (this.b[this.i] !== OPEN_BRACKET) throw new Error('a facts frame is a JSON array');
    this.i++;
    for (;;) {
      this.space();
      if (this.b[this.i] === CLOSE_BRACKET) return;
      onFile();
      this.value(Place.File);
      this.space();
      if (this.b[this.i] === COMMA) this.i++;
      else if (this.b[this.i] !== CLOSE_BRACKET) throw new Error(`unexpected byte at ${this.i} in a facts frame`);
    }
  }

  private value(place: Place): void {
    this.space();
    const c = this.b[this.i];
    if (c === QUOTE) this.string(place !== Place.Skip, place === Place.Body);
    else if (c === OPEN_BRACE) this.object(place);
    else if (c === OPEN_BRACKET) {
      if (place === Place.Proto) this.array(Place.Any, Place.Skip);
      else this.array(place === Place.Defs ? Place.Def : place === Place.Calls ? Place.Call : place === Place.Skip ? Place.Skip : place === Place.Protos ? Place.Proto : Place.Any);
    }
    else if (c === undefined) throw new Error('a facts frame ends early');
    else while (this.i < this.b.length && this.b[this.i] !== COMMA && this.b[this.i] !== CLOSE_BRACE && this.b[this.i] !== CLOSE_BRACKET && this.b[this.i]! > 0x20) this.i++;
  }

  /** An array from its `[`: each element at `element`, the first at `first` when given. */
  private array(element: Place, first: Place = element): void {
    this.i++;
    for (let k = 0; ; k++) {
      this.space();
      if (this.b[this.i] === CLOSE_BRACKET) {
        this.i++;
        return;
      }
      this.value(k === 0 ? first : element);
      this.space();
      if (this.b[this.i] === COMMA) this.i++;
    }
  }

  private object(place: Place): void {
    const b = this.b;
    this.i++;
    for (;;) {
      this.space();
      if (b[this.i] === CLOSE_BRACE) {
        this.i++;
        return;
      }
      const start = this.i + 1;
      this.string(false);
      const end = this.i - 1;
      this.space();
      if (b[this.i] === COLON) this.i++;
      this.value(this.inside(place, start, end));
      this.space();
      if (b[this.i] === COMMA) this.i++;
    }
  }

  /** Where the value of key b[start, end) sits in an object at `place`. */
  private inside(place: Place, start: number, end: number): Place {
    const b = this.b;
    switch (place) {
      case Place.File:
        if (keyIs(b, start, end, 'path') || keyIs(b, start, end, 'hash')) return Place.Skip;
        if (keyIs(b, start, end, 'prototypes')) return Place.Protos;
        return keyIs(b, start, end, 'functions') || keyIs(b, start, end, 'macros') ? Place.Defs : Place.Any;
      case Place.Def:
        if (keyIs(b, start, end, 'name') || keyIs(b, start, end, 'signature')) return Place.Skip;
        if (keyIs(b, start, end, 'body')) return Place.Body;
        return keyIs(b, start, end, 'calls') ? Place.Calls : Place.Any;
      case Place.Call:
        return keyIs(b, start, end, 'name') || keyIs(b, start, end, 'expandsTo') ? Place.Skip : Place.Any;
      case Place.Skip:
        return Place.Skip;
      default:
        return Place.Any;
    }
  }

  /** A string from its opening quote: its identifiers hashed when `hashing` (as forEachMention's text), with `calls` not those followed by `(`. */
  private string(hashing: boolean, calls = false): void {
    const b = this.b;
    let i = this.i + 1;
    if (!hashing) {
      while (i < b.length && b[i] !== QUOTE) i += b[i] === BACKSLASH ? 2 : 1;
      this.i = i + 1;
      return;
    }
    let h = 0;
    let inside = false;
    let pending = false;
    while (i < b.length) {
      let c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = b[i + 1]!;
        if (e === 0x75) {
          c = Number.parseInt(String.fromCharCode(b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!), 16);
          i += 6;
        } else {
          c = ESCAPED[e]!;
          i += 2;
        }
      } else i++;
      const kind = c < 128 ? IDENT[c]! : 0;
      if (pending) {
        if (c === 32 || c === 9) continue;
        pending = false;
        if (c === 40) continue;
        this.visit(h >>> 0);
      }
      if (inside) {
        if (kind) h = Math.imul(h ^ c, 0x01000193);
        else {
          inside = false;
          if (calls && c !== 40) pending = c === 32 || c === 9;
          if (!calls || (c !== 40 && !pending)) this.visit(h >>> 0);
        }
      } else if (kind === 2) {
        inside = true;
        h = Math.imul(0x811c9dc5 ^ c, 0x01000193);
      }
    }
    if (inside || pending) this.visit(h >>> 0);
    this.i = i + 1;
  }
}

/**
 * The MentionTable of the files of one facts frame, from its JSON text (UTF-8 bytes of a JSON
 * array of FileFacts): the same table as MentionTable.of over those files (see the module
 * comment). Throws on bytes that are no JSON array.
 */
export function mentionTableOfJson(json: Uint8Array): MentionTable {
  const counter = new MentionCounter();
  new JsonMentions(json, counter.add).frame(() => counter.nextFile());
  return counter.table();
}
