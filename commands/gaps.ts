import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { gapsMessage, gapsOf, requireModerator } from '../src/bot/gaps.js';
import { NO_PINGS } from '../src/bot/respond.js';

const data = new SlashCommandBuilder()
  .setName('gaps')
  .setDescription('Moderators: the most asked questions the article does not answer well.')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
  .addIntegerOption((o) => o.setName('days').setDescription('How far back (default 7)').setMinValue(1).setMaxValue(365));

export default {
  data,
  async execute(interaction, ctx) {
    requireModerator(interaction);
    const days = interaction.options.getInteger('days') ?? 7;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({ ...gapsMessage(await gapsOf(ctx, days), days, 0, ctx.meta), allowedMentions: NO_PINGS });
  },
} satisfies Command;
