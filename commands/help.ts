import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/context.js';
import { NO_PINGS } from '../src/bot/respond.js';
import { COLORS, footerText } from '../src/bot/render.js';
import { everywhere } from '../src/bot/installs.js';

const data = everywhere(new SlashCommandBuilder()).setName('help').setDescription('What Footnote knows and how to ask it.');

export default {
  data,
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const info = ctx.footnote.info();
    const description = [
      `I answer questions about one article: **${ctx.meta.title}** (${ctx.meta.source}).`,
      'Every answer is the article’s own sentences, each with the paragraph it comes from, and says how sure I am: **sure**, **likely** (the best passage and up to two others: press **This answers it** under the right one), or not answered, with the closest passages. I say “the article doesn’t say” only when I’m confident it doesn’t; otherwise I say I couldn’t find it.',
      '',
      '**/ask** `question` — a cited answer (add `private: True` to see it alone first)',
      '**@Footnote** your question — the same, in the channel',
      '**/summary** `length` `focus` — a cited summary, optionally on one topic',
      '**/source** `paragraph` — one paragraph; type words to find it',
      '**Pin** (moderators) — pins a sourced answer so the channel keeps a cited FAQ, and teaches it: whoever asks that question next, in other words, gets it',
      '**Correct** / **Correct this answer** (moderators) — pick the passage that answers (or say the article doesn’t); the next person who asks gets it, marked “Answer confirmed by the moderators”',
      '**/taught** (moderators) — what was taught here, to page through or forget',
      '**/gaps** `days` (moderators) — what people keep asking that the article doesn’t answer well; **Teach** closes a gap for every wording at once',
      '**/stats** `days` (moderators) — questions asked, answered, refused and voted on',
      '👍 / 👎 under an answer — a 👎 asks what was wrong; only ids, the vote, its reason, the question and the cited paragraphs are kept',
    ].join('\n');
    await interaction.editReply({
      embeds: [
        {
          title: 'Footnote',
          color: COLORS.summary,
          description,
          fields: [
            { name: 'Paragraphs', value: String(info.paragraphs), inline: true },
            { name: 'Embedding model', value: `${info.model} (${info.dimensions}-d, runs locally)`, inline: true },
            { name: 'Index built', value: `<t:${Math.floor(Date.parse(info.indexBuiltAt) / 1000)}:f>`, inline: true },
          ],
          footer: { text: footerText(ctx.meta) },
        },
      ],
      allowedMentions: NO_PINGS,
    });
  },
} satisfies Command;
