import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { SummaryLength } from '../src/answer/answer.js';
import type { Command } from '../src/bot/context.js';
import { NO_PINGS, takeCooldown, throwOnError } from '../src/bot/respond.js';
import { answerButtons, summaryEmbed } from '../src/bot/render.js';
import { installedInServer } from '../src/bot/conversation.js';
import { everywhere } from '../src/bot/installs.js';

const data = everywhere(new SlashCommandBuilder())
  .setName('summary')
  .setDescription('A summary of the article made of its own sentences, each cited.')
  .addStringOption((o) =>
    o
      .setName('length')
      .setDescription('How long (default medium)')
      .addChoices({ name: 'short (3 sentences)', value: 'short' }, { name: 'medium (5)', value: 'medium' }, { name: 'long (8)', value: 'long' }),
  )
  .addStringOption((o) => o.setName('focus').setDescription('Only what the article says about this topic, e.g. sanctions').setMaxLength(100))
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the summary'));

export default {
  data,
  async execute(interaction, ctx) {
    const length = (interaction.options.getString('length') ?? 'medium') as SummaryLength;
    const focus = interaction.options.getString('focus') ?? undefined;
    const inServer = installedInServer(interaction);
    const isPrivate = (interaction.options.getBoolean('private') ?? false) || !inServer;
    takeCooldown(interaction.user.id, ctx);
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const result = await ctx.footnote.summarize({ length, focus });
    throwOnError(result);
    await interaction.editReply({
      embeds: [summaryEmbed(result, ctx.meta, interaction.user.id)],
      components: result.answered ? answerButtons({ isPrivate, pinnable: inServer, followUp: false }) : [],
      allowedMentions: NO_PINGS,
    });
    ctx.metrics.summaries.inc({ outcome: result.answered ? 'answered' : 'no_match' });
  },
} satisfies Command;
