import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dot } from '../../src/index/embedder.js';
import { DEFAULT_WORD_VECTORS_PATH, sharedWordVectors, WORD_VECTOR_WORDS, WordVectors } from '../../src/language/word-vectors.js';
import { tempDir } from '../helpers/fixtures.js';

describe('compact GloVe word vectors', () => {
  const wv = sharedWordVectors();
  const cos = (a: string, b: string) => dot(wv.vector(a)!, wv.vector(b)!);

  it('holds the most frequent words as unit vectors', () => {
    expect(wv.size).toBe(WORD_VECTOR_WORDS);
    const v = wv.vector('summit')!;
    expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 2);
  });

  it('puts rewordings close and unrelated words apart', () => {
    expect(cos('ceasefire', 'truce')).toBeGreaterThan(0.8);
    expect(cos('photo', 'photographer')).toBeGreaterThan(0.5);
    expect(cos('ceasefire', 'banana')).toBeLessThan(0.3);
  });

  it('keeps numbers and units of time out of soft matching', () => {
    for (const w of ['two', 'six', 'weeks', 'months', '1867', 'minutes']) expect(wv.vector(w), w).toBeUndefined();
  });

  it('refuses a damaged or truncated file, so it is rebuilt rather than used', () => {
    const dir = tempDir();
    const truncated = join(dir, 'short.bin');
    writeFileSync(truncated, readFileSync(DEFAULT_WORD_VECTORS_PATH).subarray(0, 1000));
    expect(WordVectors.read(truncated)).toBeUndefined();
    const edited = join(dir, 'edited.bin');
    copyFileSync(DEFAULT_WORD_VECTORS_PATH, edited);
    const bytes = readFileSync(edited);
    bytes[bytes.length - 200] = bytes[bytes.length - 200]! ^ 0xff;
    writeFileSync(edited, bytes);
    expect(WordVectors.read(edited)).toBeUndefined();
    expect(WordVectors.read(join(dir, 'missing.bin'))).toBeUndefined();
  });
});
