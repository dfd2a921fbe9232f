import { ApplicationCommandType, ContextMenuCommandBuilder, PermissionFlagsBits, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { pinAnswer } from '../src/bot/pin.js';
import { serverOnly } from '../src/bot/installs.js';

const data = serverOnly(new ContextMenuCommandBuilder())
  .setName('Pin sourced answer')
  .setType(ApplicationCommandType.Message)
  .setDefaultMemberPermissions(PermissionFlagsBits.PinMessages);

export default {
  data,
  async execute(interaction, ctx) {
    await pinAnswer(interaction, interaction.targetMessage, ctx);
  },
} satisfies Command<MessageContextMenuCommandInteraction>;
