import { describe, expect, it } from 'vitest';
import { Footnote } from '../../src/footnote.js';
import { ARTICLE_PATH, fakeEmbedder, tempDir } from '../helpers/fixtures.js';

describe('answers to repeated questions', () => {
  const open = async (answerCacheSize?: number) => {
    const embedder = fakeEmbedder();
    const footnote = await Footnote.open({ articlePath: ARTICLE_PATH, indexDir: tempDir(), embedder, answerCacheSize });
    return { embedder, footnote };
  };

  it('answers a word-for-word repeat (spacing aside) from memory, with the same answer', async () => {
    const { embedder, footnote } = await open();
    const first = await footnote.ask('Who is Maria Zakharova?');
    const calls = embedder.calls;
    const again = await footnote.ask('  Who is   Maria Zakharova? ');
    expect(embedder.calls).toBe(calls);
    expect(again).toEqual(first);
    expect(again).not.toBe(first); // a copy: a caller changing it can't change the next answer
    await footnote.ask('who is maria zakharova?'); // other wording is a new question
    expect(embedder.calls).toBe(calls + 1);
  });

  it('computes a question asked twice at the same moment once', async () => {
    const { embedder, footnote } = await open();
    const calls = embedder.calls;
    const [a, b] = await Promise.all([footnote.ask('Where did the leaders meet?'), footnote.ask('Where did the leaders meet?')]);
    expect(a).toEqual(b);
    expect(embedder.calls).toBe(calls + 1);
  });

  it('keeps only the most recent answers, and none with a size of 0', async () => {
    const small = await open(2);
    for (const q of ['Who is Maria Zakharova?', 'Where did the leaders meet?', 'What did Putin say?']) await small.footnote.ask(q);
    const calls = small.embedder.calls;
    await small.footnote.ask('What did Putin say?');
    expect(small.embedder.calls).toBe(calls);
    await small.footnote.ask('Who is Maria Zakharova?'); // pushed out by the two after it
    expect(small.embedder.calls).toBe(calls + 1);

    const none = await open(0);
    await none.footnote.ask('Who is Maria Zakharova?');
    const before = none.embedder.calls;
    await none.footnote.ask('Who is Maria Zakharova?');
    expect(none.embedder.calls).toBe(before + 1);
  });

  it('does not remember a failure: the next ask tries again', async () => {
    const embedder = fakeEmbedder();
    const footnote = await Footnote.open({ articlePath: ARTICLE_PATH, indexDir: tempDir(), embedder });
    const working = embedder.embed;
    embedder.embed = async () => {
      throw new Error('model crashed');
    };
    expect((await footnote.ask('Who is Maria Zakharova?')).error?.code).toBe('internal');
    embedder.embed = working;
    const retried = await footnote.ask('Who is Maria Zakharova?');
    expect(retried.error).toBeUndefined();
    expect(retried.citations.length + retried.closest.length).toBeGreaterThan(0);
  });
});
