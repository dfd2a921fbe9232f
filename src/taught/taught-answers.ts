/**
 * The answers moderators taught, as one Footnote holds them: read from the store (or a file), checked
 * against the article as it is now, kept in a `TaughtMemory`, refreshed from what other processes teach
 * or forget, and matched against each question the model has answered (`taught.ts`: matching, guard).
 */
import type { Article } from '../article/article.js';
import type { Sentence } from '../article/chunker.js';
import type { Embedder } from '../index/embedder.js';
import type { Answerer, AskResult } from '../answer/answer.js';
import { cleanQuestion } from '../question/input.js';
import type { Retriever } from '../candidates/retrieval.js';
import { locateUnit, TAUGHT_MATCH, TaughtMemory, type MatchOptions, type TaughtEntry, type TaughtMatch, type TaughtRecord, type TaughtSource, type TaughtUnit, type TeachHow } from './taught.js';

/** What a taught answer answers with: article offsets of the sentences, a verbatim quote, or a refusal. */
export type Lesson = { units: readonly { start: number; end: number }[] } | { quote: string } | { refuse: true };

/** A lesson that can't be taught (an empty question, a quote the article does not hold): the message says why. */
export class TeachError extends Error {
  override readonly name = 'TeachError';
}

/** What loading taught answers found: how many are in use, and which no longer match the article. */
export interface TaughtLoad {
  used: number;
  /** Taught answers whose quotes the article no longer holds exactly: not used. */
  stale: string[];
}

export class TaughtAnswers {
  readonly #memory: TaughtMemory;
  readonly #embedderId: string;
  /** Each taught answer's time as last read from the store, and those not used (stale). */
  readonly #taughtSeen = new Map<string, number>();
  readonly #stale = new Set<string>();
  /** The store's summary when last read in full (`refresh`). */
  #lastSummary: { count: number; latest: number } | undefined;
  /** The words of each taught passage (by its sentence ids), shared by the taught answers citing it. */
  readonly #passageWords = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly article: Article,
    private readonly articleSha: string,
    embedder: Pick<Embedder, 'id' | 'dimensions'>,
    private readonly retriever: Retriever,
    private readonly answerer: Answerer,
  ) {
    this.#memory = new TaughtMemory(embedder.dimensions);
    this.#embedderId = embedder.id;
  }

  /** How many taught answers are in use. */
  get size(): number {
    return this.#memory.size;
  }

  /** Ids of taught answers not used because the article no longer holds their quotes. */
  get stale(): ReadonlySet<string> {
    return this.#stale;
  }

  /** A taught answer in use, by id. */
  entry(id: string): TaughtEntry | undefined {
    return this.#memory.get(id);
  }

  /**
   * Puts taught answers (from the store) in use, replacing any of the same id; those whose quotes the
   * article no longer holds exactly are not used, and listed as stale. `removed`: ids forgotten.
   */
  async apply(records: readonly TaughtRecord[], removed: readonly string[] = []): Promise<TaughtLoad> {
    for (const id of removed) {
      this.#memory.remove(id);
      this.#stale.delete(id);
      this.#taughtSeen.delete(id);
    }
    // Taught with another embedding model (or stored without a vector): embedded again, in one batch.
    const again = records.filter((r) => !r.vector || r.embeddingModel !== this.#embedderId);
    const vectors = await this.retriever.embedQuestions(again.map((r) => r.question));
    const fresh = new Map(again.map((r, i) => [r.id, vectors[i]!]));
    const stale: string[] = [];
    for (const r of records) {
      this.#taughtSeen.set(r.id, r.at.getTime());
      const entry = this.#entryOf(r, fresh.get(r.id) ?? r.vector!);
      if (entry) {
        this.#memory.put(entry);
        this.#stale.delete(r.id);
      } else {
        this.#memory.remove(r.id);
        this.#stale.add(r.id);
        stale.push(r.id);
      }
    }
    return { used: records.length - stale.length, stale };
  }

  /**
   * Reads what changed in the store since the last read (taught, replaced or forgotten elsewhere: another
   * process, another shard) and puts it in use. Returns what was read.
   */
  async refresh(source: TaughtSource): Promise<TaughtLoad & { changed: number; removed: number }> {
    // Every teaching writes a newer time, every forgetting lowers the count: when neither moved, nothing did.
    const summary = await source.taughtSummary?.();
    const seen = summary && this.#lastSummary;
    if (summary && seen && summary.count === seen.count && summary.latest === seen.latest) return { used: this.#memory.size, stale: [], changed: 0, removed: 0 };
    const versions = await source.taughtVersions();
    const now = new Map(versions.map((v) => [v.id, v.at]));
    const removed = [...this.#taughtSeen.keys()].filter((id) => !now.has(id));
    const changed = versions.filter((v) => this.#taughtSeen.get(v.id) !== v.at).map((v) => v.id);
    const records = changed.length ? await source.taughtByIds(changed) : [];
    const load = await this.apply(records, removed);
    this.#lastSummary = summary;
    return { ...load, changed: records.length, removed: removed.length };
  }

  #entryOf(r: TaughtRecord, vector: Float32Array): TaughtEntry | undefined {
    let sentences: Sentence[] = [];
    if (!r.refuse) {
      const located = r.units.map((u) => locateUnit(this.article.text, u));
      if (located.length === 0 || located.some((l) => l === undefined)) return undefined;
      sentences = this.answerer.sentencesAt(located as { start: number; end: number }[]);
      if (sentences.length === 0) return undefined;
    }
    const { keys, words } = this.retriever.questionKeys(r.question);
    const passageKey = sentences.map((s) => s.id).join(',');
    let passage = this.#passageWords.get(passageKey);
    if (!passage) {
      const words = new Set<string>();
      for (const s of sentences) {
        const a = this.retriever.analysisOf(s.id);
        for (const t of a.tokens) words.add(t);
        for (const l of a.lemmas) words.add(l);
      }
      this.#passageWords.set(passageKey, (passage = words));
    }
    return {
      id: r.id,
      scope: r.scope,
      question: r.question,
      how: r.how,
      refuse: r.refuse,
      at: r.at,
      vector,
      keys,
      citations: sentences.map((s) => this.answerer.citation(s)),
      sentenceIds: sentences.map((s) => s.id),
      asked: words,
      passage,
    };
  }

  /**
   * A taught answer ready for the store: the question (checked like any question) and its embedding, the
   * cited sentences (those holding the offsets or the verbatim quote) or a refusal. Throws a TeachError
   * when the question is unusable or the article does not hold the quote.
   */
  async lesson(question: string, lesson: Lesson, meta: { how: TeachHow; scope: string; by?: string | null; channelId?: string | null }): Promise<TaughtRecord> {
    const cleaned = cleanQuestion(question);
    if (!cleaned.ok) throw new TeachError(`the question can't be taught: ${cleaned.message}`);
    let units: TaughtUnit[] = [];
    const refuse = 'refuse' in lesson;
    if ('quote' in lesson) {
      const quote = lesson.quote.trim();
      const at = quote ? this.article.text.indexOf(quote) : -1;
      if (at < 0) throw new TeachError('the article does not hold that quote exactly (copy it verbatim from the article)');
      units = this.#units([{ start: at, end: at + quote.length }]);
    } else if ('units' in lesson) {
      units = this.#units(lesson.units);
      if (units.length === 0) throw new TeachError('those offsets hold no sentence of the article');
    }
    const [vector] = await this.retriever.embedQuestions([cleaned.text]);
    return {
      id: '',
      scope: meta.scope,
      question: cleaned.text,
      vector,
      embeddingModel: this.#embedderId,
      articleSha: this.articleSha,
      units,
      refuse,
      how: meta.how,
      by: meta.by ?? null,
      channelId: meta.channelId ?? null,
      at: new Date(),
    };
  }

  #units(ranges: readonly { start: number; end: number }[]): TaughtUnit[] {
    const valid = ranges.filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.end > r.start && r.end <= this.article.text.length);
    return this.answerer.sentencesAt(valid).map((s) => ({ paragraph: s.paragraph, start: s.start, end: s.end, quote: s.text }));
  }

  /** The taught answer that would answer an untaught result's question, if any (`match`: other thresholds, for tuning). */
  match(result: AskResult, scope?: string, match: MatchOptions = TAUGHT_MATCH): TaughtMatch | undefined {
    if (this.#memory.size === 0 || result.error || result.followUpTo !== undefined || !result.vector || !result.keys) return undefined;
    return this.#memory.match(result.vector, result.keys, result.ranked ?? [], scope, { vector: (w) => this.retriever.wordVector(w), opposites: (a, b) => this.retriever.opposites(a, b) }, match, result.question);
  }
}
