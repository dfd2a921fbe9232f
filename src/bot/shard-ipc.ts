/**
 * What the ShardingManager and its shard processes say to each other about operations, over the IPC
 * channel discord.js already opens: the manager asks, each shard answers with its metrics (as JSON, for
 * prom-client's aggregator) and its health. Messages carry a `footnote` key, so discord.js's own shard
 * messages and these never mix.
 */
import type { Health } from './ops-server.js';
import type { MetricsJson } from './metrics.js';

export interface OpsRequest {
  footnote: 'ops?';
  id: number;
}

export interface OpsReply {
  footnote: 'ops';
  id: number;
  health: Health;
  metrics: MetricsJson;
}

export function isOpsRequest(msg: unknown): msg is OpsRequest {
  return typeof msg === 'object' && msg !== null && (msg as OpsRequest).footnote === 'ops?' && typeof (msg as OpsRequest).id === 'number';
}

export function isOpsReply(msg: unknown): msg is OpsReply {
  return typeof msg === 'object' && msg !== null && (msg as OpsReply).footnote === 'ops';
}

/** In a shard process: answer the manager's requests from this process's metrics and health. */
export function answerManager(source: { metrics(): Promise<MetricsJson>; health(): Health }): () => void {
  const listener = (msg: unknown) => {
    if (!isOpsRequest(msg) || !process.send) return;
    void source.metrics().then((metrics) => process.send?.({ footnote: 'ops', id: msg.id, health: source.health(), metrics } satisfies OpsReply));
  };
  process.on('message', listener);
  return () => process.off('message', listener);
}
