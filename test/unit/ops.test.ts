import { createServer } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { aggregateMetrics, BotMetrics } from '../../src/bot/metrics.js';
import { shardHealth, startOpsServer } from '../../src/bot/ops-server.js';
import { shardOf } from '../../src/bot/client.js';

const quiet = pino({ level: 'silent' });

describe('shardHealth', () => {
  const ready = (id: number) => ({ id, status: 'Ready', ping: 40 });
  it('is unhealthy until the index is loaded, naming that first', () => {
    expect(shardHealth(false, [0], [ready(0)])).toEqual({ ok: false, reason: 'index not loaded yet' });
  });
  it('names the first owned shard that is missing or not ready', () => {
    expect(shardHealth(true, undefined, [])).toEqual({ ok: false, reason: 'shards not started yet' });
    expect(shardHealth(true, [0, 1], [ready(0)])).toEqual({ ok: false, reason: 'shard 1 not connected' });
    expect(shardHealth(true, [0, 1], [ready(0), { id: 1, status: 'Reconnecting', ping: -1 }])).toEqual({ ok: false, reason: 'shard 1 not ready (Reconnecting)' });
  });
  it('is healthy when every owned shard is ready, whatever other shards do', () => {
    expect(shardHealth(true, [2], [ready(2), { id: 3, status: 'Idle', ping: -1 }])).toEqual({ ok: true, reason: 'ok: index loaded, shard 2 ready' });
  });
});

describe('shardOf', () => {
  it('follows Discord’s (guild_id >> 22) % shard count, with DMs on shard 0', () => {
    expect(shardOf('900000000000000002', 2)).toBe(1);
    expect(shardOf('900000000004194306', 2)).toBe(0);
    expect(shardOf('900000000000000002', 1)).toBe(0);
    expect(shardOf(null, 4)).toBe(0);
  });
});

describe('startOpsServer', () => {
  it('stops with a ConfigError naming METRICS_PORT when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const starting = startOpsServer(port, '127.0.0.1', { metrics: async () => ({ contentType: 'text/plain', text: '' }), health: () => ({ ok: true, reason: 'ok' }) }, quiet);
      await expect(starting).rejects.toThrow(ConfigError);
      await expect(starting).rejects.toThrow(new RegExp(`^METRICS_PORT ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('answers 500 without details when a source fails, and refuses other methods', async () => {
    const ops = await startOpsServer(0, '127.0.0.1', { metrics: async () => Promise.reject(new Error('secret detail')), health: () => ({ ok: false, reason: 'index not loaded yet' }) }, quiet);
    try {
      const m = await fetch(`http://127.0.0.1:${ops.port}/metrics`);
      expect([m.status, await m.text()]).toEqual([500, 'internal error\n']);
      const h = await fetch(`http://127.0.0.1:${ops.port}/healthz`);
      expect([h.status, await h.text()]).toEqual([503, 'index not loaded yet\n']);
      expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await ops.close();
    }
  });
});

describe('BotMetrics', () => {
  it('times only questions that got an answer or a refusal', async () => {
    const m = new BotMetrics({ processDefaults: false });
    m.question('answered', 'slash', performance.now() - 120);
    m.question('refused', 'mention', performance.now());
    m.question('invalid', 'slash', performance.now());
    const text = await m.registry.metrics();
    expect(text).toMatch(/^footnote_questions_total\{outcome="invalid",via="slash"\} 1$/m);
    expect(text).toMatch(/^footnote_answer_seconds_count\{via="slash"\} 1$/m);
    expect(text).toMatch(/^footnote_answer_seconds_bucket\{le="0.1",via="slash"\} 0$/m);
    expect(text).toMatch(/^footnote_answer_seconds_bucket\{le="0.25",via="slash"\} 1$/m);
    expect(text).toMatch(/^footnote_answer_seconds_count\{via="mention"\} 1$/m);
  });

  it('adds up the counters of several shard processes, keeping each shard’s gauges apart', async () => {
    const shards = [0, 1].map((id) => {
      const m = new BotMetrics({ processDefaults: false });
      m.watchShards(() => [{ id, status: 'Ready', ping: 10 + id }]);
      m.question('answered', 'slash');
      m.pins.inc(id + 1);
      return m;
    });
    const { text } = await aggregateMetrics(await Promise.all(shards.map((m) => m.json())));
    expect(text).toMatch(/^footnote_questions_total\{outcome="answered",via="slash"\} 2$/m);
    expect(text).toMatch(/^footnote_pins_total 3$/m);
    expect(text).toMatch(/^footnote_gateway_ping_ms\{shard="0"\} 10$/m);
    expect(text).toMatch(/^footnote_gateway_ping_ms\{shard="1"\} 11$/m);
  });
});
