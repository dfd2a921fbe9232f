/**
 * Conversations on Discord. A follow-up is answered in the light of the turns before it, kept in the
 * store (so they survive a restart and are shared by the processes of a sharded bot), bounded to the last
 * few turns and expired after a while (`CONVERSATION_TURNS`, `CONVERSATION_TTL_MS`):
 *
 * - `thread:<id>`: the conversation of a thread opened with **Ask a follow-up** (a thread started from a
 *   message has that message's id). A mention in it, or a reply to Footnote with the ping on, follows it.
 * - `answer:<message id>`: the turns that led to one answer, so a reply to that answer (outside a thread)
 *   or **Ask a follow-up** on it continues from there.
 *
 * A store failure is logged and the question is answered on its own: a conversation is a help, never a
 * reason to fail.
 */
import { ApplicationIntegrationType, type BaseInteraction } from 'discord.js';
import type { AskResult } from '../answer/answer.js';
import { turnOf, type ConversationTurn } from '../conversation/follow-up.js';
import type { Turn } from '../store/store.js';
import type { BotContext } from './context.js';
import type { QuestionVia } from './metrics.js';
import { recordOutcome } from './respond.js';

export const answerConversation = (messageId: string) => `answer:${messageId}`;
export const threadConversation = (threadId: string) => `thread:${threadId}`;

function toCore(t: Turn): ConversationTurn {
  return { question: t.question, ...(t.understood !== undefined ? { understood: t.understood } : {}), cited: t.citations };
}

function toStore(t: ConversationTurn, at: number): Turn {
  return { question: t.question, ...(t.understood !== undefined ? { understood: t.understood } : {}), citations: t.cited.map(({ start, end }) => ({ start, end })), at };
}

/** The first stored conversation of `ids` that has turns, oldest turn first; [] when none (or the store fails). */
export async function loadConversation(ctx: BotContext, ...ids: string[]): Promise<ConversationTurn[]> {
  for (const id of ids) {
    try {
      const turns = await ctx.store.turns(id);
      if (turns.length) return turns.map(toCore);
    } catch (err) {
      ctx.logger.error({ err, conversation: id }, 'could not read a conversation');
      return [];
    }
  }
  return [];
}

/** Stores the conversation with the answer's turn added, under every id given. Failures are logged. */
export async function saveConversation(ctx: BotContext, ids: readonly string[], before: readonly ConversationTurn[], result: AskResult): Promise<void> {
  if (result.error) return;
  const now = Date.now();
  const turns = [...before, turnOf(result)].map((t) => toStore(t, now));
  for (const id of ids) {
    try {
      await ctx.store.saveTurns(id, turns);
    } catch (err) {
      ctx.logger.error({ err, conversation: id }, 'could not save a conversation');
    }
  }
}

/** A copy of an answer posted again (publicly, or to pin it) continues the same conversation. */
export async function copyConversation(ctx: BotContext, fromMessageId: string, toMessageId: string): Promise<void> {
  try {
    const turns = await ctx.store.turns(answerConversation(fromMessageId));
    if (turns.length) await ctx.store.saveTurns(answerConversation(toMessageId), turns);
  } catch (err) {
    ctx.logger.error({ err, from: fromMessageId, to: toMessageId }, 'could not copy a conversation');
  }
}

/**
 * Whether the server this interaction happens in has installed Footnote (a bot in the server). A user
 * install used in a server that hasn't, a DM or a group DM has not: answers there are private, and
 * pinning and threads are not available.
 */
export function installedInServer(interaction: Pick<BaseInteraction, 'guildId' | 'authorizingIntegrationOwners'>): boolean {
  if (!interaction.guildId) return false;
  const owners = interaction.authorizingIntegrationOwners ?? {};
  if (owners[ApplicationIntegrationType.GuildInstall] !== undefined) return true;
  // Only a user install authorises it: the app is not in this server.
  return owners[ApplicationIntegrationType.UserInstall] === undefined;
}

/**
 * One answer in a conversation, the same for /ask, mentions and the follow-up form: the question is read
 * in the light of the first conversation of `follows` that has turns, `send` posts the answer, and then
 * the conversation is stored under `continues` and the answer's own id, the outcome recorded and
 * counted (as `via`, or as a follow-up when there were turns).
 */
export async function answerInConversation(
  ctx: BotContext,
  opts: {
    question: string;
    follows: readonly string[];
    continues: readonly string[];
    via: QuestionVia;
    startedAt: number;
    where: { guildId: string | null; channelId: string | null };
    send: (result: AskResult) => Promise<{ id: string }>;
  },
): Promise<AskResult> {
  const before = opts.follows.length ? await loadConversation(ctx, ...opts.follows) : [];
  // Taught answers of this server (and those taught everywhere) apply; outside a server, only the latter.
  const result = await ctx.footnote.ask(opts.question, before, { scope: opts.where.guildId ?? '' });
  const sent = await opts.send(result);
  ctx.metrics.question(result.answered ? 'answered' : 'refused', before.length ? 'follow-up' : opts.via, opts.startedAt);
  await saveConversation(ctx, [...opts.continues, answerConversation(sent.id)], before, result);
  await recordOutcome(ctx, { id: sent.id, ...opts.where }, result);
  return result;
}

