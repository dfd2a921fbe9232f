/**
 * The Discord client and its event handlers: interactions (commands, autocomplete, buttons, context menu)
 * and @mentions. Everything that can fail is caught: the bot keeps running.
 */
import { Client, Events, GatewayIntentBits, Options, Partials, ShardClientUtil, type CommandInteraction, type Interaction, type Message } from 'discord.js';
import type { Config } from '../config.js';
import type { BotContext, Command } from './context.js';
import { UserError } from './context.js';
import { handleButton, handleReason, REASON_PREFIX } from './buttons.js';
import { GAP_TEACH_PREFIX, GAPS_PREFIX, handleGapsPage, handleGapTeach } from './gaps.js';
import { FORGET_PREFIX, handleCorrectionPick, handleParagraphForm, handleTaughtButton, TAUGHT_PAGE_PREFIX, TEACH_PARAGRAPH_MODAL, TEACH_PREFIX } from './teach.js';
import { answerConversation, answerInConversation, threadConversation } from './conversation.js';
import { FOLLOW_UP_MODAL, handleFollowUpModal } from './follow-up.js';
import { LIMITS, truncate } from './limits.js';
import { answerMessage, checkChannel, isAllowedChannel, NO_PINGS, precheckQuestion, referenceId, runSafely } from './respond.js';

/**
 * The discord.js client for the shards this process owns: `shards` and `shardCount` from SHARD_IDS and
 * SHARD_COUNT (or from the ShardingManager), 'auto' for Discord's recommendation.
 */
export function createClient(apiUrl: string, sharding: Pick<Config['sharding'], 'count' | 'ids'> = { count: 1 }): Client {
  const { count, ids } = sharding;
  return new Client({
    shards: count === 'auto' ? 'auto' : (ids ?? Array.from({ length: count }, (_, i) => i)),
    ...(count === 'auto' ? {} : { shardCount: count }),
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    rest: { api: apiUrl },
    // Messages, users and members are not needed after an answer (permissions come with each interaction):
    // keep those caches small so memory stays flat however many people ask. Footnote's own entries stay.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 50,
      UserManager: { maxSize: 500, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: 100, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
    sweepers: { ...Options.DefaultSweeperSettings, messages: { interval: 300, lifetime: 600 } },
  });
}

export function attachHandlers(client: Client, commands: Map<string, Command<CommandInteraction>>, ctx: BotContext): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void onInteraction(interaction, commands, ctx);
  });
  client.on(Events.MessageCreate, (message) => {
    void onMessage(message, ctx);
  });
  client.on(Events.Error, (err) => ctx.logger.error({ err }, 'discord client error'));
  // Every shard is named in the logs as its connection comes and goes.
  client.on(Events.ShardReady, (shard) => ctx.logger.info({ shard }, `shard ${shard} ready`));
  client.on(Events.ShardResume, (shard) => ctx.logger.info({ shard }, `shard ${shard} resumed`));
  client.on(Events.ShardReconnecting, (shard) => ctx.logger.warn({ shard }, `shard ${shard} reconnecting`));
  client.on(Events.ShardDisconnect, (event, shard) => ctx.logger.warn({ shard, code: event.code }, `shard ${shard} disconnected`));
  client.on(Events.ShardError, (err, shard) => ctx.logger.error({ err, shard }, `shard ${shard} error`));
}

/** The shard ids this client runs, once known (after login when SHARD_COUNT=auto). */
export function ownedShards(client: Client): number[] | undefined {
  return Array.isArray(client.options.shards) ? client.options.shards : undefined;
}

/** The handler context with a logger that names the shard the event came from. */
function onShard(ctx: BotContext, shard: number | undefined): BotContext {
  return shard === undefined ? ctx : { ...ctx, logger: ctx.logger.child({ shard }) };
}

/** The shard a guild's events arrive on (discord.js's (guild_id >> 22) % shard count); DMs use shard 0. */
export function shardOf(guildId: string | null, shardCount: number): number {
  return guildId ? ShardClientUtil.shardIdForGuildId(guildId, shardCount) : 0;
}

async function onInteraction(interaction: Interaction, commands: Map<string, Command<CommandInteraction>>, shared: BotContext): Promise<void> {
  const ctx = onShard(shared, shardOf(interaction.guildId, interaction.client.options.shardCount ?? 1));
  try {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      await command?.autocomplete?.(interaction, ctx);
      return;
    }
    if (interaction.isCommand()) {
      await runSafely(interaction, ctx, `/${interaction.commandName}`, async () => {
        const command = commands.get(interaction.commandName);
        if (!command) throw new UserError('That command is not available any more.');
        checkChannel(interaction.channelId, ctx);
        await command.execute(interaction, ctx);
      });
      return;
    }
    if (interaction.isButton() && interaction.customId.startsWith(GAPS_PREFIX)) {
      await runSafely(interaction, ctx, 'button fn:gaps', () => handleGapsPage(interaction, ctx));
      return;
    }
    if (interaction.isButton() && interaction.customId.startsWith(GAP_TEACH_PREFIX)) {
      await runSafely(interaction, ctx, 'button fn:gapteach', () => handleGapTeach(interaction, ctx));
      return;
    }
    if (interaction.isButton() && (interaction.customId.startsWith(TAUGHT_PAGE_PREFIX) || interaction.customId.startsWith(FORGET_PREFIX))) {
      await runSafely(interaction, ctx, 'button fn:taught', () => handleTaughtButton(interaction, ctx));
      return;
    }
    if (interaction.isStringSelectMenu() && interaction.customId.startsWith(TEACH_PREFIX)) {
      await runSafely(interaction, ctx, 'select fn:teach', () => handleCorrectionPick(interaction, ctx));
      return;
    }
    if (interaction.isModalSubmit() && interaction.customId.startsWith(TEACH_PARAGRAPH_MODAL)) {
      await runSafely(interaction, ctx, 'modal fn:teach-para', () => handleParagraphForm(interaction, ctx));
      return;
    }
    if (interaction.isButton() && interaction.customId.startsWith('fn:')) {
      await runSafely(interaction, ctx, `button ${interaction.customId}`, () => handleButton(interaction, ctx));
      return;
    }
    if (interaction.isStringSelectMenu() && interaction.customId.startsWith(REASON_PREFIX)) {
      await runSafely(interaction, ctx, 'select fn:reason', () => handleReason(interaction, ctx));
      return;
    }
    if (interaction.isModalSubmit() && interaction.customId.startsWith(FOLLOW_UP_MODAL)) {
      await runSafely(interaction, ctx, 'modal fn:ask-after', async () => {
        checkChannel(interaction.channel?.isThread() ? interaction.channel.parentId : interaction.channelId, ctx);
        await handleFollowUpModal(interaction, ctx);
      });
    }
  } catch (err) {
    ctx.logger.error({ err, ref: referenceId(), interaction: interaction.id }, 'interaction failed');
  }
}

/** "…?" or a question word first: what a follow-up question looks like. */
export function readsAsQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || /^(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|do|does|did|can|could|will|would|should|has|have|had)\b/i.test(text.trim());
}

/**
 * A message that @mentions the bot is a question; the reply is the same cited answer as /ask. In a thread
 * it follows the thread's conversation; a reply to an answer follows that answer's.
 */
export async function onMessage(message: Message, shared: BotContext): Promise<void> {
  const startedAt = performance.now();
  const me = message.client.user;
  if (message.author.bot || !message.inGuild()) return;
  if (!message.mentions.users.has(me.id)) return;
  const inThread = message.channel.isThread();
  if (!isAllowedChannel(inThread ? (message.channel.parentId ?? message.channelId) : message.channelId, shared)) return;
  const mentionText = new RegExp(`<@!?${me.id}>`, 'g');
  const named = mentionText.test(message.content);
  const question = message.content.replace(mentionText, ' ').trim();
  // A reply to Footnote pings it without naming it: a follow-up only when it reads as a question.
  if (!named && !readsAsQuestion(question)) return;
  const ctx = onShard(shared, shardOf(message.guildId, message.client.options.shardCount ?? 1));
  try {
    if (!ctx.cooldown.ready(message.author.id)) {
      // Mentions are public: one notice per cooldown window, then silence, so a ping storm is not amplified.
      if (!ctx.cooldown.noticeOnce(message.author.id)) return ctx.metrics.question('limited', 'mention');
    }
    precheckQuestion(question, message.author.id, ctx, 'mention');
    await message.channel.sendTyping().catch(() => {});
    // In a thread, the thread's conversation; a reply to an answer, that answer's.
    const repliedTo = message.reference?.messageId;
    const thread = inThread ? [threadConversation(message.channelId)] : [];
    await answerInConversation(ctx, {
      question,
      follows: inThread ? thread : repliedTo ? [answerConversation(repliedTo)] : [],
      continues: thread,
      via: 'mention',
      startedAt,
      where: { guildId: message.guildId, channelId: message.channelId },
      send: (result) => message.reply(answerMessage(result, ctx, message.author.id, false)),
    });
  } catch (err) {
    let content: string;
    if (err instanceof UserError) {
      content = err.message;
    } else {
      const ref = referenceId();
      ctx.metrics.question('error', 'mention');
      ctx.metrics.errors.inc({ handler: 'mention' });
      ctx.logger.error({ err, ref, handler: 'mention', user: message.author.id, channel: message.channelId }, 'handler failed');
      content = `Sorry, something went wrong on my side. Reference: \`${ref}\``;
    }
    await message.reply({ content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS }).catch(() => {});
  }
}
