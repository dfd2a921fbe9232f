/**
 * **Ask a follow-up** under an answer: a modal asks for the question (a text field). On a public answer
 * in a server that has installed Footnote, the follow-up is answered in a thread on the answer (opened
 * the first time, reused after); on a private answer, or where Footnote is only a user install, it is
 * answered privately. Either way it is read in the light of the answer's conversation, and the cooldown
 * applies as for /ask.
 */
import {
  ActionRowBuilder,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type APIChannel,
  type APIMessage,
  type ButtonInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../question/input.js';
import { UserError, type BotContext } from './context.js';
import { answerConversation, answerInConversation, installedInServer, threadConversation } from './conversation.js';
import { truncate } from './limits.js';
import { answerMessage, NO_PINGS, precheckQuestion } from './respond.js';
import { questionOf } from './render.js';

export const FOLLOW_UP_MODAL = 'fn:ask-after:';
export const FOLLOW_UP_FIELD = 'question';
/** Discord's limit on a thread's name. */
const THREAD_NAME = 100;
/** What the bot needs to answer in a thread on an answer. */
const THREAD_PERMISSIONS = [PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads];
const THREAD_EXISTS = 160004;
/** Discord's codes for a thread that can't be written to: missing access or permissions, unknown channel, archived, locked. */
const THREAD_UNUSABLE = [50001, 50013, 10003, 50083, 160005];
const NOT_IN_SERVER = 'Threads need Footnote added to this server (it is only installed for you here), so here is your answer privately.';
const NO_THREAD_PERMISSIONS = 'I can’t open a thread here (I need **Create Public Threads** and **Send Messages in Threads**), so here is your answer privately.';

/** The button: opens the modal (it must be the first response, so nothing is deferred). */
export async function showFollowUpModal(interaction: ButtonInteraction): Promise<void> {
  const isPrivate = interaction.message.flags.has(MessageFlags.Ephemeral);
  const asked = questionOf(interaction.message.embeds[0]?.toJSON() ?? {});
  const modal = new ModalBuilder()
    .setCustomId(`${FOLLOW_UP_MODAL}${interaction.message.id}:${isPrivate ? 'p' : 'o'}`)
    .setTitle(truncate(`Follow-up to: ${asked}`, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId(FOLLOW_UP_FIELD).setLabel('Your follow-up question').setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(MAX_QUESTION_LENGTH).setPlaceholder('and the foreign minister?'),
      ),
    );
  await interaction.showModal(modal);
}

/** The modal's answer: the follow-up, in a thread on the answer or privately. */
export async function handleFollowUpModal(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void> {
  const startedAt = performance.now();
  const [answerId, visibility] = interaction.customId.slice(FOLLOW_UP_MODAL.length).split(':');
  if (!answerId || !/^\d+$/.test(answerId)) throw new UserError('That form belongs to an answer I can no longer find.');
  const question = interaction.fields.getTextInputValue(FOLLOW_UP_FIELD);
  precheckQuestion(question, interaction.user.id, ctx, 'follow-up');
  const inServer = installedInServer(interaction);
  const canThread = inServer && visibility !== 'p' && THREAD_PERMISSIONS.every((p) => interaction.appPermissions?.has(p));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });

  const where = { guildId: interaction.guildId, channelId: interaction.channelId };
  const answerPrivately = (note?: string) =>
    answerInConversation(ctx, {
      question,
      follows: [answerConversation(answerId)],
      continues: [],
      via: 'follow-up',
      startedAt,
      where,
      send: (result) => interaction.editReply({ ...answerMessage(result, ctx, interaction.user.id, true, { pinnable: inServer }), ...(note ? { content: note } : {}) }),
    });
  if (!canThread) {
    // Say why there is no thread where one could be expected: a public answer, in a server.
    const note = visibility === 'p' || !interaction.guildId ? undefined : inServer ? NO_THREAD_PERMISSIONS : NOT_IN_SERVER;
    await answerPrivately(note);
    return;
  }

  try {
    const threadId = await openThread(interaction, answerId, question);
    await answerInConversation(ctx, {
      question,
      follows: [threadConversation(threadId), answerConversation(answerId)],
      continues: [threadConversation(threadId)],
      via: 'follow-up',
      startedAt,
      where: { ...where, channelId: threadId },
      send: async (result) => {
        const message = answerMessage(result, ctx, interaction.user.id, false);
        return (await interaction.client.rest.post(Routes.channelMessages(threadId), {
          body: { embeds: message.embeds, components: message.components, allowed_mentions: { parse: [] } },
        })) as APIMessage;
      },
    });
    await interaction.editReply({ content: `Answered in <#${threadId}>.`, allowedMentions: NO_PINGS });
  } catch (err) {
    // A thread that can't take the answer (locked, archived, deleted, or a permission the channel
    // overrides): the question is not lost, it is answered privately.
    if (!(err instanceof DiscordAPIError && THREAD_UNUSABLE.includes(Number(err.code)))) throw err;
    ctx.logger.warn({ code: err.code, answer: answerId }, 'could not answer in the thread; answered privately');
    await answerPrivately('I couldn’t post in the thread on that answer (it is locked, archived or gone, or I may not write there), so here is your answer privately.');
  }
}

/** Opens a public thread on the answer, or finds the one already there (it has the answer's id). */
async function openThread(interaction: ModalSubmitInteraction, answerId: string, question: string): Promise<string> {
  const channelId = interaction.channelId;
  if (!channelId) throw new UserError('I can only open a thread in a server channel.');
  try {
    const thread = (await interaction.client.rest.post(Routes.threads(channelId, answerId), {
      body: { name: truncate(question.replace(/\s+/g, ' ').trim(), THREAD_NAME), auto_archive_duration: 1440 },
    })) as APIChannel;
    return thread.id;
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === THREAD_EXISTS) return answerId;
    throw err;
  }
}
