import { readFileSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { CHUNKER_VERSION } from '../../src/article/chunker.js';
import { FILES, loadOrBuildIndex } from '../../src/index/index-store.js';
import { fakeEmbedder, realArticle, tempDir } from '../helpers/fixtures.js';

describe('HNSW index store', () => {
  const article = realArticle();

  it('builds, saves three files with a manifest, and loads them back without re-embedding', async () => {
    const dir = tempDir();
    const embedder = fakeEmbedder();
    const first = await loadOrBuildIndex({ dir, article, embedder });
    expect(first.rebuilt).toBe(true);
    expect(first.reason).toBe('no index has been built yet');
    expect(readdirSync(dir).sort()).toEqual([FILES.chunks, FILES.index, FILES.manifest].sort());
    const manifest = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8'));
    expect(manifest).toMatchObject({ model: 'fake-bow', dimensions: 64, articleSha256: article.sha256, chunkerVersion: CHUNKER_VERSION });
    expect(manifest.counts).toEqual({ paragraphs: 31, sentences: first.chunked.sentences.length, chunks: first.chunked.chunks.length });

    const callsAfterBuild = embedder.calls;
    const second = await loadOrBuildIndex({ dir, article, embedder });
    expect(second.rebuilt).toBe(false);
    expect(embedder.calls).toBe(callsAfterBuild);
    expect(second.chunked).toEqual(first.chunked);
    const [q] = await embedder.embed(['red carpet military flyover'], 'query');
    expect(second.index.search(q!, 3)).toEqual(first.index.search(q!, 3));
  });

  it('opens a valid index read-only without writing, and refuses (exit 66) a missing or stale one instead of building', async () => {
    const dir = tempDir();
    await expect(loadOrBuildIndex({ dir, article, embedder: fakeEmbedder(), readOnly: true })).rejects.toMatchObject({
      exitCode: 66,
      message: expect.stringMatching(/can't be used \(no index has been built yet\) and this shard only reads it/),
    });
    expect(readdirSync(dir)).toEqual([]);
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    writeFileSync(join(dir, 'chunks.json.tmp-123'), 'left by a killed build');
    const r = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder(), readOnly: true });
    expect(r.rebuilt).toBe(false);
    expect(readdirSync(dir)).toContain('chunks.json.tmp-123'); // not even a cleanup write
    await expect(loadOrBuildIndex({ dir, article, embedder: fakeEmbedder('model-b'), readOnly: true })).rejects.toMatchObject({ exitCode: 66 });
  });

  it('rebuilds when the index was built by another model', async () => {
    const dir = tempDir();
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder('model-a') });
    const r = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder('model-b') });
    expect(r.rebuilt).toBe(true);
    expect(r.reason).toContain('model-a');
    expect(r.manifest.model).toBe('model-b');
  });

  it('rebuilds when the article changed', async () => {
    const dir = tempDir();
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    const changed = parseArticle(article.text + '\nOne more paragraph.\n');
    const r = await loadOrBuildIndex({ dir, article: changed, embedder: fakeEmbedder() });
    expect(r.rebuilt).toBe(true);
    expect(r.reason).toBe('the article changed');
  });

  it('rebuilds a truncated index file instead of trusting it', async () => {
    const dir = tempDir();
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    const path = join(dir, FILES.index);
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const r = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    expect(r.rebuilt).toBe(true);
    expect(r.reason).toContain('corrupt or truncated');
    const again = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    expect(again.rebuilt).toBe(false);
  });

  it('rebuilds when the manifest is garbage or the chunk store was edited', async () => {
    const dir = tempDir();
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    writeFileSync(join(dir, FILES.chunks), '{"sentences":[],"chunks":[]}');
    expect((await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() })).reason).toContain(FILES.chunks);
    writeFileSync(join(dir, FILES.manifest), '{not json');
    expect((await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() })).reason).toBe('the manifest is unreadable');
    for (const json of ['null', '[]', '42']) {
      writeFileSync(join(dir, FILES.manifest), json);
      const again = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
      expect(again.reason).toBe('the manifest is not a manifest');
      expect((await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() })).rebuilt).toBe(false);
    }
  });

  it('leaves no temporary files behind', async () => {
    const dir = tempDir();
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder(), force: true });
    expect(readdirSync(dir).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('removes temp files a killed build left, and keeps those of a live process', async () => {
    const dir = tempDir();
    const dead = `${FILES.index}.tmp-999999999`;
    const live = `${FILES.chunks}.tmp-${process.ppid}`;
    await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    writeFileSync(join(dir, dead), 'partial');
    writeFileSync(join(dir, live), 'in progress');
    const again = await loadOrBuildIndex({ dir, article, embedder: fakeEmbedder() });
    expect(again.rebuilt).toBe(false); // removed on a start that only loads, too
    const left = readdirSync(dir);
    expect(left).not.toContain(dead);
    expect(left).toContain(live);
  });
});
