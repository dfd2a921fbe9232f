import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { UserError } from '../src/bot/context.js';
import { LIMITS, truncate } from '../src/bot/limits.js';
import { NO_PINGS } from '../src/bot/respond.js';
import { passageEmbed } from '../src/bot/render.js';
import { paragraphLabel } from '../src/article/article.js';
import { installedInServer } from '../src/bot/conversation.js';
import { everywhere } from '../src/bot/installs.js';

const data = everywhere(new SlashCommandBuilder())
  .setName('source')
  .setDescription('Show one paragraph of the article (type words to find it).')
  .addIntegerOption((o) => o.setName('paragraph').setDescription('Paragraph number, or type words to search').setRequired(true).setMinValue(1).setAutocomplete(true));

export default {
  data,
  async execute(interaction, ctx) {
    const n = interaction.options.getInteger('paragraph', true);
    const found = ctx.footnote.passage(n);
    if (!found.ok) throw new UserError(found.message);
    await interaction.deferReply(installedInServer(interaction) ? {} : { flags: MessageFlags.Ephemeral });
    await interaction.editReply({ embeds: [passageEmbed(found.paragraph, ctx.meta)], allowedMentions: NO_PINGS });
  },
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused() ?? '');
    const choices = ctx.footnote.findParagraphs(typed, LIMITS.choices).map((p) => ({
      name: truncate(`${paragraphLabel(p)} ${p.text}`, LIMITS.choiceName),
      value: p.n,
    }));
    await interaction.respond(choices);
  },
} satisfies Command;
