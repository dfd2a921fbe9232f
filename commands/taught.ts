import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { serverOnly } from '../src/bot/installs.js';
import { listTaught } from '../src/bot/teach.js';

export default {
  data: serverOnly(new SlashCommandBuilder())
    .setName('taught')
    .setDescription('Moderators: the answers taught to Footnote here, to page through or forget.')
    .setDefaultMemberPermissions(PermissionFlagsBits.PinMessages),
  async execute(interaction, ctx) {
    await listTaught(interaction, ctx);
  },
} satisfies Command;
