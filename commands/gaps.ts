import type { Command } from '../src/bot/context.js';
import { gapsMessage, gapsOf, moderatorCommand, startModeratorReply } from '../src/bot/gaps.js';
import { NO_PINGS } from '../src/bot/respond.js';

export default {
  data: moderatorCommand('gaps', 'Moderators: the most asked questions the article does not answer well.'),
  async execute(interaction, ctx) {
    const days = await startModeratorReply(interaction);
    await interaction.editReply({ ...gapsMessage(await gapsOf(ctx, days), days, 0, ctx.meta), allowedMentions: NO_PINGS });
  },
} satisfies Command;
