import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeFactsFrame, encodeFactsItemsAsync, replaceInFactsFrame } from '../../src/cache/frame-file.js';

const values = [{ path: 'a.c', n: 1, s: 'é"\\\n' }, { path: 'b.c', list: [1, [2, { x: 'ü,]' }]] }, { path: 'c.c', e: {} }];

describe('facts frames encoded from per-file JSON', () => {
  it('encodes the same bytes as the whole array turned into JSON, and gives each item its UTF-8 length', async () => {
    const { bytes, sizes } = encodeFactsItemsAsync(values.map((v) => JSON.stringify(v)));
    expect((await bytes).equals(encodeFactsFrame(JSON.stringify(values)))).toBe(true);
    expect(sizes).toEqual(values.map((v) => Buffer.byteLength(JSON.stringify(v), 'utf8')));
  });

  it('replaces the items asked for and keeps the others, as JSON.stringify of the new array', async () => {
    const { bytes, sizes } = encodeFactsItemsAsync(values.map((v) => JSON.stringify(v)));
    const changed = { path: 'b.c', made: ['ç'] };
    const again = await replaceInFactsFrame(await bytes, sizes, (j) => (j === 1 ? changed : undefined));
    expect(gunzipSync(again).toString('utf8')).toBe(JSON.stringify([values[0], changed, values[2]]));
    const none = await replaceInFactsFrame(await bytes, sizes, () => undefined);
    expect(none.equals(await bytes)).toBe(true);
  });

  it('a single item and an empty frame', async () => {
    const one = encodeFactsItemsAsync([JSON.stringify(values[0])]);
    const replaced = await replaceInFactsFrame(await one.bytes, one.sizes, () => ({ z: 1 }));
    expect(gunzipSync(replaced).toString('utf8')).toBe('[{"z":1}]');
    const empty = encodeFactsItemsAsync([]);
    expect(gunzipSync(await empty.bytes).toString('utf8')).toBe('[]');
  });
});
