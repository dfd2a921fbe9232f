/** Okapi BM25 over pre-tokenised documents. Pure and deterministic. */
export interface Bm25Options {
  k1?: number;
  b?: number;
}

export class Bm25 {
  readonly #docs: Map<string, number>[];
  readonly #lengths: number[];
  readonly #avgLength: number;
  readonly #df = new Map<string, number>();
  readonly #k1: number;
  readonly #b: number;

  constructor(docs: readonly (readonly string[])[], { k1 = 1.2, b = 0.75 }: Bm25Options = {}) {
    this.#k1 = k1;
    this.#b = b;
    this.#docs = docs.map((tokens) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
      return tf;
    });
    this.#lengths = docs.map((d) => d.length);
    this.#avgLength = this.#lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  }

  get size(): number {
    return this.#docs.length;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for a term no document has. */
  idf(term: string): number {
    const df = this.#df.get(term) ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.#docs.length - df + 0.5) / (df + 0.5));
  }

  has(term: string): boolean {
    return this.#df.has(term);
  }

  /**
   * Score of every document for the query. Either a list of terms (duplicates count once) or
   * term → weight, where a weight scales that term's contribution (used for synonyms).
   */
  scores(query: readonly string[] | ReadonlyMap<string, number>): number[] {
    const weighted = Array.isArray(query) ? new Map(query.map((t) => [t, 1] as const)) : (query as ReadonlyMap<string, number>);
    return this.#docs.map((tf, i) => {
      let score = 0;
      const norm = this.#k1 * (1 - this.#b + (this.#b * this.#lengths[i]!) / (this.#avgLength || 1));
      for (const [term, weight] of weighted) {
        const f = tf.get(term);
        if (!f) continue;
        score += (weight * this.idf(term) * f * (this.#k1 + 1)) / (f + norm);
      }
      return score;
    });
  }
}
