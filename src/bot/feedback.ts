/**
 * 👍/👎 feedback, recorded locally as JSON Lines in DATA_DIR/feedback.jsonl: one vote per user per answer
 * (the answer's message id). Existing votes are read back on start, so the rule survives restarts.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface Vote {
  answerId: string;
  userId: string;
  vote: 'up' | 'down';
  question: string;
  answer: string;
  citations: number[];
  at: string;
}

export class FeedbackStore {
  readonly #seen = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open(dataDir: string): Promise<FeedbackStore> {
    const store = new FeedbackStore(join(dataDir, 'feedback.jsonl'));
    await mkdir(dirname(store.path), { recursive: true });
    const text = await readFile(store.path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      try {
        const v = JSON.parse(line) as Vote;
        store.#seen.add(`${v.answerId}:${v.userId}`);
      } catch {
        /* a torn last line is skipped */
      }
    }
    return store;
  }

  /** Records a vote; false when this user already voted on this answer. */
  async record(vote: Vote): Promise<boolean> {
    const key = `${vote.answerId}:${vote.userId}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    const write = this.#queue.then(() => appendFile(this.path, JSON.stringify(vote) + '\n'));
    this.#queue = write.catch(() => {});
    try {
      await write;
    } catch (err) {
      this.#seen.delete(key);
      throw err;
    }
    return true;
  }
}
