import type { Picture, PictureOptions } from '../types/picture.js';
import { UsageError } from '../util/errors.js';

/** Output formats of the path, callees and callers commands; the picture formats are the last four. */
export const FORMATS = ['text', 'json', 'dot', 'svg', 'mermaid', 'html'] as const;
/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];
/** The formats that draw a Picture (src/types/picture.ts). */
export const PICTURE_FORMATS = ['dot', 'svg', 'mermaid', 'html'] as const;
/** One of PICTURE_FORMATS. */
export type PictureFormat = (typeof PICTURE_FORMATS)[number];

/** Whether `format` draws a picture. */
export const isPictureFormat = (format: string): format is PictureFormat => (PICTURE_FORMATS as readonly string[]).includes(format);

/** A picture renderer: a pure function of the picture (SVG layout may be asynchronous). */
export type PictureRenderer = (picture: Picture, options: PictureOptions) => string | Promise<string>;

const notYet = (format: string) => async (): Promise<PictureRenderer> => {
  throw new UsageError(`format ${format} is not available yet`);
};

/**
 * Picture renderers by format, each loaded on first use with a dynamic import, so text and JSON
 * queries load none of them (and never the WebAssembly Graphviz).
 */
const loaders: Record<PictureFormat, () => Promise<PictureRenderer>> = {
  dot: async () => (await import('./dot.js')).renderDot,
  svg: notYet('svg'),
  mermaid: notYet('mermaid'),
  html: notYet('html'),
};

/** The renderer of a picture format; throws UsageError for one not available. */
export function loadRenderer(format: PictureFormat): Promise<PictureRenderer> {
  return loaders[format]();
}

/** Output formats by file extension, for `-o FILE`. */
const EXTENSIONS: Record<string, Format> = { dot: 'dot', gv: 'dot', svg: 'svg', mmd: 'mermaid', mermaid: 'mermaid', html: 'html', htm: 'html', json: 'json', txt: 'text' };

/** The format `-o FILE` implies by its extension (case ignored), or undefined. */
export function formatOfFile(file: string): Format | undefined {
  const m = /\.([^./\\]+)$/.exec(file);
  return m ? EXTENSIONS[m[1]!.toLowerCase()] : undefined;
}
