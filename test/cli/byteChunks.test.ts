import { describe, expect, it } from 'vitest';
import { ByteChunks } from '../../cli/format/byteChunks.js';

describe('ByteChunks', () => {
  it('hands over the UTF-8 of everything added, in order, in chunks of at most 1 MB', () => {
    const chunks: Uint8Array[] = [];
    const out = new ByteChunks((bytes) => chunks.push(bytes));
    const pieces = ['{"name":"vm-ü-€-𝄞"}', 'x'.repeat(300_000), ',', 'é'.repeat(200_000), 'y'.repeat(2_000_000), 'tail'];
    for (const piece of pieces) out.add(piece);
    out.flush();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(pieces.join(''));
    // Only a piece larger than a chunk goes out larger than a chunk.
    expect(chunks.filter((c) => c.length > 1 << 20).map((c) => c.length)).toEqual([2_000_000]);
  });

  it('never rewrites a chunk it has handed over (a pipe may still hold it)', () => {
    const chunks: Uint8Array[] = [];
    const out = new ByteChunks((bytes) => chunks.push(bytes));
    out.add('a'.repeat(300_000));
    out.add('b'.repeat(300_000));
    out.add('c'.repeat(300_000));
    out.flush();
    expect(chunks.map((c) => Buffer.from(c).toString())).toEqual(['a'.repeat(300_000), 'b'.repeat(300_000), 'c'.repeat(300_000)]);
  });

  it('writes nothing when nothing was added', () => {
    const chunks: Uint8Array[] = [];
    new ByteChunks((bytes) => chunks.push(bytes)).flush();
    expect(chunks).toEqual([]);
  });
});
