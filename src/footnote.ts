/**
 * The whole core behind one object: article → chunks → embeddings → HNSW index → retrieval → answers.
 * Knows nothing of Discord; the bot and the CLI both call this.
 */
import { readFile } from 'node:fs/promises';
import { parseArticle, paragraphLabel, type Article, type Paragraph } from './article/article.js';
import { Answerer, type AskResult, type Citation, type SummaryLength, type SummaryResult } from './answer/answer.js';
import { AnswerModel, DEFAULT_MODEL_PATH } from './decision/answer-model.js';
import type { Embedder } from './index/embedder.js';
import { loadOrBuildIndex, type Manifest } from './index/index-store.js';
import { Retriever } from './candidates/retrieval.js';
import { contextQuestion, type ConversationTurn } from './conversation/follow-up.js';
import { ArticleError, EXIT } from './errors.js';
import { words } from './language/text.js';
import { sharedWordVectors, type WordVectors } from './language/word-vectors.js';
import { taughtResult } from './taught/taught.js';
import { TaughtAnswers } from './taught/taught-answers.js';
import { DEFAULT_READER_PATH, loadReader, type Reader } from './reader/cross-encoder.js';

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
  /** The reader (cross-encoder); by default the committed one at `readerPath` (default `DEFAULT_READER_PATH`); null: none (measuring the first stage alone). */
  reader?: Reader | null;
  readerPath?: string;
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
  const reader = opts.reader === null ? undefined : (opts.reader ?? (await loadReader(opts.readerPath ?? DEFAULT_READER_PATH)));
  const retriever = new Retriever(article, loaded.chunked, loaded.linguistics, loaded.index, opts.embedder, opts.wordVectors ?? sharedWordVectors(), reader);
  return { article, loaded, retriever, reader };
}

export const DEFAULT_ANSWER_CACHE_SIZE = 256;

/** How a question is asked: in which server (taught answers of that server and of everywhere apply), or untaught. */
export interface AskOptions {
  /** A server id; '' = outside any server (only answers taught everywhere); undefined = every taught answer (the CLI). */
  scope?: string;
  /** Ignore taught answers: the model's answer. */
  untaught?: boolean;
}


export class Footnote {
  readonly #answerer: Answerer;
  /** The answers moderators taught (`taught/taught-answers.ts`): put in use from the store, matched on every ask. */
  taught!: TaughtAnswers;
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
    const { article, loaded, retriever, reader } = await openRetriever(opts);
    const answerer = new Answerer(article, loaded.chunked, retriever, loaded.index, model);
    const modelWarning =
      model.embeddingModel !== opts.embedder.id
        ? `the answer model was trained with ${model.embeddingModel} embeddings, not ${opts.embedder.id}: answers are uncalibrated until you run \`npm run train\``
        : model.readerModel !== reader?.id
          ? `the answer model was trained with the reader ${model.readerModel ?? '(none)'}, not ${reader?.id ?? '(none)'}: answers are uncalibrated until you run \`npm run train\``
          : undefined;
    const footnote = new Footnote(article, loaded.manifest, answerer, loaded.rebuilt ? loaded.reason : undefined, modelWarning);
    footnote.#cacheSize = opts.answerCacheSize ?? DEFAULT_ANSWER_CACHE_SIZE;
    footnote.taught = new TaughtAnswers(article, loaded.manifest.articleSha256, opts.embedder, retriever, answerer);
    return footnote;
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
   * A taught answer instead of the model's, when one matches (`taught-answers.ts`): only for a question read
   * on its own (a follow-up is the model's), never for unusable input.
   */
  #withTaught(result: AskResult, scope: string | undefined): AskResult {
    const match = this.taught.match(result, scope);
    return match ? taughtResult(result, match.entry) : result;
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
