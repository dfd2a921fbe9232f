/**
 * 👍/👎 feedback, recorded locally as JSON Lines in DATA_DIR/feedback.jsonl: one vote per user per answer
 * (the answer's message id). Each line holds only ids, the vote, the question, the cited paragraph
 * numbers and the time, never the answer text.
 *
 * Bounded: when the file reaches `maxLines` votes it is rotated to feedback.1.jsonl (replacing the
 * previous one) and a new file starts; votes in both files count for the one-vote rule, so at most
 * 2 × maxLines votes are kept. The store is opened at start-up: an unwritable DATA_DIR or an unreadable
 * file stops start-up, instead of surfacing at the first vote.
 *
 * Several shard processes on one machine share DATA_DIR: each writes (and rotates) only its own file,
 * feedback-shard-<ids>.jsonl, so no two processes append to or rename the same file. An answer's votes
 * always arrive at the process whose shard owns the answer's guild, so each process's own record enforces
 * the one-vote rule; votes in the other processes' files are read at start-up too, so the rule still holds
 * after the shards are laid out differently.
 */
import { access, appendFile, constants, mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config.js';

export interface Vote {
  answerId: string;
  userId: string;
  vote: 'up' | 'down';
  question: string;
  citations: number[];
  at: string;
}

export const FEEDBACK_MAX_LINES = 50_000;

/** The feedback file's name for a process running `shardIds` (all shards, or unsharded: feedback.jsonl). */
export function feedbackFileName(shardIds?: readonly number[]): string {
  return shardIds ? `feedback-shard-${[...shardIds].sort((a, b) => a - b).join('-')}.jsonl` : 'feedback.jsonl';
}

const FEEDBACK_FILE = /^feedback(?:-shard-[\d-]+)?(?:\.1)?\.jsonl$/;

export class FeedbackStore {
  /** answerId:userId of every kept vote, in insertion order, with the file (0 current, 1 rotated, 2 another process's). */
  readonly #seen = new Map<string, 0 | 1 | 2>();
  #lines = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly maxLines: number,
  ) {}

  get rotatedPath(): string {
    return this.path.replace(/\.jsonl$/, '.1.jsonl');
  }

  static async open(dataDir: string, maxLines = FEEDBACK_MAX_LINES, fileName = feedbackFileName()): Promise<FeedbackStore> {
    const store = new FeedbackStore(join(dataDir, fileName), maxLines);
    try {
      await mkdir(dataDir, { recursive: true });
      await access(dataDir, constants.W_OK);
    } catch (err) {
      throw new ConfigError(`DATA_DIR must be a writable folder: ${dataDir} can't be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const mine = [store.rotatedPath, store.path];
    const others = (await readdir(dataDir)).filter((f) => FEEDBACK_FILE.test(f)).map((f) => join(dataDir, f)).filter((f) => !mine.includes(f));
    const files: [string, 0 | 1 | 2][] = [...others.map((f): [string, 2] => [f, 2]), [store.rotatedPath, 1], [store.path, 0]];
    for (const [path, file] of files) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new ConfigError(`DATA_DIR: the feedback file ${path} can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const v = JSON.parse(line) as Vote;
          store.#seen.set(`${v.answerId}:${v.userId}`, file);
          if (file === 0) store.#lines++;
        } catch {
          /* a torn last line is skipped */
        }
      }
    }
    return store;
  }

  /** Records a vote; false when this user already voted on this answer. */
  async record(vote: Vote): Promise<boolean> {
    const key = `${vote.answerId}:${vote.userId}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, 0);
    const line: Vote = { answerId: vote.answerId, userId: vote.userId, vote: vote.vote, question: vote.question.slice(0, 500), citations: vote.citations, at: vote.at };
    const write = this.#queue.then(async () => {
      if (this.#lines >= this.maxLines) await this.#rotate();
      await appendFile(this.path, JSON.stringify(line) + '\n');
      this.#lines++;
    });
    this.#queue = write.catch(() => {});
    try {
      await write;
    } catch (err) {
      this.#seen.delete(key);
      throw err;
    }
    return true;
  }

  async #rotate(): Promise<void> {
    await rename(this.path, this.rotatedPath);
    for (const [key, file] of this.#seen) {
      if (file === 1) this.#seen.delete(key);
      else this.#seen.set(key, 1);
    }
    this.#lines = 0;
  }
}
