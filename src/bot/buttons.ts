/** The buttons under an answer: Show passages, Pin, Post publicly, 👍/👎. They work from the message alone. */
import { ComponentType, MessageFlags, type APIActionRowComponent, type APIStringSelectComponent, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { VOTE_REASONS, type VoteReason } from '../store/store.js';
import type { BotContext } from './context.js';
import { UserError } from './context.js';
import { LIMITS } from './limits.js';
import { pinAnswer } from './pin.js';
import { canTeach, correctAnswer, PICKS_TO_TEACH, teach } from './teach.js';
import { showFollowUpModal } from './follow-up.js';
import { copyConversation } from './conversation.js';
import { isDeleted, NO_PINGS } from './respond.js';
import { answerButtons, BUTTON, citedParagraphs, embedLength, isFootnoteAnswer, parsePick, passageEmbed, questionOf } from './render.js';

export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const embed = interaction.message.embeds[0]?.toJSON();
  if (!isFootnoteAnswer(embed)) throw new UserError('That button belongs to a message I can no longer read.');
  if (interaction.customId.startsWith(BUTTON.pick)) {
    await recordPick(interaction, ctx, questionOf(embed!));
    return;
  }
  switch (interaction.customId) {
    case BUTTON.passages: {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const paragraphs = citedParagraphs(embed!)
        .map((n) => ctx.footnote.passage(n))
        .flatMap((p) => (p.ok ? [passageEmbed(p.paragraph, ctx.meta)] : []))
        .slice(0, 10);
      let total = 0;
      const fitting = paragraphs.filter((e) => (total += embedLength(e)) <= LIMITS.embedTotal);
      await interaction.editReply(fitting.length ? { embeds: fitting, allowedMentions: NO_PINGS } : { content: 'This answer cites no passages.', allowedMentions: NO_PINGS });
      return;
    }
    case BUTTON.followUp:
      await showFollowUpModal(interaction);
      return;
    case BUTTON.pin:
      await pinAnswer(interaction, interaction.message, ctx);
      return;
    case BUTTON.correct:
      await correctAnswer(interaction, interaction.message, ctx);
      return;
    case BUTTON.public: {
      await interaction.deferUpdate();
      const posted = await interaction.followUp({ embeds: [embed!], components: answerButtons({ isPrivate: false }), allowedMentions: NO_PINGS });
      await copyConversation(ctx, interaction.message.id, posted.id);
      // The private copy keeps its buttons but loses "Post publicly".
      await interaction.editReply({ components: answerButtons({ isPrivate: false }) });
      return;
    }
    case BUTTON.up:
    case BUTTON.down: {
      const vote = interaction.customId === BUTTON.up ? 'up' : 'down';
      const recorded = await ctx.store.recordVote({
        answerId: interaction.message.id,
        userId: interaction.user.id,
        vote,
        question: questionOf(embed!),
        paragraphs: citedParagraphs(embed!),
        at: new Date(),
      });
      if (recorded) ctx.metrics.feedbackVotes.inc({ vote });
      // A 👎 asks why, with a menu only the voter sees; the vote counts whether or not they pick a reason.
      const askWhy = recorded && vote === 'down';
      await interaction.reply({
        content: !recorded ? 'You already voted on this answer.' : askWhy ? 'Thanks, your feedback was recorded. What was wrong with the answer?' : 'Thanks, your feedback was recorded.',
        components: askWhy ? reasonMenu(interaction.message.id) : [],
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return;
    }
    default:
      throw new UserError('That button is not one I know.');
  }
}

/** The answer is gone: deleted, or older than the store keeps. */
export const PICK_GONE = 'That answer is no longer in my records (deleted, or older than I keep answers). Ask the question again to pick a passage.';

/**
 * "This answers it" under a likely answer: stored once per user per answer (a second pick replaces the
 * first and is not counted again), counted on /metrics and in /stats.
 */
async function recordPick(interaction: ButtonInteraction, ctx: BotContext, question: string): Promise<void> {
  const pick = parsePick(interaction.customId);
  const article = ctx.footnote.article;
  if (!pick || pick.end > article.text.length || !ctx.footnote.passage(pick.paragraph).ok) throw new UserError('That passage is not one I know.');
  const message = interaction.message;
  // A public answer deleted since: Discord no longer has it.
  if (interaction.inGuild() && (await isDeleted(interaction, message))) throw new UserError(PICK_GONE);
  if (!(await ctx.store.hasAnswer(message.id))) throw new UserError(PICK_GONE);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await ctx.store.recordPick({ answerId: message.id, userId: interaction.user.id, question, paragraph: pick.paragraph, start: pick.start, end: pick.end, at: new Date() });
  if (outcome === 'new') ctx.metrics.picks.inc();
  const note = outcome === 'new' ? 'Thanks: your pick was recorded' : outcome === 'changed' ? 'Thanks: your pick now points' : 'You already picked this passage';
  // A moderator's pick confirms it; otherwise enough members agreeing teach it.
  let taught = '';
  if (interaction.guildId && outcome !== 'same') {
    const moderator = canTeach(interaction);
    const agree = moderator ? 0 : await ctx.store.pickAgreement(interaction.guildId, question, pick.start, pick.end);
    if (moderator || agree >= PICKS_TO_TEACH) {
      await teach(ctx, [question], { units: [{ start: pick.start, end: pick.end }] }, { how: 'picks', scope: interaction.guildId, by: moderator ? interaction.user.id : 'picks', channelId: interaction.channelId });
      taught = moderator ? ' As a moderator you confirmed it: whoever asks this next, in any words, gets this passage.' : ` ${agree} members picked it, so whoever asks this next gets this passage.`;
    }
  }
  await interaction.editReply({ content: `${note} (¶${pick.paragraph}).${taught}`, allowedMentions: NO_PINGS });
}

/** What a 👎 can say, as the select menu shows it. */
export const REASON_LABELS: Record<VoteReason, string> = {
  'wrong-passage': 'Wrong passage',
  'not-an-answer': "Doesn't answer the question",
  'not-covered': "The article doesn't cover this",
  other: 'Other',
};

export const REASON_PREFIX = 'fn:reason:';

function reasonMenu(answerId: string): APIActionRowComponent<APIStringSelectComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: `${REASON_PREFIX}${answerId}`,
          placeholder: 'Why? (optional)',
          options: VOTE_REASONS.map((r) => ({ label: REASON_LABELS[r], value: r })),
        },
      ],
    },
  ];
}

/** The reason picked under a 👎: stored with the vote; the menu is replaced by a thank-you. */
export async function handleReason(interaction: StringSelectMenuInteraction, ctx: BotContext): Promise<void> {
  const answerId = interaction.customId.slice(REASON_PREFIX.length);
  const reason = interaction.values[0] as VoteReason | undefined;
  if (!reason || !VOTE_REASONS.includes(reason)) throw new UserError('That is not one of the reasons I know.');
  const stored = await ctx.store.setVoteReason(answerId, interaction.user.id, reason);
  if (!stored) throw new UserError('I can no longer find your vote on that answer.');
  await interaction.update({ content: `Thanks, noted: ${REASON_LABELS[reason].toLowerCase()}.`, components: [], allowedMentions: NO_PINGS });
}
