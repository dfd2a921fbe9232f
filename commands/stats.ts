import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { requireModerator, statsEmbed } from '../src/bot/gaps.js';
import { NO_PINGS } from '../src/bot/respond.js';

const data = new SlashCommandBuilder()
  .setName('stats')
  .setDescription('Moderators: questions asked, answered, refused and voted on, and the most cited paragraphs.')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
  .addIntegerOption((o) => o.setName('days').setDescription('How far back (default 7)').setMinValue(1).setMaxValue(365));

const DAY_MS = 24 * 60 * 60 * 1000;

export default {
  data,
  async execute(interaction, ctx) {
    requireModerator(interaction);
    const days = interaction.options.getInteger('days') ?? 7;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const stats = await ctx.store.stats(new Date(Date.now() - days * DAY_MS));
    await interaction.editReply({ embeds: [statsEmbed(stats, days, ctx.meta)], allowedMentions: NO_PINGS });
  },
} satisfies Command;
