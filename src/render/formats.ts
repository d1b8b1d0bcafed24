import type { Picture, PictureOptions } from '../types/picture.js';

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

/**
 * What a picture renderer gives: the text to write, and a one-line `note` for stderr when the
 * picture is not all there: when the layout could not be made in time (see render/svg.ts), the
 * DOT it fell back to (`fallback: 'dot'`) and why; when Mermaid's limits cut it (mermaid-fit.ts),
 * what was left out.
 */
export interface PictureOutput {
  text: string;
  note?: string;
  fallback?: 'dot';
}

/** A picture renderer: a function of the picture and options (SVG layout runs in a worker, hence a Promise). */
export type PictureRenderer = (picture: Picture, options: PictureOptions) => Promise<PictureOutput>;

/**
 * The picture laid out as SVG, then made into `finish(svg)`; the DOT with a note when Graphviz in
 * WebAssembly could not lay it out within the time limits.
 */
async function laidOut(picture: Picture, options: PictureOptions, finish: (svg: string) => string): Promise<PictureOutput> {
  const [{ renderDot }, { layoutSvg }] = await Promise.all([import('./dot.js'), import('./svg.js')]);
  const out = await layoutSvg((layout) => renderDot(picture, { ...options, layout }), { theme: options.theme });
  if ('svg' in out) return { text: finish(out.svg), ...(out.note ? { note: out.note } : {}) };
  return { text: out.dot, note: out.note, fallback: 'dot' };
}

/**
 * Picture renderers by format, each loaded on first use with a dynamic import, so text and JSON
 * queries load none of them (and never the WebAssembly Graphviz).
 */
const loaders: Record<PictureFormat, () => Promise<PictureRenderer>> = {
  dot: async () => {
    const { renderDot } = await import('./dot.js');
    return async (picture, options) => ({ text: renderDot(picture, options) });
  },
  svg: async () => (picture, options) => laidOut(picture, options, (svg) => svg),
  mermaid: async () => {
    const { mermaidOutput } = await import('./mermaid.js');
    return async (picture, options) => mermaidOutput(picture, options);
  },
  html: async () => {
    const { renderHtml } = await import('./html/index.js');
    return (picture, options) => laidOut(picture, options, (svg) => renderHtml(picture, svg, options));
  },
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
