import { ApplicationCommandType, ContextMenuCommandBuilder, PermissionFlagsBits, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { serverOnly } from '../src/bot/installs.js';
import { correctAnswer } from '../src/bot/teach.js';

const data = serverOnly(new ContextMenuCommandBuilder())
  .setName('Correct this answer')
  .setType(ApplicationCommandType.Message)
  .setDefaultMemberPermissions(PermissionFlagsBits.PinMessages);

export default {
  data,
  async execute(interaction, ctx) {
    await correctAnswer(interaction, interaction.targetMessage, ctx);
  },
} satisfies Command<MessageContextMenuCommandInteraction>;
