/**
 * What operators graph: Prometheus metrics (prom-client) for questions, latency, summaries, pins,
 * feedback, errors and the gateway shards, plus the process defaults. One registry per process; under
 * the ShardingManager the manager asks every shard for its metrics and serves them aggregated.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One process's metrics as `registry.getMetricsAsJSON()` gives them (what shards send the manager). */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** How a question ended: a cited answer, an honest refusal, unusable input, the cooldown, or a failure. */
export type QuestionOutcome = 'answered' | 'refused' | 'invalid' | 'limited' | 'error';
/** Where a question came from. */
export type QuestionVia = 'slash' | 'mention' | 'follow-up';

/** One gateway shard as the health check and the metrics see it. */
export interface ShardView {
  id: number;
  /** discord.js `Status` name: Ready, Connecting, Reconnecting, Idle, Identifying, … */
  status: string;
  /** Heartbeat round trip in ms (-1 before the first heartbeat). */
  ping: number;
}

export class BotMetrics {
  readonly registry = new Registry();
  readonly questions: Counter<'outcome' | 'via'>;
  readonly answerSeconds: Histogram<'via'>;
  readonly summaries: Counter<'outcome'>;
  readonly pins: Counter;
  readonly feedbackVotes: Counter<'vote'>;
  readonly picks: Counter;
  readonly taught: Counter;
  readonly errors: Counter<'handler'>;
  #shards: () => ShardView[] = () => [];

  constructor({ processDefaults = true }: { processDefaults?: boolean } = {}) {
    const registers = [this.registry];
    this.questions = new Counter({
      name: 'footnote_questions_total',
      help: 'Questions by outcome (answered, refused, invalid, limited by the cooldown, error) and source (slash, mention).',
      labelNames: ['outcome', 'via'],
      registers,
    });
    this.answerSeconds = new Histogram({
      name: 'footnote_answer_seconds',
      help: 'From receiving the interaction or mention to the answer sent to Discord, in seconds.',
      labelNames: ['via'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.summaries = new Counter({ name: 'footnote_summaries_total', help: 'Summaries sent, by outcome (answered, no_match).', labelNames: ['outcome'], registers });
    this.pins = new Counter({ name: 'footnote_pins_total', help: 'Answers pinned by moderators.', registers });
    this.feedbackVotes = new Counter({ name: 'footnote_feedback_votes_total', help: 'Feedback votes recorded, by vote.', labelNames: ['vote'], registers });
    this.picks = new Counter({ name: 'footnote_picks_total', help: 'Passages picked as the answer under likely answers ("This answers it"), once per user per answer.', registers });
    this.taught = new Counter({ name: 'footnote_taught_total', help: 'Questions taught by moderators (a pin, a correction, askers’ picks), by how.', labelNames: ['how'], registers });
    this.errors = new Counter({ name: 'footnote_errors_total', help: 'Unexpected failures (logged with a reference id), by handler.', labelNames: ['handler'], registers });
    const shards = () => this.#shards();
    new Gauge({
      name: 'footnote_gateway_ping_ms',
      help: 'Gateway heartbeat round trip per shard, in milliseconds (-1 before the first heartbeat).',
      labelNames: ['shard'],
      registers,
      collect() {
        this.reset();
        for (const s of shards()) this.set({ shard: String(s.id) }, s.ping);
      },
    });
    new Gauge({
      name: 'footnote_shard_ready',
      help: 'Gateway shard status: 1 when Ready, 0 otherwise; the status name is a label.',
      labelNames: ['shard', 'status'],
      registers,
      collect() {
        this.reset();
        for (const s of shards()) this.set({ shard: String(s.id), status: s.status }, s.status === 'Ready' ? 1 : 0);
      },
    });
    if (processDefaults) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the shard gauges read from (the client, once it exists). */
  watchShards(view: () => ShardView[]): void {
    this.#shards = view;
  }

  /** Counts a question; with `startedAt` (performance.now() at receipt) also its latency. */
  question(outcome: QuestionOutcome, via: QuestionVia, startedAt?: number): void {
    this.questions.inc({ outcome, via });
    if (startedAt !== undefined && (outcome === 'answered' || outcome === 'refused')) {
      this.answerSeconds.observe({ via }, (performance.now() - startedAt) / 1000);
    }
  }

  json(): Promise<MetricsJson> {
    return this.registry.getMetricsAsJSON();
  }
}

/** The metrics of several processes (the ShardingManager's shards) as one Prometheus text exposition. */
export async function aggregateMetrics(perProcess: MetricsJson[]): Promise<{ contentType: string; text: string }> {
  const registry = AggregatorRegistry.aggregate(perProcess);
  return { contentType: registry.contentType, text: await registry.metrics() };
}
