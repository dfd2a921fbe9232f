/**
 * Taught answers: a question a moderator answered (by pinning, correcting, confirming picks, or an
 * import) answers the next person who asks it, in other words. After the model has answered a question,
 * the nearest taught questions are tried (every one compared up to `EXACT_UP_TO`, an HNSW index beyond,
 * so 10,000 taught answers cost well under a millisecond), nearest first. One answers when:
 *
 * - it is **the same question** asked again (case and punctuation aside); or it is **close enough**
 *   (`closeEnough`): a cosine of at least `similarity` and the model itself ranks the taught passage
 *   first for the new question, because two different questions can embed close together ("what was
 *   putin's broader goal" against "who went with putin to the meeting"); a taught refusal, which has no
 *   passage to rank, at `refuseSimilarity`;
 * - and it passes **the guard** (`passesGuard`): the same kind of answer asked for (who, where, when, why,
 *   how many; "what", "which" and "how" alike); every name or number of the question in the taught
 *   question or passage ("what car was zelensky in" is not "what car was putin in"), one shared when both
 *   name someone; and where the question puts content words in place of the taught question's (the two
 *   aligned on their shared words), each close to the word it replaces by word vectors and not its
 *   antonym ("what did putin wear" is not "what did putin eat").
 *
 * The thresholds and options are chosen on the fitted taught sets (`data/eval/taught-fit.jsonl` and the
 * spent first held-out half `taught-held.jsonl`) by `scripts/try-taught.ts`; `taught-new.jsonl` is held out.
 */
import hnswlib from 'hnswlib-node';
import { dot } from '../index/embedder.js';
import { NOT_IN_ARTICLE, type AskResult, type Citation, type TaughtNote, type TeachHow } from '../answer/answer.js';
import type { QuestionKeys } from '../candidates/retrieval.js';
export type { TeachHow } from '../answer/answer.js';

/** How a taught answer was taught: pinning an answer, a moderator's correction, askers' picks, or `npm run teach`. */
export const TEACH_HOWS: readonly TeachHow[] = ['pin', 'correction', 'picks', 'import'];

/** One cited unit of a taught answer: its paragraph, its exact article offsets and the text they held. */
export interface TaughtUnit {
  paragraph: number;
  start: number;
  end: number;
  quote: string;
}

/**
 * A taught answer: whoever asks this question again, in other words, gets these units (or, with `refuse`,
 * "the article doesn't say"). Kept until forgotten: the retention sweep does not touch them.
 */
export interface TaughtRecord {
  /** A short id (8 hex characters) for /taught and `npm run teach -- --forget`. */
  id: string;
  /** The server it was taught in, or '' for everywhere (imports). */
  scope: string;
  question: string;
  /** The question's embedding, unit length (stored as int8), by `embeddingModel`. */
  vector?: Float32Array;
  embeddingModel: string;
  /** The article (SHA-256) the offsets were taken from. */
  articleSha: string;
  units: TaughtUnit[];
  refuse: boolean;
  how: TeachHow;
  /** Who taught it (a user id, or `cli`). */
  by?: string | null;
  channelId?: string | null;
  at: Date;
}

/** A question's key for "the same question": lower case, words only. Teaching the same key again replaces. */
export function questionKey(q: string): string {
  return q.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** What the guard compares: the kind of answer asked for, the names and numbers, the other content words. */
export interface TaughtEntry {
  id: string;
  scope: string;
  question: string;
  how: TeachHow;
  refuse: boolean;
  at: Date;
  vector: Float32Array;
  keys: QuestionKeys;
  /** The taught passage's cited sentences, as in the article now (empty for a taught refusal). */
  citations: Citation[];
  /** Their sentence ids. */
  sentenceIds: number[];
  /** Lemmas and tokens of the taught question, for the guard. */
  asked: ReadonlySet<string>;
  /** Lemmas and tokens of the taught passage (one set per passage, shared by the entries citing it). */
  passage: ReadonlySet<string>;
}

export interface MatchOptions {
  /** Least cosine between the question's embedding and the taught one's, when the model itself ranks the taught passage among its `rank` best for the question. */
  similarity: number;
  /** How high the model must rank the taught passage (0 = first) for `similarity` to be enough. */
  rank: number;
  /** Least cosine that is enough whatever the model ranks (the same question in nearly the same words). */
  close: number;
  /** Least cosine for a taught refusal (there is no passage to rank). */
  refuseSimilarity: number;
  /** Least cosine between word vectors for a content word put in place of another to count as the same word; -1 = the check is off. */
  wordSimilarity: number;
  /** Whether a word the taught passage holds may stand in place of another. */
  passageWords: boolean;
  /** Whether a word may not stand in place of its WordNet antonym ("end" for "begin"), however close their vectors. */
  antonyms?: boolean;
  /** Whether a word may not stand in place of a name of the taught question ("crimea" for "alaska"). */
  namesKept?: boolean;
}

/** Chosen by `scripts/try-taught.ts` on the fitted taught sets only (fewest swaps, then most rewordings). */
export const TAUGHT_MATCH: MatchOptions = { similarity: 0.55, rank: 1, close: 1.01, refuseSimilarity: 0.9, wordSimilarity: 0.5, passageWords: false, antonyms: true, namesKept: false };

/** A taught answer's note, on the command line and in Discord. */
export const CONFIRMED = 'Answer confirmed by the moderators';
export const HOW_TAUGHT: Record<TeachHow, string> = { pin: 'a pinned answer', correction: 'a correction', picks: 'askers’ picks', import: 'an import' };

/** The taught answer a question gets, and how close it was. */
export interface TaughtMatch {
  entry: TaughtEntry;
  similarity: number;
}

/** The JSON's `taught`: which taught question answered, and how it was taught. */

type WordVector = (word: string) => Float32Array | undefined;

/** What the guard asks of the language: word vectors, and (optionally) whether two lemmas are antonyms. */
export interface WordSense {
  vector: WordVector;
  opposites?: (a: string, b: string) => boolean;
}

/**
 * Whether a question (its keys) may be answered by a taught entry: the guard described above. The two
 * questions are aligned on their shared words (longest common subsequence of lemmas); where the question
 * puts content words in place of the taught question's (a gap with content words on both sides), each
 * must be a word of the taught question, or close to one it replaces by word vectors (or, with
 * `passageWords`, a word of the passage): "what plane was putin in" puts "plane" where "car" was.
 */
export function passesGuard(q: QuestionKeys, t: TaughtEntry, sense: WordSense | WordVector, opts: Pick<MatchOptions, 'wordSimilarity' | 'passageWords' | 'antonyms' | 'namesKept'>): boolean {
  const { vector: wordVector, opposites } = typeof sense === 'function' ? { vector: sense, opposites: undefined } : sense;
  if (q.asks !== t.keys.asks) return false;
  const known = (w: string) => t.asked.has(w) || t.passage.has(w);
  if (!q.names.every(known)) return false;
  if (q.names.length && t.keys.names.length && !q.names.some((n) => t.keys.names.includes(n))) return false;
  if (opts.wordSimilarity < 0) return true;
  const vec = (w: { lemma: string; written: string }) => wordVector(w.written) ?? wordVector(w.lemma);
  for (const [mine, theirs] of gaps(q.sequence, t.keys.sequence)) {
    const ours = mine.filter((w) => w.content);
    const replaced = theirs.filter((w) => w.content);
    if (ours.length === 0 || replaced.length === 0) continue;
    for (const w of ours) {
      if (opts.antonyms && opposites && replaced.some((r) => opposites(w.lemma, r.lemma))) return false;
      if (t.asked.has(w.lemma) || t.asked.has(w.written) || (opts.passageWords && (known(w.lemma) || known(w.written)))) continue;
      if (opts.namesKept && replaced.some((r) => t.keys.names.includes(r.lemma))) return false;
      const v = vec(w);
      if (!v || !replaced.some((r) => {
        const u = vec(r);
        return u !== undefined && dot(u, v) >= opts.wordSimilarity;
      })) return false;
    }
  }
  return true;
}

type Word = QuestionKeys['sequence'][number];

/** The stretches between the words two sequences share (their longest common subsequence of lemmas). */
export function gaps(a: readonly Word[], b: readonly Word[]): [Word[], Word[]][] {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i]!.lemma === b[j]!.lemma ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: [Word[], Word[]][] = [];
  let i = 0;
  let j = 0;
  let gapA: Word[] = [];
  let gapB: Word[] = [];
  const close = () => {
    if (gapA.length || gapB.length) out.push([gapA, gapB]);
    gapA = [];
    gapB = [];
  };
  while (i < n && j < m) {
    if (a[i]!.lemma === b[j]!.lemma) {
      close();
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) gapA.push(a[i++]!);
    else gapB.push(b[j++]!);
  }
  gapA.push(...a.slice(i));
  gapB.push(...b.slice(j));
  close();
  return out;
}

/**
 * Whether a taught question is close enough: nearly the same words (`close`), or close (`similarity`) with
 * the model ranking the taught passage among its best for this question too; a taught refusal by `refuseSimilarity`.
 */
export function closeEnough(m: TaughtMatch, ranked: readonly number[], opts: MatchOptions): boolean {
  if (m.entry.refuse) return m.similarity >= opts.refuseSimilarity;
  if (m.similarity >= opts.close) return true;
  const rank = Math.min(...m.entry.sentenceIds.map((id) => (ranked.includes(id) ? ranked.indexOf(id) : Infinity)));
  return m.similarity >= opts.similarity && rank < opts.rank;
}

const HNSW = { m: 12, efConstruction: 64, ef: 64, seed: 7 };
/** Candidates looked at per question (nearest first): the first that passes the guard answers. */
const NEIGHBOURS = 8;
/** Up to this many taught answers, the lookup compares every one (exact); beyond, it asks the HNSW index. */
export const EXACT_UP_TO = 1000;

/**
 * The taught answers in memory, by id, with an HNSW index over their embeddings. Entries are replaced
 * and forgotten in place (a forgotten entry's point is marked deleted).
 */
export class TaughtMemory {
  readonly #byLabel = new Map<number, TaughtEntry>();
  readonly #labelOf = new Map<string, number>();
  #index: hnswlib.HierarchicalNSW | undefined;
  #next = 0;
  /** Points marked deleted (forgotten or replaced entries): past a quarter of the live ones, the index is rebuilt. */
  #deleted = 0;

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.#labelOf.size;
  }

  entries(): TaughtEntry[] {
    return [...this.#byLabel.values()];
  }

  get(id: string): TaughtEntry | undefined {
    const label = this.#labelOf.get(id);
    return label === undefined ? undefined : this.#byLabel.get(label);
  }

  put(entry: TaughtEntry): void {
    this.remove(entry.id);
    const index = this.#ensure(this.#next + 1);
    const label = this.#next++;
    index.addPoint(Array.from(entry.vector), label);
    this.#byLabel.set(label, entry);
    this.#labelOf.set(entry.id, label);
  }

  remove(id: string): boolean {
    const label = this.#labelOf.get(id);
    if (label === undefined) return false;
    this.#index!.markDelete(label);
    this.#byLabel.delete(label);
    this.#labelOf.delete(id);
    // Deleted points still route the search: many of them near a question hide the live ones. Rebuild.
    if (++this.#deleted > Math.max(64, this.size / 4)) this.#rebuild();
    return true;
  }

  /** A new index over the live entries only. */
  #rebuild(): void {
    const live = this.entries();
    this.#index = undefined;
    this.#byLabel.clear();
    this.#labelOf.clear();
    this.#next = 0;
    this.#deleted = 0;
    for (const e of live) this.put(e);
  }

  /**
   * The taught answer for a question (its embedding and keys), asked in `scope` (a server id; undefined
   * = any scope, the CLI): the nearest taught questions of that scope or of everywhere ('') that pass the
   * guard, nearest first.
   */
  match(vector: Float32Array, keys: QuestionKeys, ranked: readonly number[], scope: string | undefined, sense: WordSense | WordVector, opts: MatchOptions = TAUGHT_MATCH, asked?: string): TaughtMatch | undefined {
    if (!this.#index || this.size === 0) return undefined;
    const inScope = (e: TaughtEntry | undefined): e is TaughtEntry => e !== undefined && (scope === undefined || e.scope === '' || e.scope === scope);
    // Up to EXACT_UP_TO entries every one is compared (exact, and under half a millisecond); beyond, the HNSW index.
    const nearest =
      this.size <= EXACT_UP_TO
        ? [...this.#byLabel.values()].filter(inScope)
        : this.#index.searchKnn(Array.from(vector), Math.min(NEIGHBOURS, this.size), (label) => inScope(this.#byLabel.get(label))).neighbors.map((label) => this.#byLabel.get(label)!);
    const near = nearest.map((entry) => ({ entry, similarity: dot(entry.vector, vector) })).sort((a, b) => b.similarity - a.similarity);
    // The question that was taught, asked again (case and punctuation aside): its answer, whatever else.
    const key = asked === undefined ? undefined : questionKey(asked);
    const same = key === undefined ? undefined : near.slice(0, NEIGHBOURS).find((m) => questionKey(m.entry.question) === key);
    if (same) return same;
    const found = near.slice(0, NEIGHBOURS).filter((m) => closeEnough(m, ranked, opts));
    return found.find((m) => passesGuard(keys, m.entry, sense, opts));
  }

  #ensure(count: number): hnswlib.HierarchicalNSW {
    if (!this.#index) {
      this.#index = new hnswlib.HierarchicalNSW('ip', this.dimensions);
      this.#index.initIndex(Math.max(64, count), HNSW.m, HNSW.efConstruction, HNSW.seed);
      this.#index.setEf(HNSW.ef);
    } else if (count > this.#index.getMaxElements()) {
      this.#index.resizeIndex(Math.max(count, this.#index.getMaxElements() * 2));
    }
    return this.#index;
  }
}

/**
 * A taught unit as the article holds it now: at its offsets when the text there is unchanged, else
 * wherever the article holds the same text exactly once; undefined when it no longer holds it exactly.
 */
export function locateUnit(text: string, unit: TaughtUnit): { start: number; end: number } | undefined {
  if (text.slice(unit.start, unit.end) === unit.quote) return { start: unit.start, end: unit.end };
  const at = text.indexOf(unit.quote);
  if (at < 0 || text.indexOf(unit.quote, at + 1) >= 0) return undefined;
  return { start: at, end: at + unit.quote.length };
}

/** What reads taught answers and notices changes (the store, or anything shaped like it). */
export interface TaughtSource {
  /** How many taught answers there are and the newest's time: when neither moved, nothing changed. */
  taughtSummary?(): Promise<{ count: number; latest: number }>;
  taughtVersions(): Promise<{ id: string; at: number }[]>;
  taughtByIds(ids: readonly string[]): Promise<TaughtRecord[]>;
}

/**
 * The answer a taught entry gives, over the model's answer to the same question (kept for its closest
 * passages and its reading): the taught passage in the `answer` band, or a taught refusal ("The article
 * doesn't say", the model's passages as the closest). Marked with `taught`.
 */
export function taughtResult(base: AskResult, entry: TaughtEntry): AskResult {
  const taught: TaughtNote = { id: entry.id, question: entry.question, how: entry.how };
  const { alternatives: _alternatives, notFound: _notFound, gist: _gist, ...rest } = base;
  if (entry.refuse) {
    const shown = base.answered ? [...base.citations, ...(base.alternatives ?? [])] : base.closest;
    return { ...rest, answered: false, answer: NOT_IN_ARTICLE, citations: [], closest: shown.slice(0, 3), confidence: 0, band: 'refused', taught };
  }
  return { ...rest, answered: true, answer: entry.citations.map((c) => c.quote).join(' '), citations: entry.citations, closest: [], confidence: 1, band: 'answer', taught };
}
