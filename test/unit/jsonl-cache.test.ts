import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlCache } from '../../src/index/jsonl-cache.js';
import { cachedReader } from '../../src/reader/cached.js';
import { tempDir } from '../helpers/fixtures.js';

describe('the training caches on disk', () => {
  it('keep what was added across openings, and skip a torn last line', () => {
    const dir = tempDir('cache-');
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    jsonlCache<number>(dir, 'reader-x@1', 'z', num).add([['a', 1.5], ['b', -2]]);
    appendFileSync(join(dir, 'reader-x_1.jsonl'), '{"k": "c", "z": 3');
    expect([...jsonlCache<number>(dir, 'reader-x@1', 'z', num).known]).toEqual([['a', 1.5], ['b', -2]]);
  });

  it('read each question and passage pair once: a second ask comes from the cache', async () => {
    const dir = tempDir('cache-');
    let calls = 0;
    const reader = { id: 'r@1', logits: async (_q: string, ps: readonly string[]) => (calls++, ps.map((p) => p.length)) };
    const cached = cachedReader(reader, dir);
    expect(await cached.logits('q', ['ab', 'abc'])).toEqual([2, 3]);
    expect(await cachedReader(reader, dir).logits('q', ['abc', 'ab', 'abcd'])).toEqual([3, 2, 4]);
    expect(calls).toBe(2);
    expect(readFileSync(join(dir, 'reader-r_1.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
