import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../src/question/input.js';
import { UserError, type Command } from '../src/bot/context.js';
import { answerMessage, precheckQuestion } from '../src/bot/respond.js';
import { answerInConversation, installedInServer, threadConversation } from '../src/bot/conversation.js';
import { everywhere } from '../src/bot/installs.js';

const data = everywhere(new SlashCommandBuilder())
  .setName('ask')
  .setDescription('Ask about the article: the answer quotes it and cites each paragraph.')
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH))
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer (you can post it later)'));

export default {
  data,
  async execute(interaction, ctx) {
    const startedAt = performance.now();
    const question = interaction.options.getString('question', true);
    // Where the server hasn't installed Footnote (a user install, a DM), the answer is private.
    const inServer = installedInServer(interaction);
    const isPrivate = (interaction.options.getBoolean('private') ?? false) || !inServer;
    precheckQuestion(question, interaction.user.id, ctx, 'slash');
    try {
      await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
      // In a thread of follow-ups, /ask follows the thread's conversation too.
      const thread = interaction.channel?.isThread() ? [threadConversation(interaction.channelId)] : [];
      await answerInConversation(ctx, {
        question,
        follows: thread,
        continues: thread,
        via: 'slash',
        startedAt,
        where: { guildId: interaction.guildId, channelId: interaction.channelId },
        send: (result) => interaction.editReply(answerMessage(result, ctx, interaction.user.id, isPrivate, { pinnable: inServer })),
      });
    } catch (err) {
      ctx.metrics.question(err instanceof UserError ? 'invalid' : 'error', 'slash');
      throw err; // runSafely tells the user
    }
  },
} satisfies Command;
