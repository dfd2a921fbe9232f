import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../src/answering/input.js';
import { UserError, type Command } from '../src/bot/context.js';
import { answerMessage, precheckQuestion, recordOutcome } from '../src/bot/respond.js';

const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask about the article: the answer quotes it and cites each paragraph.')
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH))
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer (you can post it later)'));

export default {
  data,
  async execute(interaction, ctx) {
    const startedAt = performance.now();
    const question = interaction.options.getString('question', true);
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    precheckQuestion(question, interaction.user.id, ctx, 'slash');
    try {
      await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
      const result = await ctx.footnote.ask(question);
      const answer = await interaction.editReply(answerMessage(result, ctx, interaction.user.id, isPrivate));
      ctx.metrics.question(result.answered ? 'answered' : 'refused', 'slash', startedAt);
      await recordOutcome(ctx, { id: answer.id, guildId: interaction.guildId, channelId: interaction.channelId }, result);
    } catch (err) {
      ctx.metrics.question(err instanceof UserError ? 'invalid' : 'error', 'slash');
      throw err; // runSafely tells the user
    }
  },
} satisfies Command;
