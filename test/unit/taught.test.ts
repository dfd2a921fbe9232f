import { describe, expect, it } from 'vitest';
import { closeEnough, EXACT_UP_TO, gaps, locateUnit, passesGuard, TaughtMemory, taughtResult, type TaughtEntry } from '../../src/taught/taught.js';
import type { QuestionKeys } from '../../src/candidates/retrieval.js';
import { markTaught, type Gap } from '../../src/store/gaps.js';
import { lessonOfEmbed } from '../../src/bot/teach.js';
import { parseTeachLine } from '../../src/cli/teach-file.js';
import type { AskResult } from '../../src/answer/answer.js';
import type { TaughtRecord } from '../../src/store/store.js';

/** Keys as the retriever makes them, from a question's words (content words given by the test). */
function keys(asks: string, words: string, content: string[], names: string[] = []): QuestionKeys {
  const sequence = words.split(' ').map((w) => ({ lemma: w, written: w, content: content.includes(w) || names.includes(w) }));
  return { asks, names, words: content.map((w) => ({ lemma: w, written: w })), sequence };
}

function entry(over: Partial<TaughtEntry> & { keys: QuestionKeys }): TaughtEntry {
  const asked = new Set(over.keys.sequence.map((w) => w.lemma));
  return {
    id: 'e1',
    scope: '',
    question: over.keys.sequence.map((w) => w.written).join(' '),
    how: 'correction',
    refuse: false,
    at: new Date(),
    vector: new Float32Array([1, 0, 0]),
    citations: [{ paragraph: 18, kind: 'body', quote: 'Both men got into the limousine.', start: 10, end: 42 }],
    sentenceIds: [7],
    asked,
    passage: new Set(['limousine', 'beast', 'trump']),
    ...over,
  };
}

/** Word vectors where car ≈ vehicle and nothing else is close. */
const vectors: Record<string, number[]> = { car: [1, 0, 0], vehicle: [0.9, 0.436, 0], plane: [0, 1, 0], eat: [0, 0, 1], wear: [0.3, 0, 0.954] };
const wordVector = (w: string) => (vectors[w] ? Float32Array.from(vectors[w]!) : undefined);
const opts = { wordSimilarity: 0.5, passageWords: false };

describe('the taught-answer guard', () => {
  const taught = entry({ keys: keys('open', 'what car be putin in', ['car'], ['putin']) });

  it('passes a rewording that keeps the kind of answer, the names, and puts only close words in place of others', () => {
    expect(passesGuard(keys('open', 'which car do putin ride in', ['car', 'ride'], ['putin']), taught, wordVector, opts)).toBe(true);
    expect(passesGuard(keys('open', 'what vehicle be putin in', ['vehicle'], ['putin']), taught, wordVector, opts)).toBe(true);
  });

  it('refuses another person, another thing, or another question word', () => {
    expect(passesGuard(keys('open', 'what car be zelensky in', ['car'], ['zelensky']), taught, wordVector, opts)).toBe(false);
    expect(passesGuard(keys('open', 'what plane be putin in', ['plane'], ['putin']), taught, wordVector, opts)).toBe(false);
    expect(passesGuard(keys('place', 'where be putin car', ['car'], ['putin']), taught, wordVector, opts)).toBe(false);
  });

  it('lets a name the taught passage holds in, but asks for a shared name when both questions name someone', () => {
    expect(passesGuard(keys('open', 'what car be putin in with trump', ['car'], ['putin', 'trump']), taught, wordVector, opts)).toBe(true);
    const other = entry({ keys: keys('open', 'what car be trump in', ['car'], ['trump']), passage: new Set(['putin']) });
    expect(passesGuard(keys('open', 'what car be putin in', ['car'], ['putin']), other, wordVector, opts)).toBe(false);
  });

  it('with the word check off, judges by the kind of answer and the names alone', () => {
    expect(passesGuard(keys('open', 'what plane be putin in', ['plane'], ['putin']), taught, wordVector, { ...opts, wordSimilarity: -1 })).toBe(true);
  });

  it('aligns two questions on their shared words and returns what stands between', () => {
    const w = (s: string) => s.split(' ').map((x) => ({ lemma: x, written: x, content: true }));
    expect(gaps(w('what car was putin in'), w('what plane was putin in')).map(([a, b]) => [a.map((x) => x.lemma), b.map((x) => x.lemma)])).toEqual([[['car'], ['plane']]]);
    expect(gaps(w('a b c'), w('a b c'))).toEqual([]);
    expect(gaps(w('a b x y'), w('a b')).map(([a, b]) => [a.length, b.length])).toEqual([[2, 0]]);
  });
});

describe('how close a taught question must be', () => {
  const match = (similarity: number, e: TaughtEntry) => ({ entry: e, similarity });
  const o = { similarity: 0.55, rank: 1, close: 0.85, refuseSimilarity: 0.9, wordSimilarity: 0.4, passageWords: false };
  const taught = entry({ keys: keys('open', 'x', []) });

  it('takes a close question when the model ranks the taught passage first for it too, or nearly the same words whatever it ranks', () => {
    expect(closeEnough(match(0.6, taught), [7, 3], o)).toBe(true);
    expect(closeEnough(match(0.6, taught), [3, 7], o)).toBe(false);
    expect(closeEnough(match(0.86, taught), [3], o)).toBe(true);
    expect(closeEnough(match(0.5, taught), [7], o)).toBe(false);
  });

  it('takes a taught refusal only at its own, higher similarity', () => {
    const refusal = entry({ keys: keys('open', 'x', []), refuse: true, citations: [], sentenceIds: [] });
    expect(closeEnough(match(0.89, refusal), [], o)).toBe(false);
    expect(closeEnough(match(0.91, refusal), [], o)).toBe(true);
  });
});

describe('taught answers in memory', () => {
  const k = keys('open', 'what car be putin in', ['car'], ['putin']);
  const o = { similarity: 0.5, rank: 1, close: 0.95, refuseSimilarity: 0.9, wordSimilarity: 0.4, passageWords: false };

  it('finds the nearest taught question of the server asked in or of everywhere, and forgets in place', () => {
    const memory = new TaughtMemory(3);
    memory.put(entry({ id: 'a', scope: 'g1', keys: k, vector: Float32Array.from([1, 0, 0]) }));
    memory.put(entry({ id: 'b', scope: 'g2', keys: k, vector: Float32Array.from([0.99, 0.141, 0]) }));
    const q = Float32Array.from([1, 0, 0]);
    expect(memory.match(q, k, [7], 'g1', wordVector, o)?.entry.id).toBe('a');
    expect(memory.match(q, k, [7], 'g2', wordVector, o)?.entry.id).toBe('b');
    expect(memory.match(q, k, [7], 'g3', wordVector, o)).toBeUndefined();
    expect(memory.match(q, k, [7], undefined, wordVector, o)?.entry.id).toBe('a');
    memory.put(entry({ id: 'c', scope: '', keys: k, vector: Float32Array.from([0.98, 0.199, 0]) }));
    expect(memory.match(q, k, [7], 'g3', wordVector, o)?.entry.id).toBe('c');
    expect(memory.remove('a')).toBe(true);
    expect(memory.match(q, k, [7], 'g1', wordVector, o)?.entry.id).toBe('c');
    // Replacing an entry keeps one copy.
    memory.put(entry({ id: 'c', scope: '', keys: k, vector: Float32Array.from([0, 1, 0]) }));
    expect(memory.size).toBe(2);
    expect(memory.match(q, k, [7], 'g3', wordVector, o)).toBeUndefined();
  });

  it('still finds what is taught after thousands of entries were taught and forgotten in the same places', () => {
    const memory = new TaughtMemory(32);
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const unit = (v: number[]) => {
      const n = Math.hypot(...v);
      return Float32Array.from(v, (x) => x / n);
    };
    // More than EXACT_UP_TO, so the HNSW index answers.
    for (let i = 0; i <= EXACT_UP_TO; i++) memory.put(entry({ id: `s${i}`, keys: k, vector: unit(Array.from({ length: 32 }, random)) }));
    const places = Array.from({ length: 12 }, () => unit(Array.from({ length: 32 }, random)));
    // As an evaluation or a busy server does: the same questions taught, then forgotten, round after round.
    for (let round = 0; round < 300; round++) {
      places.forEach((v, i) => memory.put(entry({ id: `r${round}-${i}`, keys: k, vector: v })));
      if (round < 299) places.forEach((_, i) => memory.remove(`r${round}-${i}`));
    }
    expect(memory.size).toBe(EXACT_UP_TO + 13);
    places.forEach((v, i) => expect(memory.match(v, k, [7], undefined, wordVector, o)?.entry.id).toBe(`r299-${i}`));
  });

  it('grows past its first capacity, and answers the same from the index as by comparing every one', () => {
    const memory = new TaughtMemory(3);
    const at = (i: number) => Float32Array.from([Math.cos(i / 1000), Math.sin(i / 1000), 0]);
    for (let i = 0; i < 200; i++) memory.put(entry({ id: `e${i}`, keys: k, vector: at(i) }));
    expect(memory.size).toBe(200);
    expect(memory.match(at(150), k, [7], undefined, wordVector, o)?.entry.id).toBe('e150');
    for (let i = 200; i < EXACT_UP_TO + 100; i++) memory.put(entry({ id: `e${i}`, keys: k, vector: at(i) }));
    expect(memory.match(at(150), k, [7], undefined, wordVector, o)?.entry.id).toBe('e150');
    expect(memory.match(at(1050), k, [7], undefined, wordVector, o)?.entry.id).toBe('e1050');
  });
});

describe('a taught answer over the model’s', () => {
  const base: AskResult = {
    question: 'which car did putin ride in',
    answered: true,
    answer: 'Something else.',
    citations: [{ paragraph: 3, kind: 'body', quote: 'Something else.', start: 0, end: 15 }],
    closest: [],
    confidence: 0.4,
    band: 'likely',
    alternatives: [{ paragraph: 4, kind: 'body', quote: 'Another.', start: 20, end: 28 }],
  };

  it('answers with the taught passage in the answer band, marked as taught', () => {
    const r = taughtResult(base, entry({ keys: keys('open', 'what car be putin in', ['car']) }));
    expect(r).toMatchObject({ answered: true, band: 'answer', confidence: 1, answer: 'Both men got into the limousine.', taught: { id: 'e1', how: 'correction' } });
    expect(r.alternatives).toBeUndefined();
    expect(r.question).toBe('which car did putin ride in');
  });

  it('refuses with "the article doesn’t say" for a taught refusal, the model’s passages as the closest', () => {
    const r = taughtResult(base, entry({ keys: keys('open', 'x', []), refuse: true, citations: [], sentenceIds: [] }));
    expect(r).toMatchObject({ answered: false, band: 'refused', confidence: 0, answer: "The article doesn't say.", citations: [] });
    expect(r.closest.map((c) => c.paragraph)).toEqual([3, 4]);
    expect(r.notFound).toBeUndefined();
  });
});

describe('taught units when the article changes', () => {
  const text = 'One. The limousine sentence. Three.';
  it('keeps a unit whose text is unchanged, moves one the article holds once elsewhere, and drops one it no longer holds', () => {
    expect(locateUnit(text, { paragraph: 1, start: 5, end: 28, quote: 'The limousine sentence.' })).toEqual({ start: 5, end: 28 });
    expect(locateUnit(`Zero. ${text}`, { paragraph: 1, start: 5, end: 28, quote: 'The limousine sentence.' })).toEqual({ start: 11, end: 34 });
    expect(locateUnit(text.replace('limousine', 'car'), { paragraph: 1, start: 5, end: 28, quote: 'The limousine sentence.' })).toBeUndefined();
  });
});

describe('gaps taught since', () => {
  const gap = (question: string, allWordings: string[]): Gap => ({ count: 2, question, wordings: [], allWordings, refused: 2, unsure: 0, downVotes: 0, latest: new Date() });
  const taught = (question: string, at: Date): TaughtRecord => ({ id: 'x', scope: 'g', question, embeddingModel: 'm', articleSha: 's', units: [], refuse: true, how: 'correction', at });

  it('marks a gap when one of its wordings is a taught question, with the newest such answer', () => {
    const [a, b] = markTaught([gap('What car was Putin in?', ['What car was Putin in?', 'which car did putin ride']), gap('how old is putin', ['how old is putin'])], [
      taught('which car did putin ride', new Date(1000)),
      taught('what car was putin in', new Date(2000)),
    ]);
    expect(a!.taught).toEqual({ how: 'correction', at: new Date(2000) });
    expect(b!.taught).toBeUndefined();
  });
});

describe('what a pinned answer teaches', () => {
  const footnote = { article: { text: 'Intro. Both men got into the limousine. The end.' } } as never;
  it('teaches the cited sentences of an answer, a refusal for "the article doesn’t say", and nothing for a follow-up, "couldn’t find" or a taught answer', () => {
    expect(lessonOfEmbed({ description: 'Both men got into the **limousine**. [¶18]' }, footnote)).toEqual({ units: [{ start: 7, end: 39 }] });
    expect(lessonOfEmbed({ description: "**Probably this, or one of these.** Check the passages: I'm not sure.\nBoth men got into the limousine. [¶18]" }, footnote)).toEqual({ units: [{ start: 7, end: 39 }] });
    expect(lessonOfEmbed({ description: "**The article doesn't say.** Nothing in it answers this question." }, footnote)).toEqual({ refuse: true });
    expect(lessonOfEmbed({ description: "**I couldn't find this in the article.** It may still be there." }, footnote)).toBeUndefined();
    expect(lessonOfEmbed({ description: 'Both men got into the limousine. [¶18]', fields: [{ name: 'Follow-up to', value: 'x' }] }, footnote)).toBeUndefined();
    expect(lessonOfEmbed({ description: 'Both men got into the limousine. [¶18]', fields: [{ name: '✅ Answer confirmed by the moderators', value: 'x' }] }, footnote)).toBeUndefined();
  });
});

describe('a line of npm run teach', () => {
  it('reads a quote or a refusal, and names the line for anything else', () => {
    expect(parseTeachLine('{"q": "what car", "quote": "the Beast"}', 'Line 1')).toEqual({ q: 'what car', lesson: { quote: 'the Beast' } });
    expect(parseTeachLine('{"q": "what did he eat", "refuse": true}', 'Line 2')).toEqual({ q: 'what did he eat', lesson: { refuse: true } });
    expect(() => parseTeachLine('not json', 'Line 3')).toThrow(/^Line 3 is not JSON/);
    expect(() => parseTeachLine('["q"]', 'Line 4')).toThrow(/^Line 4 is not an object with a "q" string/);
    expect(() => parseTeachLine('{"q": "  ", "refuse": true}', 'Line 5')).toThrow(/^Line 5 has an empty question/);
    expect(() => parseTeachLine('{"q": "x", "quote": "y", "refuse": true}', 'Line 6')).toThrow(/^Line 6 needs exactly one of/);
    expect(() => parseTeachLine('{"q": "x"}', 'Line 7')).toThrow(/^Line 7 needs exactly one of/);
  });
});

describe('taught answers as training questions (npm run train -- --taught)', () => {
  it('makes a taught passage an answerable question with its sentences as evidence, a taught refusal an unanswerable one, and leaves out stale ones', async () => {
    const { taughtItems } = await import('../../src/quality/benchmark.js');
    const text = 'One. The limousine sentence. Three.';
    const record = (over: Partial<TaughtRecord>): TaughtRecord => ({ id: 'x', scope: '', question: 'q', embeddingModel: 'm', articleSha: 's', units: [], refuse: false, how: 'import', at: new Date(), ...over });
    const { items, skipped } = taughtItems(
      [
        record({ question: 'what car', units: [{ paragraph: 1, start: 5, end: 28, quote: 'The limousine sentence.' }] }),
        record({ question: 'what did he eat', refuse: true }),
        record({ question: 'gone', units: [{ paragraph: 1, start: 0, end: 4, quote: 'Not there any more.' }] }),
      ],
      text,
    );
    expect(items).toEqual([
      { q: 'what car', answerable: true, evidence: ['The limousine sentence.'] },
      { q: 'what did he eat', answerable: false },
    ]);
    expect(skipped).toBe(1);
  });
});
