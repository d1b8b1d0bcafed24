/**
 * Counts as pictures write them, in captions, summary nodes and notes alike: digits with a comma
 * between thousands (`1,234`), the same in every locale (no Intl, so output is deterministic).
 */
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `1 node`, `1,234 nodes`: a count and its noun, plural with an `s` unless the count is 1. */
export const counted = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/** `48 of 1,312 nodes`: a part of a whole, both counted, the noun plural unless the whole is 1. */
export const countedOf = (part: number, whole: number, noun: string): string => `${formatCount(part)} of ${counted(whole, noun)}`;
