/** Starting the bot: load or build the index and warm the model before logging in. */
import { Client, Events, Status } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import type { ClosableEmbedder, Embedder } from '../embedder.js';
import { loadEmbedderOffLoop } from '../embedders/index.js';
import { Footnote } from '../footnote.js';
import { progressLines } from '../progress.js';
import type { Logger } from '../logger.js';
import { attachHandlers, createClient, ownedShards } from './client.js';
import { loadCommands } from './commands.js';
import type { BotContext } from './context.js';
import { Cooldown } from './cooldown.js';
import { FEEDBACK_MAX_LINES, FeedbackStore, feedbackFileName } from './feedback.js';
import { BotMetrics, type ShardView } from './metrics.js';
import { exemptInteractionWebhooks } from './rest.js';
import { shardHealth, startOpsServer, type Health, type OpsServer } from './ops-server.js';
import { answerManager } from './shard-ipc.js';

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
    answerCacheSize: config.answerCacheSize,
    readOnly,
    // A long article takes a while to embed: say how far along, once per tenth.
    onProgress: progressLines((line) => logger.info(line), 'building index'),
  });
  if (footnote.rebuildReason) logger.info({ reason: footnote.rebuildReason }, 'index rebuilt');
  if (footnote.modelWarning) logger.warn(footnote.modelWarning);
  return footnote;
}

/**
 * Starts the bot with a parsed config; resolves once every shard it owns is ready. The metrics server (when
 * configured) starts first, so /healthz answers 503 while the index loads and the shards connect.
 */
export async function startBot(config: Config, logger: Logger, metrics = new BotMetrics()): Promise<RunningBot> {
  if (!config.discord.token) throw new ConfigError('DISCORD_TOKEN is missing: put DISCORD_TOKEN=<your bot token> in .env (see .env.example).');
  // Cheap checks first: DATA_DIR writable (and its feedback file readable), then the article and index.
  const feedback = await FeedbackStore.open(config.dataDir, FEEDBACK_MAX_LINES, feedbackFileName(config.sharding.ids));
  let client: Client | undefined;
  let indexLoaded = false;
  const health = (): Health => shardHealth(indexLoaded, client ? ownedShards(client) : undefined, shardViews(client));
  metrics.watchShards(() => shardViews(client));
  let ops: OpsServer | undefined;
  let embedder: ClosableEmbedder | undefined;
  let webhooks: { close(): void } | undefined;
  // Under the ShardingManager the manager serves /metrics and /healthz for every shard: answer it instead.
  const stopAnswering = config.sharding.managed
    ? answerManager({ metrics: () => metrics.json(), health })
    : undefined;
  if (config.metrics.port !== undefined && !config.sharding.managed) {
    ops = await startOpsServer(config.metrics.port, config.metrics.host, { metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }), health }, logger);
  }
  try {
    // The forward pass runs off the event loop, so it never holds up the gateway or an acknowledgement.
    embedder = await loadEmbedderOffLoop(config.embedding);
    const footnote = await openFootnote(config, embedder, logger, { readOnly: config.sharding.managed });
    await footnote.ask('warm-up question about the summit'); // first call compiles kernels; users shouldn't pay for it
    indexLoaded = true;
    const ctx: BotContext = {
      footnote,
      config,
      logger,
      cooldown: new Cooldown(config.discord.askCooldownSeconds),
      feedback,
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
    const model = embedder;
    return {
      client: running,
      ctx,
      opsPort: ops?.port,
      async stop() {
        stopAnswering?.();
        await running.destroy();
        webhooks?.close();
        await ops?.close();
        await model.close();
      },
    };
  } catch (err) {
    stopAnswering?.();
    await client?.destroy().catch(() => {});
    webhooks?.close();
    await ops?.close();
    await embedder?.close();
    throw err;
  }
}
