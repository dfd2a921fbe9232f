/**
 * `npm run start:sharded`: several shard processes on one machine through discord.js's ShardingManager.
 * The index is built (or checked) once here, before any shard starts; each shard process then opens it
 * read-only. With METRICS_PORT set, this process serves /metrics (every shard's metrics aggregated by
 * prom-client) and /healthz (200 only when every shard process is up, has its index and is ready).
 */
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { createLogger, type Logger } from '../logger.js';
import { aggregateMetrics } from './metrics.js';
import { startOpsServer, type Health, type OpsServer } from './ops-server.js';
import { configOrExit, exitOnSignals, exitOnStartupError } from './process.js';
import { isOpsReply, type OpsReply } from './shard-ipc.js';
import { openFootnote } from './start.js';

const SHARD_MAIN = new URL('./main.ts', import.meta.url).pathname;
/** How long a shard process may take to load the model and index and connect (a long article takes a while). */
const SHARD_READY_TIMEOUT_MS = 10 * 60_000;
/** How long a shard has to answer a metrics or health request before it counts as not answering. */
const OPS_TIMEOUT_MS = 2_000;

/** Builds or checks the index once, so shards only read it. */
async function prepareIndex(config: Config, logger: Logger): Promise<void> {
  await openFootnote(config, await loadEmbedder(config.embedding), logger);
}

/** SHARD_COUNT=auto: Discord's recommendation from GET /gateway/bot (through DISCORD_API_URL). */
async function shardCount(config: Config): Promise<number> {
  if (config.sharding.count !== 'auto') return config.sharding.count;
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token!);
  const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return shards;
}

/** Asks one shard process for its metrics and health; undefined when it is not running or does not answer. */
function askShard(shard: Shard, id: number): Promise<OpsReply | undefined> {
  if (!shard.process && !shard.worker) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (reply: OpsReply | undefined) => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      resolve(reply);
    };
    const onMessage = (msg: unknown) => {
      if (isOpsReply(msg) && msg.id === id) done(msg);
    };
    const timer = setTimeout(() => done(undefined), OPS_TIMEOUT_MS);
    shard.on('message', onMessage);
    shard.send({ footnote: 'ops?', id }).catch(() => done(undefined));
  });
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel).child({ role: 'manager' });
  let ops: OpsServer | undefined;
  let manager: ShardingManager | undefined;
  const stopAll = async () => {
    for (const shard of manager?.shards.values() ?? []) shard.kill();
    await ops?.close();
  };
  exitOnSignals(logger, stopAll);
  try {
    if (!config.discord.token) throw new ConfigError('DISCORD_TOKEN is missing: put DISCORD_TOKEN=<your bot token> in .env (see .env.example).');
    await prepareIndex(config, logger);
    const total = await shardCount(config);
    const mine = config.sharding.ids ?? Array.from({ length: total }, (_, i) => i);
    manager = new ShardingManager(SHARD_MAIN, {
      totalShards: total,
      shardList: mine,
      mode: 'process',
      respawn: true,
      execArgv: ['--import', 'tsx'],
      token: config.discord.token,
    });
    const shards = manager.shards;
    manager.on('shardCreate', (shard) => {
      logger.info({ shard: shard.id }, `shard ${shard.id} process started`);
      shard.on('death', (child) => logger.warn({ shard: shard.id, exitCode: 'exitCode' in child ? child.exitCode : undefined }, `shard ${shard.id} process exited`));
    });
    let seq = 0;
    const survey = async () => Promise.all(mine.map(async (id) => ({ id, reply: shards.get(id) ? await askShard(shards.get(id)!, ++seq) : undefined })));
    if (config.metrics.port !== undefined) {
      ops = await startOpsServer(
        config.metrics.port,
        config.metrics.host,
        {
          async metrics() {
            const replies = (await survey()).flatMap((s) => (s.reply ? [s.reply.metrics] : []));
            return aggregateMetrics(replies);
          },
          async health(): Promise<Health> {
            for (const { id, reply } of await survey()) {
              if (!reply) return { ok: false, reason: `shard ${id}: process not running or not answering` };
              if (!reply.health.ok) return { ok: false, reason: `shard ${id}: ${reply.health.reason}` };
            }
            return { ok: true, reason: `ok: ${mine.length} shard process${mine.length === 1 ? '' : 'es'} (${mine.join(', ')} of ${total}) ready` };
          },
        },
        logger,
      );
    }
    logger.info({ shards: mine, shardCount: total }, `spawning shard${mine.length === 1 ? '' : 's'} ${mine.join(', ')} of ${total}, one process each`);
    await manager.spawn({ amount: total, delay: config.sharding.spawnDelayMs, timeout: SHARD_READY_TIMEOUT_MS });
    logger.info({ shards: mine, shardCount: total }, `ready: shard${mine.length === 1 ? '' : 's'} ${mine.join(', ')} of ${total} running`);
  } catch (err) {
    await stopAll();
    // A shard that dies while starting has already logged its own line above.
    exitOnStartupError(err, logger, "a shard's own line above says why; LOG_LEVEL=debug shows the details");
  }
}

await main();
