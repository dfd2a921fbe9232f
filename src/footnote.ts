/**
 * The whole core behind one object: article → chunks → embeddings → HNSW index → retrieval → answers.
 * Knows nothing of Discord; the bot and the CLI both call this.
 */
import { readFile } from 'node:fs/promises';
import { parseArticle, paragraphLabel, type Article, type Paragraph } from './article/article.js';
import { Answerer, type AskResult, type Citation, type SummaryLength, type SummaryResult } from './answering/answer.js';
import { AnswerModel, DEFAULT_MODEL_PATH } from './answering/answer-model.js';
import type { Embedder } from './index/embedder.js';
import { loadOrBuildIndex, type Manifest } from './index/index-store.js';
import { Retriever } from './answering/retrieval.js';
import { contextQuestion, type ConversationTurn } from './answering/follow-up.js';
import { ArticleError, EXIT } from './errors.js';
import { words } from './language/text.js';
import { sharedWordVectors, type WordVectors } from './language/word-vectors.js';
import { cleanQuestion } from './answering/input.js';
import { locateUnit, TAUGHT_MATCH, taughtResult, TaughtMemory, type MatchOptions, type TaughtEntry, type TaughtMatch, type TaughtRecord, type TaughtSource, type TaughtUnit, type TeachHow } from './answering/taught.js';
import type { Sentence } from './article/chunker.js';

export interface FootnoteOptions {
  articlePath: string;
  indexDir: string;
  embedder: Embedder;
  onProgress?: (done: number, total: number) => void;
  forceRebuild?: boolean;
  /** Use the index as it is and never write it (see `IndexOptions.readOnly`). */
  readOnly?: boolean;
  /** How many recent answers to keep for identical questions asked again (default 256; 0 = none). */
  answerCacheSize?: number;
  /** The answer model; by default the committed weights at `modelPath` (default `DEFAULT_MODEL_PATH`). */
  model?: AnswerModel;
  modelPath?: string;
  /** Word vectors for soft alignment (default: the shared compact GloVe file, built on first use). */
  wordVectors?: WordVectors;
}

export type PassageResult =
  | { ok: true; paragraph: Paragraph; label: string }
  | { ok: false; message: string };

export interface FootnoteInfo {
  paragraphs: number;
  sentences: number;
  chunks: number;
  model: string;
  dimensions: number;
  indexBuiltAt: string;
  articleSha256: string;
}

/** Largest article accepted (bytes). */
export const MAX_ARTICLE_BYTES = 8 * 1024 * 1024;

/** The parsed article, or an `ArticleError` naming the file and what is wrong with it. */
export async function loadArticle(path: string): Promise<Article> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArticleError(`The article ${path} does not exist: point ARTICLE_PATH at a UTF-8 text file.`, EXIT.noInput);
    if (code === 'EISDIR') throw new ArticleError(`The article ${path} is a directory: point ARTICLE_PATH at a UTF-8 text file.`, EXIT.noInput);
    throw new ArticleError(`The article ${path} can't be read (${code ?? 'error'}): check ARTICLE_PATH and the file's permissions.`, EXIT.noInput);
  }
  if (bytes.length > MAX_ARTICLE_BYTES) {
    throw new ArticleError(`The article ${path} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_ARTICLE_BYTES / 1024 / 1024} MB.`, EXIT.dataErr);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ArticleError(`The article ${path} is not UTF-8 text (UTF-16 or binary?): save it as UTF-8.`, EXIT.dataErr);
  }
  if (text.includes('\u0000')) throw new ArticleError(`The article ${path} holds NUL bytes, so it is not text: save it as UTF-8 text.`, EXIT.dataErr);
  const article = parseArticle(text);
  if (article.paragraphs.length === 0) throw new ArticleError(`The article ${path} has no paragraphs: it is empty or blank.`, EXIT.dataErr);
  return article;
}

/** The article, its index and a retriever over them: everything but the answer model (training uses this). */
export async function openRetriever(opts: Omit<FootnoteOptions, 'model' | 'modelPath'>) {
  const article = await loadArticle(opts.articlePath);
  const loaded = await loadOrBuildIndex({
    dir: opts.indexDir,
    article,
    embedder: opts.embedder,
    onProgress: opts.onProgress,
    force: opts.forceRebuild,
    readOnly: opts.readOnly,
  });
  const retriever = new Retriever(article, loaded.chunked, loaded.linguistics, loaded.index, opts.embedder, opts.wordVectors ?? sharedWordVectors());
  return { article, loaded, retriever };
}

export const DEFAULT_ANSWER_CACHE_SIZE = 256;

/** How a question is asked: in which server (taught answers of that server and of everywhere apply), or untaught. */
export interface AskOptions {
  /** A server id; '' = outside any server (only answers taught everywhere); undefined = every taught answer (the CLI). */
  scope?: string;
  /** Ignore taught answers: the model's answer. */
  untaught?: boolean;
}

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

export class Footnote {
  readonly #answerer: Answerer;
  #retriever!: Retriever;
  #embedderId = '';
  #taught!: TaughtMemory;
  /** Each taught answer's time as last read from the store, and those not used (stale). */
  readonly #taughtSeen = new Map<string, number>();
  readonly #stale = new Set<string>();
  /** The store's summary when last read in full (`refreshTaught`). */
  #lastSummary: { count: number; latest: number } | undefined;
  /** The words of each taught passage (by its sentence ids), shared by the taught answers citing it. */
  readonly #passageWords = new Map<string, ReadonlySet<string>>();
  /**
   * Recent answers by exact question text (whitespace collapsed). Answers are deterministic for one index
   * and model, so a repeat costs nothing; a question asked twice at once shares one computation.
   */
  readonly #recent = new Map<string, Promise<AskResult>>();
  #cacheSize = DEFAULT_ANSWER_CACHE_SIZE;

  private constructor(
    readonly article: Article,
    readonly manifest: Manifest,
    answerer: Answerer,
    /** Why the index was rebuilt on open, if it was. */
    readonly rebuildReason: string | undefined,
    /** Set when the answer model was trained on another embedding model's features. */
    readonly modelWarning: string | undefined,
  ) {
    this.#answerer = answerer;
  }

  static async open(opts: FootnoteOptions): Promise<Footnote> {
    const model = opts.model ?? (await AnswerModel.load(opts.modelPath ?? DEFAULT_MODEL_PATH));
    const { article, loaded, retriever } = await openRetriever(opts);
    const answerer = new Answerer(article, loaded.chunked, retriever, loaded.index, model);
    const modelWarning =
      model.embeddingModel === opts.embedder.id
        ? undefined
        : `the answer model was trained with ${model.embeddingModel} embeddings, not ${opts.embedder.id}: answers are uncalibrated until you run \`npm run train\``;
    const footnote = new Footnote(article, loaded.manifest, answerer, loaded.rebuilt ? loaded.reason : undefined, modelWarning);
    footnote.#cacheSize = opts.answerCacheSize ?? DEFAULT_ANSWER_CACHE_SIZE;
    footnote.#retriever = retriever;
    footnote.#embedderId = opts.embedder.id;
    footnote.#taught = new TaughtMemory(opts.embedder.dimensions);
    return footnote;
  }

  /** How many taught answers are in use. */
  get taughtCount(): number {
    return this.#taught.size;
  }

  /** Ids of taught answers not used because the article no longer holds their quotes. */
  get staleTaught(): ReadonlySet<string> {
    return this.#stale;
  }

  /** A taught answer in use, by id. */
  taughtEntry(id: string): TaughtEntry | undefined {
    return this.#taught.get(id);
  }

  /**
   * Puts taught answers (from the store) in use, replacing any of the same id; those whose quotes the
   * article no longer holds exactly are not used, and listed as stale. `removed`: ids forgotten.
   */
  async applyTaught(records: readonly TaughtRecord[], removed: readonly string[] = []): Promise<TaughtLoad> {
    for (const id of removed) {
      this.#taught.remove(id);
      this.#stale.delete(id);
      this.#taughtSeen.delete(id);
    }
    // Taught with another embedding model (or stored without a vector): embedded again, in one batch.
    const again = records.filter((r) => !r.vector || r.embeddingModel !== this.#embedderId);
    const vectors = await this.#retriever.embedQuestions(again.map((r) => r.question));
    const fresh = new Map(again.map((r, i) => [r.id, vectors[i]!]));
    const stale: string[] = [];
    for (const r of records) {
      this.#taughtSeen.set(r.id, r.at.getTime());
      const entry = this.#entryOf(r, fresh.get(r.id) ?? r.vector!);
      if (entry) {
        this.#taught.put(entry);
        this.#stale.delete(r.id);
      } else {
        this.#taught.remove(r.id);
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
  async refreshTaught(source: TaughtSource): Promise<TaughtLoad & { changed: number; removed: number }> {
    // Every teaching writes a newer time, every forgetting lowers the count: when neither moved, nothing did.
    const summary = await source.taughtSummary?.();
    const seen = summary && this.#lastSummary;
    if (summary && seen && summary.count === seen.count && summary.latest === seen.latest) return { used: this.#taught.size, stale: [], changed: 0, removed: 0 };
    const versions = await source.taughtVersions();
    const now = new Map(versions.map((v) => [v.id, v.at]));
    const removed = [...this.#taughtSeen.keys()].filter((id) => !now.has(id));
    const changed = versions.filter((v) => this.#taughtSeen.get(v.id) !== v.at).map((v) => v.id);
    const records = changed.length ? await source.taughtByIds(changed) : [];
    const load = await this.applyTaught(records, removed);
    this.#lastSummary = summary;
    return { ...load, changed: records.length, removed: removed.length };
  }

  #entryOf(r: TaughtRecord, vector: Float32Array): TaughtEntry | undefined {
    let sentences: Sentence[] = [];
    if (!r.refuse) {
      const located = r.units.map((u) => locateUnit(this.article.text, u));
      if (located.length === 0 || located.some((l) => l === undefined)) return undefined;
      sentences = this.#answerer.sentencesAt(located as { start: number; end: number }[]);
      if (sentences.length === 0) return undefined;
    }
    const { keys, words } = this.#retriever.questionKeys(r.question);
    const passageKey = sentences.map((s) => s.id).join(',');
    let passage = this.#passageWords.get(passageKey);
    if (!passage) {
      const words = new Set<string>();
      for (const s of sentences) {
        const a = this.#retriever.analysisOf(s.id);
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
      citations: sentences.map((s) => this.#answerer.citation(s)),
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
    const [vector] = await this.#retriever.embedQuestions([cleaned.text]);
    return {
      id: '',
      scope: meta.scope,
      question: cleaned.text,
      vector,
      embeddingModel: this.#embedderId,
      articleSha: this.manifest.articleSha256,
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
    return this.#answerer.sentencesAt(valid).map((s) => ({ paragraph: s.paragraph, start: s.start, end: s.end, quote: s.text }));
  }

  /**
   * A cited answer or an honest refusal. With `conversation` (the earlier turns, oldest first) a follow-up
   * is answered in the light of the last turn; a question that stands on its own is answered as if asked
   * alone. Never throws: failures come back as `error`.
   */
  async ask(question: unknown, conversation: readonly ConversationTurn[] = [], opts: AskOptions = {}): Promise<AskResult> {
    const result = await this.#cachedAsk(question, conversation);
    return opts.untaught ? result : this.#withTaught(result, opts.scope);
  }

  /**
   * A taught answer instead of the model's, when one matches (`taught.ts`): only for a question read on
   * its own (a follow-up is the model's), never for unusable input.
   */
  #withTaught(result: AskResult, scope: string | undefined): AskResult {
    const match = this.taughtMatch(result, scope);
    return match ? taughtResult(result, match.entry) : result;
  }

  /** The taught answer that would answer an untaught result's question, if any (`match`: other thresholds, for tuning). */
  taughtMatch(result: AskResult, scope?: string, match: MatchOptions = TAUGHT_MATCH): TaughtMatch | undefined {
    if (this.#taught.size === 0 || result.error || result.followUpTo !== undefined || !result.vector || !result.keys) return undefined;
    return this.#taught.match(result.vector, result.keys, result.ranked ?? [], scope, { vector: (w) => this.#retriever.wordVector(w), opposites: (a, b) => this.#retriever.opposites(a, b) }, match, result.question);
  }

  async #cachedAsk(question: unknown, conversation: readonly ConversationTurn[]): Promise<AskResult> {
    if (typeof question !== 'string' || this.#cacheSize <= 0) return this.#ask(question, conversation);
    const last = conversation.at(-1);
    const key = (last ? `${JSON.stringify([contextQuestion(last), last.cited.map((c) => [c.start, c.end])])}\n` : '') + question.trim().replace(/\s+/g, ' ');
    let answer = this.#recent.get(key);
    if (answer) {
      this.#recent.delete(key); // most recently used goes last
    } else {
      answer = this.#ask(question, conversation);
      // Failures are not remembered: the next ask tries again.
      void answer.then((r) => r.error?.code === 'internal' && this.#recent.get(key) === answer && this.#recent.delete(key));
    }
    this.#recent.set(key, answer);
    if (this.#recent.size > this.#cacheSize) this.#recent.delete(this.#recent.keys().next().value!);
    return { ...(await answer) };
  }

  async #ask(question: unknown, conversation: readonly ConversationTurn[]): Promise<AskResult> {
    try {
      return await this.#answerer.ask(question, conversation);
    } catch (err) {
      const message = 'Something went wrong while answering.';
      return {
        question: typeof question === 'string' ? question : '',
        answered: false,
        answer: message,
        citations: [],
        closest: [],
        confidence: 0,
        error: { code: 'internal', message: `${message} (${(err as Error).message})` },
      };
    }
  }

  async summarize(opts: { length?: SummaryLength; focus?: string } = {}): Promise<SummaryResult> {
    try {
      return await this.#answerer.summarize(opts);
    } catch (err) {
      const message = 'Something went wrong while summarising.';
      return {
        length: opts.length ?? 'medium',
        focus: opts.focus,
        answered: false,
        summary: message,
        citations: [],
        error: { code: 'internal', message: `${message} (${(err as Error).message})` },
      };
    }
  }

  passage(n: unknown): PassageResult {
    const count = this.article.paragraphs.length;
    const num = typeof n === 'string' ? Number(n.trim().replace(/^¶/, '')) : n;
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 1 || num > count) {
      return { ok: false, message: `There is no paragraph ${String(n).slice(0, 20)}: the article has paragraphs 1 to ${count}.` };
    }
    const paragraph = this.article.paragraphs[num - 1]!;
    return { ok: true, paragraph, label: paragraphLabel(paragraph) };
  }

  /** A paragraph's sentences as citations (a caption's credit too), in order; [] for no such paragraph. */
  sentencesOf(n: number): Citation[] {
    const p = this.article.paragraphs[n - 1];
    if (!p) return [];
    return this.#answerer.sentencesAt([{ start: p.start, end: p.credit ? Math.max(p.end, p.credit.end) : p.end }]).filter((s) => s.paragraph === n).map((s) => this.#answerer.citation(s));
  }

  /** Paragraphs for a lookup box: a number finds that paragraph, words find paragraphs holding all of them. */
  findParagraphs(typed: string, limit: number): Paragraph[] {
    const query = typed.trim().toLowerCase();
    const all = this.article.paragraphs;
    if (query === '') return all.slice(0, limit);
    const asNumber = /^¶?(\d+)$/.exec(query);
    if (asNumber) {
      const n = Number(asNumber[1]);
      return all.filter((p) => String(p.n).startsWith(String(n))).slice(0, limit);
    }
    const wanted = words(query);
    const text = (p: Paragraph) => words(p.text).join(' ');
    return all.filter((p) => wanted.every((w) => text(p).includes(w))).slice(0, limit);
  }

  info(): FootnoteInfo {
    const m = this.manifest;
    return {
      paragraphs: m.counts.paragraphs,
      sentences: m.counts.sentences,
      chunks: m.counts.chunks,
      model: m.model,
      dimensions: m.dimensions,
      indexBuiltAt: m.builtAt,
      articleSha256: m.articleSha256,
    };
  }
}
