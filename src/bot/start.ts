/** Starting the bot: load or build the index and warm the model before logging in. */
import { Client, Events, Status } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import type { Embedder } from '../index/embedder.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { Footnote } from '../footnote.js';
import { progressLines } from '../progress.js';
import type { Logger } from '../logger.js';
import { attachHandlers, createClient, ownedShards } from './client.js';
import { loadCommands } from './commands.js';
import type { BotContext } from './context.js';
import { Cooldown } from './cooldown.js';
import { importFeedbackFiles } from '../store/import-feedback.js';
import { openStore } from '../store/open.js';
import { DAY_MS, daysAgo } from '../store/gaps.js';
import type { Store } from '../store/store.js';
import { BotMetrics, type ShardView } from './metrics.js';
import { exemptInteractionWebhooks } from './rest.js';
import { shardHealth, startOpsServer, type Health, type OpsServer } from './ops-server.js';
import { answerManager } from './shard-ipc.js';
import { TAUGHT_REFRESH_MS } from './teach.js';

export interface RunningBot {
  client: Client;
  ctx: BotContext;
  /** The metrics/health server's port, when METRICS_PORT is set. */
  opsPort?: number;
  stop(): Promise<void>;
}

/** The client's gateway shards as the metrics and the health check see them. */
function shardViews(client: Client | undefined): ShardView[] {
  if (!client) return [];
  return [...client.ws.shards.values()].map((s) => ({ id: s.id, status: Status[s.status] ?? String(s.status), ping: s.ping }));
}

/** The article, its index (loaded, or built and saved unless read-only) and the answer model, with progress logged. */
export async function openFootnote(config: Config, embedder: Embedder, logger: Logger, { readOnly = false } = {}): Promise<Footnote> {
  const footnote = await Footnote.open({
    articlePath: config.articlePath,
    indexDir: config.indexDir,
    embedder,
    modelPath: config.answerModelPath,
    readerPath: config.readerPath,
    answerCacheSize: config.answerCacheSize,
    readOnly,
    // A long article takes a while to embed: say how far along, once per tenth.
    onProgress: progressLines((line) => logger.info(line), 'building index'),
  });
  if (footnote.rebuildReason) logger.info({ reason: footnote.rebuildReason }, 'index rebuilt');
  if (footnote.modelWarning) logger.warn(footnote.modelWarning);
  return footnote;
}

/** The store, migrated, with the feedback files of earlier versions imported once (a damaged line is reported, not fatal). */
async function openDataStore(config: Config, logger: Logger): Promise<Store> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.database.url });
  const imported = await importFeedbackFiles(store, config.dataDir);
  if (imported.files.length) logger.info({ files: imported.files, votes: imported.votes, duplicates: imported.duplicates }, 'imported old feedback files into the store');
  for (const d of imported.damaged) logger.warn(d, 'skipped a damaged line of an old feedback file');
  logger.debug({ store: store.kind, schema: store.version }, `store ready (${store.kind})`);
  return store;
}

/**
 * Puts the store's taught answers in use, says in one line how many (and how many no longer match the
 * article, so are not used), then reads what other processes teach or forget every `TAUGHT_REFRESH_MS`.
 * A failed read is logged (once until one succeeds again); the answers in use stay.
 */
async function useTaughtAnswers(footnote: Footnote, store: Store, logger: Logger): Promise<NodeJS.Timeout> {
  const load = await footnote.taught.refresh(store);
  if (load.changed) {
    const stale = load.stale.length ? `; ${load.stale.length} no longer match the article (their quotes changed) and are not used` : '';
    logger.info({ taught: load.used, stale: load.stale.length }, `taught answers: ${load.used} in use${stale}`);
  }
  let failing = false;
  const timer = setInterval(() => {
    footnote.taught.refresh(store).then(
      () => (failing = false),
      (err: unknown) => {
        if (!failing) logger.error({ err }, 'could not read taught answers from the store');
        failing = true;
      },
    );
  }, TAUGHT_REFRESH_MS);
  timer.unref();
  return timer;
}

/** Deletes rows older than the retention period now and then once a day; returns the timer. */
function retentionSweep(store: Store, days: number, logger: Logger): NodeJS.Timeout {
  const run = () =>
    store
      .sweep(daysAgo(days))
      .then((n) => n && logger.info({ rows: n, retentionDays: days }, 'retention sweep'))
      .catch((err: unknown) => logger.error({ err }, 'retention sweep failed'));
  void run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return timer;
}

/**
 * Starts the bot with a parsed config; resolves once every shard it owns is ready. The metrics server (when
 * configured) starts first, so /healthz answers 503 while the index loads and the shards connect.
 */
export async function startBot(config: Config, logger: Logger, metrics = new BotMetrics()): Promise<RunningBot> {
  if (!config.discord.token) throw new ConfigError('DISCORD_TOKEN is missing: put DISCORD_TOKEN=<your bot token> in .env (see .env.example).');
  // Cheap checks first: the store opens and migrates (DATA_DIR or DATABASE_URL), then the article and index.
  const store = await openDataStore(config, logger);
  const sweep = retentionSweep(store, config.database.retentionDays, logger);
  let client: Client | undefined;
  let indexLoaded = false;
  const health = (): Health => shardHealth(indexLoaded, client ? ownedShards(client) : undefined, shardViews(client));
  metrics.watchShards(() => shardViews(client));
  let ops: OpsServer | undefined;
  let webhooks: { close(): void } | undefined;
  let taught: NodeJS.Timeout | undefined;
  // Under the ShardingManager the manager serves /metrics and /healthz for every shard: answer it instead.
  const stopAnswering = config.sharding.managed
    ? answerManager({ metrics: () => metrics.json(), health })
    : undefined;
  if (config.metrics.port !== undefined && !config.sharding.managed) {
    ops = await startOpsServer(config.metrics.port, config.metrics.host, { metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }), health }, logger);
  }
  try {
    // The forward pass runs in onnxruntime, off the event loop: it never holds up the gateway or an acknowledgement.
    const embedder = await loadEmbedder(config.embedding);
    const footnote = await openFootnote(config, embedder, logger, { readOnly: config.sharding.managed });
    await footnote.ask('warm-up question about the summit'); // first call compiles kernels; users shouldn't pay for it
    taught = await useTaughtAnswers(footnote, store, logger);
    indexLoaded = true;
    const ctx: BotContext = {
      footnote,
      config,
      logger,
      cooldown: new Cooldown(config.discord.askCooldownSeconds),
      store,
      metrics,
      meta: { title: config.articleTitle, source: config.articleSource },
    };
    const commands = await loadCommands();
    client = createClient(config.discord.apiUrl, config.sharding);
    webhooks = exemptInteractionWebhooks(client.rest);
    attachHandlers(client, commands, ctx);
    const { count, ids } = config.sharding;
    logger.info({ shards: ids ?? 'all', shardCount: count }, `starting shard${ids?.length === 1 ? '' : 's'} ${ids?.join(', ') ?? (count === 'auto' ? '(Discord’s recommended count)' : `0–${count - 1}`)} of ${count}`);
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    await client.login(config.discord.token);
    await ready;
    const info = footnote.info();
    const owned = ownedShards(client) ?? [];
    logger.info(
      { pid: process.pid, guilds: client.guilds.cache.size, shards: owned, shardCount: client.options.shardCount, model: info.model, chunks: info.chunks, paragraphs: info.paragraphs, user: client.user?.tag },
      `ready: shard${owned.length === 1 ? '' : 's'} ${owned.join(', ')} of ${client.options.shardCount}, ${client.guilds.cache.size} guild(s), model ${info.model}, index ${info.chunks} chunks`,
    );
    const running = client;
    return {
      client: running,
      ctx,
      opsPort: ops?.port,
      async stop() {
        stopAnswering?.();
        clearInterval(sweep);
        clearInterval(taught);
        await running.destroy();
        webhooks?.close();
        await ops?.close();
        await store.close();
      },
    };
  } catch (err) {
    stopAnswering?.();
    clearInterval(sweep);
    clearInterval(taught);
    await store.close().catch(() => {});
    await client?.destroy().catch(() => {});
    webhooks?.close();
    await ops?.close();
    throw err;
  }
}
