/** Per-user cooldown between questions. `seconds = 0` turns it off. Memory stays bounded. */
export class Cooldown {
  readonly #last = new Map<string, number>();
  /** User → the cooldown window (its start) in which they were already told to wait. */
  readonly #noticed = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the user still has to wait (0 = go ahead, and the wait starts now). */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const t = this.now();
    const last = this.#last.get(userId);
    const wait = last === undefined ? 0 : last + this.seconds * 1000 - t;
    if (wait > 0) return Math.ceil(wait / 1000);
    this.#last.delete(userId);
    this.#last.set(userId, t);
    if (this.#last.size > 10_000) this.#prune(t);
    return 0;
  }

  /** Whether the user may ask now (does not start a wait). */
  ready(userId: string): boolean {
    if (this.seconds <= 0) return true;
    const last = this.#last.get(userId);
    return last === undefined || last + this.seconds * 1000 <= this.now();
  }

  /** True the first time it is called in a user's current cooldown window, false after. */
  noticeOnce(userId: string): boolean {
    const window = this.#last.get(userId);
    if (window === undefined || this.#noticed.get(userId) === window) return false;
    this.#noticed.delete(userId);
    this.#noticed.set(userId, window);
    if (this.#noticed.size > 10_000) this.#noticed.delete(this.#noticed.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.#last.size;
  }

  #prune(t: number): void {
    for (const [user, at] of this.#last) {
      if (at + this.seconds * 1000 > t) break; // insertion order = time order
      this.#last.delete(user);
    }
  }
}
