/** The buttons under an answer: Show passages, Pin, Post publicly, 👍/👎. They work from the message alone. */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotContext } from './context.js';
import { UserError } from './context.js';
import { LIMITS } from './limits.js';
import { pinAnswer } from './pin.js';
import { NO_PINGS } from './respond.js';
import { answerButtons, BUTTON, citedParagraphs, embedLength, isFootnoteAnswer, passageEmbed, questionOf } from './render.js';

export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const embed = interaction.message.embeds[0]?.toJSON();
  if (!isFootnoteAnswer(embed)) throw new UserError('That button belongs to a message I can no longer read.');
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
    case BUTTON.pin:
      await pinAnswer(interaction, interaction.message, ctx);
      return;
    case BUTTON.public: {
      await interaction.deferUpdate();
      await interaction.followUp({ embeds: [embed!], components: answerButtons({ isPrivate: false }), allowedMentions: NO_PINGS });
      // The private copy keeps its buttons but loses "Post publicly".
      await interaction.editReply({ components: answerButtons({ isPrivate: false }) });
      return;
    }
    case BUTTON.up:
    case BUTTON.down: {
      const vote = interaction.customId === BUTTON.up ? 'up' : 'down';
      const recorded = await ctx.feedback.record({
        answerId: interaction.message.id,
        userId: interaction.user.id,
        vote,
        question: questionOf(embed!),
        citations: citedParagraphs(embed!),
        at: new Date().toISOString(),
      });
      if (recorded) ctx.metrics.feedbackVotes.inc({ vote });
      await interaction.reply({
        content: recorded ? 'Thanks, your feedback was recorded.' : 'You already voted on this answer.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return;
    }
    default:
      throw new UserError('That button is not one I know.');
  }
}
