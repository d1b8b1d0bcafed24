/**
 * The colours of pictures, shared by DOT (and so SVG and HTML), Mermaid and the HTML viewer, so
 * that path N has the same colour in every format.
 *
 * Path colours: the Okabe-Ito palette, safe for the common colour-vision deficiencies (M. Okabe
 * and K. Ito, "Color Universal Design (CUD): how to make figures and presentations that are
 * friendly to colorblind people", 2008), black left out (it is the ink), yellow last (faint on
 * white). Path N (0-based) takes PATH_COLOURS[N mod 7].
 */
export const PATH_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'] as const;

/** Colour of path `i` (0-based), cycling through PATH_COLOURS. */
export const pathColour = (i: number): string => PATH_COLOURS[i % PATH_COLOURS.length]!;

/**
 * Grey for what is not a function (summary nodes and their edges, cluster labels): readable on
 * light and dark pages, and no path colour. Start, target, root and --via emphasis use line
 * width and borders in the ink colour, never a path colour, so a path's colour means only the path.
 */
export const MUTED = '#777777';
