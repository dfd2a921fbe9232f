/**
 * /gaps and /stats for moderators: what people ask that the article doesn't answer, and how the bot is
 * doing. Both are answered privately, and checked here too (Manage Messages), not only by the commands'
 * default permissions, which a server admin can re-scope under Integrations.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandOptionsOnlyBuilder,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { daysAgo, gapReasons, groupGaps, LOW_CONFIDENCE, markTaught, type Gap } from '../store/gaps.js';
import { HOW_TAUGHT } from '../taught/taught.js';
import type { StoreStats } from '../store/store.js';
import { serverOnly } from './installs.js';
import { UserError, type BotContext } from './context.js';
import { escapeUserText, truncate } from './limits.js';
import { COLORS, fitEmbed, footerText } from './render.js';
import { NO_PINGS } from './respond.js';
import { REASON_LABELS } from './buttons.js';
import { openCorrection } from './teach.js';

export const GAPS_PREFIX = 'fn:gaps:';
export const GAP_TEACH_PREFIX = 'fn:gapteach:';
export const GAPS_PER_PAGE = 5;

export function requireModerator(interaction: ChatInputCommandInteraction | ButtonInteraction): void {
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) {
    throw new UserError('Only moderators (members with Manage Messages) can see this.');
  }
}

/** A moderator command's builder: Manage Messages by default, and how many days back to look. */
export function moderatorCommand(name: string, description: string): SlashCommandOptionsOnlyBuilder {
  return serverOnly(new SlashCommandBuilder())
    .setName(name)
    .setDescription(description)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
    .addIntegerOption((o) => o.setName('days').setDescription('How far back (default 7)').setMinValue(1).setMaxValue(365));
}

/** A moderator command's start: the permission check, then a private deferral; returns the days asked for. */
export async function startModeratorReply(interaction: ChatInputCommandInteraction): Promise<number> {
  requireModerator(interaction);
  const days = interaction.options.getInteger('days') ?? 7;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return days;
}

/** The gaps of the last `days` days, grouped (`groupGaps`). */
export async function gapsOf(ctx: BotContext, days: number): Promise<Gap[]> {
  const gaps = groupGaps(await ctx.store.flagged(daysAgo(days), LOW_CONFIDENCE));
  return markTaught(gaps, await ctx.store.taught());
}

function gapLine(g: Gap, rank: number): string {
  const why = gapReasons(g, '👎');
  const also = g.wordings.length ? `\n  also: ${g.wordings.map((w) => `“${escapeUserText(truncate(w, 80))}”`).join(', ')}` : '';
  const closest = g.paragraph ? ` · closest ¶${g.paragraph}` : '';
  const taught = g.taught ? `\n  ✅ taught since (${HOW_TAUGHT[g.taught.how]}, ${g.taught.at.toISOString().slice(0, 10)})` : '';
  return `**${rank}. “${escapeUserText(truncate(g.question, 150))}”** — asked ${g.count}× (${why})${closest}${also}${taught}`;
}

/** One page of gaps, with Previous / Next buttons that carry the window and the page. */
export function gapsMessage(gaps: readonly Gap[], days: number, page: number, meta: BotContext['meta']): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponentWithCustomId>[] } {
  const pages = Math.max(1, Math.ceil(gaps.length / GAPS_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = gaps.slice(p * GAPS_PER_PAGE, (p + 1) * GAPS_PER_PAGE);
  const description = shown.length
    ? shown.map((g, i) => gapLine(g, p * GAPS_PER_PAGE + i + 1)).join('\n\n')
    : `Nothing refused, voted down or answered with low confidence in the last ${days} day${days === 1 ? '' : 's'}.`;
  const embed = fitEmbed({
    title: `Coverage gaps, last ${days} day${days === 1 ? '' : 's'} (page ${p + 1} of ${pages})`,
    color: COLORS.refusal,
    description,
    footer: { text: `${gaps.length} group${gaps.length === 1 ? '' : 's'} · similar wordings grouped · ${footerText(meta)}` },
  });
  const button = (label: string, to: number, disabled: boolean): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: `${GAPS_PREFIX}${days}:${to}`,
    label,
    disabled,
  });
  // One Teach button per gap shown: the correction menu, teaching every wording of the group at once.
  const teachRow: APIActionRowComponent<APIButtonComponentWithCustomId>[] = shown.length
    ? [
        {
          type: ComponentType.ActionRow,
          components: shown.map((_, i) => ({ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: `${GAP_TEACH_PREFIX}${days}:${p * GAPS_PER_PAGE + i}`, label: `Teach ${p * GAPS_PER_PAGE + i + 1}` })),
        },
      ]
    : [];
  const pager: APIActionRowComponent<APIButtonComponentWithCustomId>[] = pages > 1 ? [{ type: ComponentType.ActionRow, components: [button('◀ Previous', p - 1, p === 0), button('Next ▶', p + 1, p >= pages - 1)] }] : [];
  return { embeds: [embed], components: [...teachRow, ...pager] };
}

export async function handleGapsPage(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  requireModerator(interaction);
  const [daysText, pageText] = interaction.customId.slice(GAPS_PREFIX.length).split(':');
  const days = Number(daysText);
  const page = Number(pageText);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(page) || page < 0) throw new UserError('That page of gaps is not one I know.');
  await interaction.deferUpdate();
  await interaction.editReply({ ...gapsMessage(await gapsOf(ctx, days), days, page, ctx.meta), allowedMentions: NO_PINGS });
}

/** **Teach** on a gap: the correction menu for the group's wordings, all taught at once. */
export async function handleGapTeach(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  requireModerator(interaction);
  const [daysText, indexText] = interaction.customId.slice(GAP_TEACH_PREFIX.length).split(':');
  const days = Number(daysText);
  const index = Number(indexText);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(index) || index < 0) throw new UserError('That gap is not one I know.');
  const gap = (await gapsOf(ctx, days))[index];
  if (!gap) throw new UserError('That gap is no longer in the list: run **/gaps** again.');
  const more = gap.allWordings.length > 1 ? ` and its ${gap.allWordings.length - 1} other wording${gap.allWordings.length === 2 ? '' : 's'}` : '';
  await openCorrection(interaction, ctx, gap.allWordings.slice(0, 25), `Teaching “${escapeUserText(truncate(gap.question, 200))}”${more}.`);
}

export function statsEmbed(s: StoreStats, days: number, meta: BotContext['meta'], taught?: number): APIEmbed {
  const pct = (a: number, b: number) => (b ? ` (${Math.round((a / b) * 100)}%)` : '');
  const reasons = Object.entries(s.reasons)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r === 'none' ? 'no reason' : REASON_LABELS[r as keyof typeof REASON_LABELS].toLowerCase()}: ${n}`)
    .join(', ');
  return fitEmbed({
    title: `Footnote, last ${days} day${days === 1 ? '' : 's'}`,
    color: COLORS.summary,
    fields: [
      { name: 'Questions', value: `${s.asked} asked · ${s.answered} answered${pct(s.answered, s.asked)} · ${s.refused} refused${pct(s.refused, s.asked)}`, inline: false },
      { name: 'Votes', value: `${s.votesUp} 👍 · ${s.votesDown} 👎${reasons ? ` (${reasons})` : ''}`, inline: false },
      { name: 'Picks', value: `${s.picks} passage${s.picks === 1 ? '' : 's'} picked as the answer under likely answers`, inline: false },
      ...(taught === undefined ? [] : [{ name: 'Taught', value: `${taught} answer${taught === 1 ? '' : 's'} taught by this server’s moderators (see **/taught**)`, inline: false }]),
      { name: 'Most cited paragraphs', value: s.topParagraphs.length ? s.topParagraphs.map((p) => `¶${p.paragraph} (${p.citations})`).join(', ') : 'none yet', inline: false },
    ],
    footer: { text: footerText(meta) },
  });
}

