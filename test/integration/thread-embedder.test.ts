import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dot, EmbedderLoadError, type ClosableEmbedder, type Embedder } from '../../src/index/embedder.js';
import { loadEmbedder } from '../../src/index/embedders/index.js';
import { loadEmbedderInThread } from '../../src/index/embedders/thread.js';
import { tempDir } from '../helpers/fixtures.js';

const QUESTIONS = [
  'Who is Maria Zakharova?',
  'Where did Trump and Putin meet?',
  'What did the leaders say about Ukraine?',
  'Was a ceasefire agreed?',
  'How long did the talks last?',
  'What is the population of Brazil?',
  'Who flew to Anchorage?',
  'When will they meet again?',
  'What sanctions were discussed?',
  'Did Zelensky attend?',
  'What happened on the red carpet?',
  'Which aircraft flew over the base?',
];

describe('use-lite on a worker thread', () => {
  let thread: ClosableEmbedder;
  let main: Embedder;
  beforeAll(async () => {
    [thread, main] = await Promise.all([loadEmbedderInThread({ model: 'use-lite' }), loadEmbedder({ model: 'use-lite' })]);
  }, 60_000);
  afterAll(async () => {
    await thread?.close();
  });

  it('reports the same model and dimensions as on the main thread', () => {
    expect([thread.id, thread.dimensions]).toEqual([main.id, main.dimensions]);
  });

  it('gives each of many questions asked at once its own vector, as the main thread does', async () => {
    const together = await Promise.all(QUESTIONS.map((q) => thread.embed([q], 'query')));
    const alone = await main.embed(QUESTIONS, 'query');
    for (const [i, [v]] of together.entries()) {
      expect(v!.length).toBe(512);
      expect(dot(v!, alone[i]!)).toBeGreaterThan(0.999);
      if (i > 0) expect(dot(v!, alone[i - 1]!)).toBeLessThan(0.99); // not a neighbour's vector
    }
  });

  it('embeds passages in one call, in order', async () => {
    const vectors = await thread.embed(QUESTIONS.slice(0, 3), 'passage');
    const expected = await main.embed(QUESTIONS.slice(0, 3), 'passage');
    expect(vectors.map((v, i) => dot(v, expected[i]!))).toEqual([expect.closeTo(1, 3), expect.closeTo(1, 3), expect.closeTo(1, 3)]);
  });
});

describe('the embedding thread’s failures', () => {
  it('fails to load as on the main thread: an EmbedderLoadError naming the fixes', async () => {
    // (Only in the thread: onnxruntime-node's addon can be loaded by one thread per process.)
    const settings = { model: 'Xenova/no-such-model', offline: true, cacheDir: tempDir(), localModelPath: tempDir() };
    const failure = await loadEmbedderInThread(settings).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmbedderLoadError);
    expect((failure as Error).message).toMatch(/^Could not load embedding model "Xenova\/no-such-model".*EMBEDDING_MODEL=use-lite/);
  }, 60_000);

  it('refuses work once closed', async () => {
    const thread = await loadEmbedderInThread({ model: 'use-lite' });
    await thread.close();
    await expect(thread.embed(['x'], 'query')).rejects.toThrow(/closed/);
  }, 60_000);
});
