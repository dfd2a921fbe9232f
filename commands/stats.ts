import type { Command } from '../src/bot/context.js';
import { daysAgo } from '../src/store/gaps.js';
import { moderatorCommand, startModeratorReply, statsEmbed } from '../src/bot/gaps.js';
import { NO_PINGS } from '../src/bot/respond.js';

export default {
  data: moderatorCommand('stats', 'Moderators: questions asked, answered, refused and voted on, and the most cited paragraphs.'),
  async execute(interaction, ctx) {
    const days = await startModeratorReply(interaction);
    const since = daysAgo(days);
    const stats = await ctx.store.stats(since);
    const taught = (await ctx.store.taught(interaction.guildId ?? '')).filter((t) => t.at >= since).length;
    await interaction.editReply({ embeds: [statsEmbed(stats, days, ctx.meta, taught)], allowedMentions: NO_PINGS });
  },
} satisfies Command;
