/**
 * The paths a call of a `-k N` picture lies on, as a reader reads them in the legend: 1-based,
 * in order, runs of three or more as ranges (`paths 1-3, 5`, `paths 1, 3`, `path 4`). Pictures
 * write it beside an edge shared by several paths (DOT, and so SVG and HTML, and Mermaid alike).
 */
export function pathList(paths: readonly number[]): string {
  const sorted = [...new Set(paths)].sort((a, b) => a - b).map((p) => p + 1);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return `${sorted.length === 1 ? 'path' : 'paths'} ${parts.join(', ')}`;
}

/**
 * The path list of a call shared by several paths of a `-k N` picture (`legendRows` > 1), else
 * undefined: such a call is drawn once, in the ink colour, with this text beside it, since
 * one colour per path would put lines on top of each other. A call of one path takes that path's colour.
 */
export function sharedPaths(paths: readonly number[] | undefined, legendRows: number): string | undefined {
  return legendRows > 1 && paths && paths.length > 1 ? pathList(paths) : undefined;
}
