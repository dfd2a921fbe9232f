/** Shared steps of answering on Discord: checks before work, building the message, safe replies. */
import { randomBytes } from 'node:crypto';
import {
  MessageFlags,
  type BaseMessageOptions,
  type ButtonInteraction,
  type CommandInteraction,
  type Message,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { AskResult } from '../answer/answer.js';
import { cleanQuestion } from '../question/input.js';
import { UserError, type BotContext } from './context.js';
import { LIMITS, truncate } from './limits.js';
import type { QuestionVia } from './metrics.js';
import { answerButtons, askEmbed, pickOptions } from './render.js';

/** Never ping anyone: every message Footnote sends carries this. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

/** Throws a UserError for an unusable question or a user still cooling down (each counted); does no work. */
export function precheckQuestion(raw: string, userId: string, ctx: BotContext, via: QuestionVia): void {
  const cleaned = cleanQuestion(raw);
  if (!cleaned.ok) {
    ctx.metrics.question('invalid', via);
    throw new UserError(cleaned.message);
  }
  try {
    takeCooldown(userId, ctx);
  } catch (err) {
    ctx.metrics.question('limited', via);
    throw err;
  }
}

/** One per-user cooldown for everything that costs a model pass (/ask, /summary, mentions). */
export function takeCooldown(userId: string, ctx: BotContext): void {
  const wait = ctx.cooldown.take(userId);
  if (wait > 0) throw new UserError(`Easy there: you can ask again in ${wait} s.`);
}

/** Throws a UserError when the channel is outside ALLOWED_CHANNEL_IDS. */
export function checkChannel(channelId: string | null, ctx: BotContext): void {
  const allowed = ctx.config.discord.allowedChannelIds;
  if (allowed.length === 0 || (channelId && allowed.includes(channelId))) return;
  throw new UserError(`I answer questions in ${allowed.map((id) => `<#${id}>`).join(', ')}. Ask me there!`);
}

export function isAllowedChannel(channelId: string, ctx: BotContext): boolean {
  const allowed = ctx.config.discord.allowedChannelIds;
  return allowed.length === 0 || allowed.includes(channelId);
}

/** A core result's error as a bot error: internal failures are logged with a reference, the rest shown to the user. */
export function throwOnError(result: { error?: { code: string; message: string } }): void {
  if (result.error?.code === 'internal') throw new Error(result.error.message);
  if (result.error) throw new UserError(result.error.message);
}

/**
 * Records a question's outcome in the store under its answer message's id (votes point at it). A store
 * failure is logged, never shown: the answer is already out.
 */
export async function recordOutcome(ctx: BotContext, answer: { id: string; guildId?: string | null; channelId?: string | null }, result: AskResult): Promise<void> {
  try {
    await ctx.store.recordQuestion({
      id: answer.id,
      guildId: answer.guildId ?? null,
      channelId: answer.channelId ?? null,
      question: result.question,
      answered: result.answered,
      confidence: result.confidence,
      paragraphs: (result.answered ? result.citations : result.closest).map((c) => c.paragraph),
      vector: result.vector,
      at: new Date(),
    });
  } catch (err) {
    ctx.logger.error({ err, answer: answer.id }, 'could not record the question');
  }
}

export function answerMessage(result: AskResult, ctx: BotContext, askedBy: string, isPrivate: boolean, opts: { pinnable?: boolean } = {}): BaseMessageOptions {
  throwOnError(result);
  return {
    embeds: [askEmbed(result, ctx.meta, askedBy)],
    components: answerButtons({ isPrivate, pinnable: opts.pinnable, picks: pickOptions(result) }),
    allowedMentions: NO_PINGS,
  };
}

/**
 * Whether a public message was deleted since the interaction's payload was made (a GET of it answers
 * Unknown Message). Private (ephemeral) messages can't be fetched: they count as there.
 */
export async function isDeleted(interaction: Pick<MessageComponentInteraction | CommandInteraction, 'channel'>, message: Pick<Message, 'id' | 'flags'>): Promise<boolean> {
  if (message.flags.has(MessageFlags.Ephemeral) || !interaction.channel) return false;
  return interaction.channel.messages.fetch({ message: message.id, force: true }).then(
    () => false,
    (err: { code?: number }) => {
      if (err?.code === 10008) return true;
      throw err;
    },
  );
}

export function referenceId(): string {
  return randomBytes(4).toString('hex');
}

type Repliable = CommandInteraction | MessageComponentInteraction | ButtonInteraction | ModalSubmitInteraction;

/** An ephemeral note to the user, whatever state the interaction is in. */
export async function replyEphemeral(interaction: Repliable, content: string): Promise<void> {
  const options = { content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS };
  if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) {
      await interaction.editReply(options);
      return;
    }
    await interaction.deleteReply().catch(() => {});
  }
  if (interaction.deferred || interaction.replied) {
    await interaction.followUp({ ...options, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ ...options, flags: MessageFlags.Ephemeral });
  }
}

/**
 * Runs a handler. A UserError becomes an ephemeral note; anything else is logged with a reference id
 * and the user gets a short generic message with that id. Never throws.
 */
export async function runSafely(interaction: Repliable, ctx: BotContext, label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UserError) {
      await replyEphemeral(interaction, err.message).catch((e: unknown) => ctx.logger.warn({ err: e, label }, 'could not send a user note'));
      return;
    }
    const ref = referenceId();
    ctx.metrics.errors.inc({ handler: label });
    ctx.logger.error({ err, ref, handler: label, user: interaction.user.id, channel: interaction.channelId }, 'handler failed');
    await replyEphemeral(interaction, `Sorry, something went wrong on my side. Reference: \`${ref}\``).catch(() => {});
  }
}
