/**
 * The Discord client and its event handlers: interactions (commands, autocomplete, buttons, context menu)
 * and @mentions. Everything that can fail is caught: the bot keeps running.
 */
import { Client, Events, GatewayIntentBits, Options, Partials, type CommandInteraction, type Interaction, type Message } from 'discord.js';
import type { BotContext, Command } from './context.js';
import { UserError } from './context.js';
import { handleButton } from './buttons.js';
import { LIMITS, truncate } from './limits.js';
import { answerMessage, checkChannel, isAllowedChannel, NO_PINGS, precheckQuestion, referenceId, runSafely } from './respond.js';

export function createClient(apiUrl: string): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    rest: { api: apiUrl },
    // Messages are not needed after they are answered: keep the cache small so memory stays flat.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 50 }),
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
}

async function onInteraction(interaction: Interaction, commands: Map<string, Command<CommandInteraction>>, ctx: BotContext): Promise<void> {
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
    if (interaction.isButton() && interaction.customId.startsWith('fn:')) {
      await runSafely(interaction, ctx, `button ${interaction.customId}`, () => handleButton(interaction, ctx));
    }
  } catch (err) {
    ctx.logger.error({ err, ref: referenceId(), interaction: interaction.id }, 'interaction failed');
  }
}

/** "…?" or a question word first: what a follow-up question looks like. */
export function readsAsQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || /^(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|do|does|did|can|could|will|would|should|has|have|had)\b/i.test(text.trim());
}

/** A message that @mentions the bot is a question; the reply is the same cited answer as /ask. */
export async function onMessage(message: Message, ctx: BotContext): Promise<void> {
  const me = message.client.user;
  if (message.author.bot || !message.inGuild()) return;
  if (!message.mentions.users.has(me.id)) return;
  if (!isAllowedChannel(message.channelId, ctx)) return;
  const mentionText = new RegExp(`<@!?${me.id}>`, 'g');
  const named = mentionText.test(message.content);
  const question = message.content.replace(mentionText, ' ').trim();
  // A reply to Footnote pings it without naming it: a follow-up only when it reads as a question.
  if (!named && !readsAsQuestion(question)) return;
  try {
    if (!ctx.cooldown.ready(message.author.id)) {
      // Mentions are public: one notice per cooldown window, then silence, so a ping storm is not amplified.
      if (!ctx.cooldown.noticeOnce(message.author.id)) return;
    }
    precheckQuestion(question, message.author.id, ctx);
    await message.channel.sendTyping().catch(() => {});
    const result = await ctx.footnote.ask(question);
    await message.reply(answerMessage(result, ctx, message.author.id, false));
  } catch (err) {
    let content: string;
    if (err instanceof UserError) {
      content = err.message;
    } else {
      const ref = referenceId();
      ctx.logger.error({ err, ref, handler: 'mention', user: message.author.id, channel: message.channelId }, 'handler failed');
      content = `Sorry, something went wrong on my side. Reference: \`${ref}\``;
    }
    await message.reply({ content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS }).catch(() => {});
  }
}
