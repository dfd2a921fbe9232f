import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArticle, type Article } from '../../src/article/article.js';
import { l2normalize, type Embedder } from '../../src/index/embedder.js';
import { words } from '../../src/language/text.js';
import { loadEmbedder } from '../../src/index/embedders/index.js';
import { DEFAULT_EMBEDDING_MODEL } from '../../src/config.js';

export const ARTICLE_PATH = new URL('../../data/article.txt', import.meta.url).pathname;
export const DEV_SET_PATH = new URL('../../data/eval/dev-qa.jsonl', import.meta.url).pathname;

export function realArticle(): Article {
  return parseArticle(readFileSync(ARTICLE_PATH, 'utf8'));
}

/** A new folder below the test run's temporary root (removed when the run ends, see test/global-setup.ts). */
export function tempDir(prefix = 'footnote-'): string {
  return mkdtempSync(join(process.env.FOOTNOTE_TEST_TMP ?? tmpdir(), prefix));
}

/**
 * A deterministic bag-of-words embedder: each content term hashes to a dimension. Similar wording → similar
 * vectors; no meaning beyond that. Counts its calls so tests can check what was embedded.
 */
export function fakeEmbedder(id = 'fake-bow', dimensions = 64): Embedder & { calls: number; texts: number } {
  const e = {
    id,
    dimensions,
    calls: 0,
    texts: 0,
    async embed(texts: readonly string[]) {
      e.calls++;
      e.texts += texts.length;
      return texts.map((t) => {
        const v = new Float32Array(dimensions);
        for (const w of words(t).filter((x) => x.length > 3)) {
          let h = 2166136261;
          for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
          v[Math.abs(h) % dimensions]! += 1;
        }
        v[0]! += 0.01;
        return l2normalize(v);
      });
    },
  };
  return e;
}

/**
 * `dir` seen read-only: a read-only bind mount as root (who ignores permission bits), else the folder
 * with its write bits removed.
 */
export function readOnlyView(dir: string): { path: string; release(): void } {
  if (process.getuid?.() !== 0) {
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o444);
    chmodSync(dir, 0o555);
    return { path: dir, release: () => chmodSync(dir, 0o755) };
  }
  const path = tempDir('ro-');
  execFileSync('mount', ['--bind', dir, path]);
  execFileSync('mount', ['-o', 'remount,bind,ro', path]);
  return { path, release: () => execFileSync('umount', [path]) };
}

/** The committed embedder (`models/minilm-embedder`), loaded offline as the bot loads it. */
export function committedEmbedder(): Promise<Embedder> {
  return loadEmbedder({ model: DEFAULT_EMBEDDING_MODEL, localModelPath: new URL('../../models', import.meta.url).pathname, offline: true });
}
