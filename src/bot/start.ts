/** Starting the bot: load or build the index and warm the model before logging in. */
import { ConfigError, type Config } from '../config.js';
import { loadEmbedder } from '../embedders/index.js';
import { Footnote } from '../footnote.js';
import { progressLines } from '../progress.js';
import type { Logger } from '../logger.js';
import { attachHandlers, createClient } from './client.js';
import { loadCommands } from './commands.js';
import type { BotContext } from './context.js';
import { Cooldown } from './cooldown.js';
import { FeedbackStore } from './feedback.js';
import { Client, Events } from 'discord.js';

export interface RunningBot {
  client: Client;
  ctx: BotContext;
  stop(): Promise<void>;
}

/** Starts the bot with a parsed config; resolves once the client is ready. */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  if (!config.discord.token) throw new ConfigError('DISCORD_TOKEN is missing: put DISCORD_TOKEN=<your bot token> in .env (see .env.example).');
  // Cheap checks first: DATA_DIR writable (and its feedback file readable), then the article and index.
  const feedback = await FeedbackStore.open(config.dataDir);
  const embedder = await loadEmbedder(config.embedding);
  const footnote = await Footnote.open({
    articlePath: config.articlePath,
    indexDir: config.indexDir,
    embedder,
    modelPath: config.answerModelPath,
    // A long article takes a while to embed: say how far along, once per tenth.
    onProgress: progressLines((line) => logger.info(line), 'building index'),
  });
  if (footnote.rebuildReason) logger.info({ reason: footnote.rebuildReason }, 'index rebuilt');
  if (footnote.modelWarning) logger.warn(footnote.modelWarning);
  await footnote.ask('warm-up question about the summit'); // first call compiles kernels; users shouldn't pay for it
  const ctx: BotContext = {
    footnote,
    config,
    logger,
    cooldown: new Cooldown(config.discord.askCooldownSeconds),
    feedback,
    meta: { title: config.articleTitle, source: config.articleSource },
  };
  const commands = await loadCommands();
  const client = createClient(config.discord.apiUrl);
  attachHandlers(client, commands, ctx);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discord.token);
  await ready;
  const info = footnote.info();
  logger.info(
    { guilds: client.guilds.cache.size, model: info.model, chunks: info.chunks, paragraphs: info.paragraphs, user: client.user?.tag },
    `ready: ${client.guilds.cache.size} guild(s), model ${info.model}, index ${info.chunks} chunks`,
  );
  return {
    client,
    ctx,
    async stop() {
      await client.destroy();
    },
  };
}
