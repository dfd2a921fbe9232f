/**
 * Moderators teach Footnote: a corrected or pinned answer answers the next person who asks it, in any
 * words (`taught/taught.ts` matches and guards). Every way of teaching is server-only and
 * moderator-only (Pin Messages or Manage Messages), checked here in the handler:
 *
 * - pinning a Footnote answer teaches its question and cited passage (a pinned "the article doesn't say"
 *   teaches a refusal);
 * - **Correct this answer** (a message context menu, and a button on answers) and **Teach** on a /gaps
 *   group open a private menu: the passages shown (the answer, its alternatives, the closest passages),
 *   "The article doesn't say", or "Another paragraph…" (a form asks its number, then a menu its sentence);
 * - a passage picked under a likely answer is taught when a moderator picks it, or when
 *   `PICKS_TO_TEACH` distinct members picked the same passage under answers to the same question.
 *
 * Taught answers are kept in the store and per server (imports apply everywhere); every process of the
 * bot reads new ones within `TAUGHT_REFRESH_MS`.
 */
import { randomBytes } from 'node:crypto';
import {
  ActionRowBuilder,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIStringSelectComponent,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Citation } from '../answer/answer.js';
import { NOT_IN_ARTICLE } from '../answer/answer.js';
import type { Footnote } from '../footnote.js';
import { TeachError, type Lesson } from '../taught/taught-answers.js';
import type { TaughtRecord, TeachHow } from '../store/store.js';
import { UserError, type BotContext } from './context.js';
import { installedInServer } from './conversation.js';
import { escapeUserText, LIMITS, truncate } from './limits.js';
import { HOW_TAUGHT } from '../taught/taught.js';
import { COLORS, CONFIRMED_FIELD, fitEmbed, FOLLOW_UP_TO, footerText, isFootnoteAnswer, questionOf } from './render.js';
import { isDeleted, NO_PINGS } from './respond.js';

/** Distinct members who must pick the same passage (under answers to the same question) for it to be taught. */
export const PICKS_TO_TEACH = 3;
/** How often every process reads taught answers from the store (another shard's, another process's). */
export const TAUGHT_REFRESH_MS = 2000;
/** How long a correction menu stays usable. */
const CORRECTION_TTL_MS = 15 * 60 * 1000;

export const TEACH_PREFIX = 'fn:teach:';
export const TEACH_PARAGRAPH_MODAL = 'fn:teach-para:';
const PARAGRAPH_FIELD = 'paragraph';
const OTHER_PARAGRAPH = 'para';
const REFUSE = 'refuse';

export const NOT_A_MODERATOR = 'Only moderators (members with Pin Messages or Manage Messages) can teach Footnote.';
export const NOT_IN_A_SERVER = 'Teaching works only in a server that has added Footnote.';
export const NOT_FOOTNOTES = 'Only Footnote’s own answers can be corrected.';
export const ANSWER_GONE = 'That answer is gone (deleted), so there is nothing to correct. Ask the question again.';
const FOLLOW_UP_NOT_TAUGHT = 'A follow-up can’t be taught: it only makes sense after its earlier question. Ask the question on its own, then correct that answer.';
const EXPIRED = 'This correction has expired (or I restarted): open **Correct this answer** again.';

/** Whether this member may teach here: a server that installed Footnote, and Pin Messages or Manage Messages. */
export function canTeach(interaction: Pick<BaseInteraction, 'guildId' | 'authorizingIntegrationOwners' | 'memberPermissions'>): boolean {
  const perms = interaction.memberPermissions;
  return installedInServer(interaction) && Boolean(perms && (perms.has(PermissionFlagsBits.PinMessages) || perms.has(PermissionFlagsBits.ManageMessages)));
}

function requireTeacher(interaction: Pick<BaseInteraction, 'guildId' | 'authorizingIntegrationOwners' | 'memberPermissions'>): void {
  if (!installedInServer(interaction)) throw new UserError(NOT_IN_A_SERVER);
  if (!canTeach(interaction)) throw new UserError(NOT_A_MODERATOR);
}

/**
 * Teaches `questions` (the wordings of one question) the lesson, in the interaction's server, and puts it
 * in use at once in this process (the others read it within `TAUGHT_REFRESH_MS`). Returns the first id.
 */
export async function teach(ctx: BotContext, questions: readonly string[], lesson: Lesson, meta: { how: TeachHow; scope: string; by: string; channelId?: string | null }): Promise<{ id: string; paragraphs: number[] }> {
  const taught: TaughtRecord[] = [];
  for (const q of questions) {
    let record;
    try {
      record = await ctx.footnote.taught.lesson(q, lesson, meta);
    } catch (err) {
      if (err instanceof TeachError) throw new UserError(`I can't teach that: ${err.message}.`);
      throw err;
    }
    const { id } = await ctx.store.teach(record);
    taught.push({ ...record, id });
  }
  // In use here at once, as written (no read back); other processes read them from the store.
  await ctx.footnote.taught.apply(taught);
  const first = { id: taught[0]!.id, paragraphs: [...new Set(taught[0]!.units.map((u) => u.paragraph))] };
  ctx.metrics.taught.inc({ how: meta.how }, questions.length);
  ctx.logger.info({ how: meta.how, scope: meta.scope, by: meta.by, questions: questions.length, id: first.id }, 'answer taught');
  return first;
}

/** The lesson a pinned answer teaches: its cited sentences, a refusal ("doesn't say"), or none (a follow-up, "couldn't find", already taught). */
export function lessonOfEmbed(embed: APIEmbed, footnote: Pick<Footnote, 'article'>): Lesson | undefined {
  const fields = embed.fields ?? [];
  if (fields.some((f) => f.name === FOLLOW_UP_TO || f.name === CONFIRMED_FIELD)) return undefined;
  const description = embed.description ?? '';
  if (description.includes(NOT_IN_ARTICLE.replace(/\.$/, ''))) return { refuse: true };
  // "quote [¶n] quote [¶m]": each quote is an exact slice of the article (bold answer words aside).
  const text = footnote.article.text;
  const units: { start: number; end: number }[] = [];
  for (const m of description.split('\n').at(-1)!.matchAll(/(.+?) \[¶\d+\]/g)) {
    const quote = m[1]!.replace(/\*\*/g, '').trim();
    const at = text.indexOf(quote);
    if (at >= 0) units.push({ start: at, end: at + quote.length });
  }
  return units.length ? { units } : undefined;
}

interface Correction {
  questions: string[];
  scope: string;
  channelId: string | null;
  expires: number;
}

/** Open correction menus by token (a correction is answered by the shard that opened it: the same process). */
const corrections = new Map<string, Correction>();

function remember(c: Omit<Correction, 'expires'>): string {
  const now = Date.now();
  for (const [k, v] of corrections) if (v.expires < now || corrections.size > 1000) corrections.delete(k);
  const token = randomBytes(6).toString('hex');
  corrections.set(token, { ...c, expires: now + CORRECTION_TTL_MS });
  return token;
}

function recall(token: string): Correction {
  const c = corrections.get(token);
  if (!c || c.expires < Date.now()) throw new UserError(EXPIRED);
  return c;
}

const unitValue = (c: Pick<Citation, 'start' | 'end'>) => `u:${c.start}:${c.end}`;
const optionLabel = (c: Citation) => truncate(`¶${c.paragraph} · ${c.quote}`, 100);

/**
 * The correction menu: the passages (deduplicated, at most 23; those members picked first, with how many:
 * choosing one confirms their picks), "the article doesn't say", another paragraph.
 */
export function correctionMenu(token: string, passages: readonly Citation[], placeholder = 'The passage that answers it', picked: ReadonlyMap<string, number> = new Map()): APIActionRowComponent<APIStringSelectComponent>[] {
  const seen = new Set<string>();
  const options = passages
    .filter((c) => !seen.has(unitValue(c)) && seen.add(unitValue(c)))
    .map((c, i) => ({ c, i, picks: picked.get(unitValue(c)) ?? 0 }))
    .sort((a, b) => b.picks - a.picks || a.i - b.i)
    .slice(0, 23)
    .map(({ c, picks }) => ({ label: picks ? truncate(`¶${c.paragraph} · picked by ${picks} · ${c.quote}`, 100) : optionLabel(c), value: unitValue(c) }));
  options.push({ label: 'The article doesn’t say', value: REFUSE }, { label: 'Another paragraph…', value: OTHER_PARAGRAPH });
  return [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.StringSelect, custom_id: `${TEACH_PREFIX}${token}`, placeholder, options }] }];
}

/** Opens the correction menu for `questions` (one question's wordings), offering the passages the model shows for the first. */
export async function openCorrection(
  interaction: ButtonInteraction | MessageContextMenuCommandInteraction,
  ctx: BotContext,
  questions: readonly string[],
  intro: string,
): Promise<void> {
  const untaught = await ctx.footnote.ask(questions[0]!, [], { untaught: true });
  const passages = [...untaught.citations, ...(untaught.alternatives ?? []), ...untaught.closest];
  // Members' picks under answers to this question: a moderator choosing one confirms them.
  const picked = new Map<string, number>();
  for (const c of passages) {
    const n = await ctx.store.pickAgreement(interaction.guildId!, questions[0]!, c.start, c.end);
    if (n) picked.set(unitValue(c), n);
  }
  const token = remember({ questions: [...questions], scope: interaction.guildId!, channelId: interaction.channelId });
  await interaction.reply({
    content: truncate(`${intro}\nPick the passage that answers it, or say the article doesn't. Whoever asks it next, in any words, gets your answer.`, LIMITS.content),
    components: correctionMenu(token, passages, undefined, picked),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}

/** **Correct this answer** on a message (context menu or button): checks, then the menu. */
export async function correctAnswer(interaction: ButtonInteraction | MessageContextMenuCommandInteraction, message: Message, ctx: BotContext): Promise<void> {
  requireTeacher(interaction);
  const embed = message.embeds[0]?.toJSON();
  if (message.author.id !== interaction.client.user.id || !isFootnoteAnswer(embed)) throw new UserError(NOT_FOOTNOTES);
  if (await isDeleted(interaction, message)) throw new UserError(ANSWER_GONE);
  if ((embed!.fields ?? []).some((f) => f.name === FOLLOW_UP_TO)) throw new UserError(FOLLOW_UP_NOT_TAUGHT);
  const question = questionOf(embed!);
  await openCorrection(interaction, ctx, [question], `Correcting the answer to “${escapeUserText(truncate(question, 200))}”.`);
}

/** A pick in the correction menu: a passage (taught at once), a refusal, or another paragraph (a form). */
export async function handleCorrectionPick(interaction: StringSelectMenuInteraction, ctx: BotContext): Promise<void> {
  requireTeacher(interaction);
  const token = interaction.customId.slice(TEACH_PREFIX.length);
  const correction = recall(token);
  const value = interaction.values[0] ?? '';
  if (value === OTHER_PARAGRAPH) {
    const count = ctx.footnote.article.paragraphs.length;
    await interaction.showModal(
      new ModalBuilder()
        .setCustomId(`${TEACH_PARAGRAPH_MODAL}${token}`)
        .setTitle('The paragraph that answers it')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId(PARAGRAPH_FIELD).setLabel(`Paragraph number (1 to ${count})`).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(6),
          ),
        ),
    );
    return;
  }
  let lesson: Lesson;
  if (value === REFUSE) lesson = { refuse: true };
  else {
    const m = /^u:(\d{1,9}):(\d{1,9})$/.exec(value);
    if (!m) throw new UserError('That is not a passage I know.');
    lesson = { units: [{ start: Number(m[1]), end: Number(m[2]) }] };
  }
  await interaction.deferUpdate();
  const { id, paragraphs } = await teach(ctx, correction.questions, lesson, { how: 'correction', scope: correction.scope, by: interaction.user.id, channelId: correction.channelId });
  const said = paragraphs.length ? paragraphs.map((n) => `¶${n}`).join(', ') : '“The article doesn’t say.”';
  corrections.delete(token);
  const wordings = correction.questions.length > 1 ? ` (${correction.questions.length} wordings)` : '';
  await interaction.editReply({ content: `Taught${wordings}: whoever asks this next, in any words, gets ${said}. Id \`${id}\` (see **/taught**).`, components: [], allowedMentions: NO_PINGS });
}

/** The paragraph form: that paragraph's sentences, to pick one. */
export async function handleParagraphForm(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void> {
  requireTeacher(interaction);
  const token = interaction.customId.slice(TEACH_PARAGRAPH_MODAL.length);
  recall(token);
  const typed = interaction.fields.getTextInputValue(PARAGRAPH_FIELD);
  const passage = ctx.footnote.passage(typed);
  if (!passage.ok) throw new UserError(passage.message);
  const sentences = ctx.footnote.sentencesOf(passage.paragraph.n);
  const message = { content: `¶${passage.paragraph.n}: pick the sentence that answers it.`, components: correctionMenu(token, sentences, `A sentence of ¶${passage.paragraph.n}`), allowedMentions: NO_PINGS };
  if (interaction.isFromMessage()) await interaction.update(message);
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}

export const TAUGHT_PAGE_PREFIX = 'fn:taught:';
export const FORGET_PREFIX = 'fn:forget:';
export const TAUGHT_PER_PAGE = 5;

/** One page of a server's taught answers (and those taught everywhere), with Forget and Previous / Next buttons. */
export async function taughtMessage(ctx: BotContext, scope: string, page: number): Promise<{ embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponentWithCustomId>[] }> {
  const all = [...(await ctx.store.taught(scope)), ...(await ctx.store.taught(''))];
  const pages = Math.max(1, Math.ceil(all.length / TAUGHT_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(p * TAUGHT_PER_PAGE, (p + 1) * TAUGHT_PER_PAGE);
  const stale = ctx.footnote.taught.stale;
  const line = (t: (typeof all)[number], i: number) => {
    const answer = t.refuse ? 'the article doesn’t say' : t.units.map((u) => `¶${u.paragraph}`).join(', ');
    const where = t.scope ? `${HOW_TAUGHT[t.how]}${t.by && /^\d+$/.test(t.by) ? ` by <@${t.by}>` : ''}` : `${HOW_TAUGHT[t.how]}, everywhere`;
    const warn = stale.has(t.id) ? '\n  ⚠️ the article no longer holds its quote: not used' : '';
    return `**${p * TAUGHT_PER_PAGE + i + 1}. “${escapeUserText(truncate(t.question, 150))}”** → ${answer}\n  \`${t.id}\` · ${where} · ${t.at.toISOString().slice(0, 10)}${warn}`;
  };
  const embed = fitEmbed({
    title: `Taught answers (page ${p + 1} of ${pages})`,
    color: COLORS.answer,
    description: shown.length ? shown.map(line).join('\n\n') : 'Nothing taught yet. Pin an answer, use **Correct this answer** on one, or **Teach** a gap in **/gaps**.',
    footer: { text: `${all.length} taught · ${footerText(ctx.meta)}` },
  });
  const button = (custom_id: string, label: string, style: APIButtonComponentWithCustomId['style'], disabled = false): APIButtonComponentWithCustomId => ({ type: ComponentType.Button, style, custom_id, label, disabled });
  // Only this server's own can be forgotten here (imports are forgotten with npm run teach -- --forget).
  const forget = shown.filter((t) => t.scope === scope).map((t) => button(`${FORGET_PREFIX}${t.id}:${p}`, `Forget ${all.indexOf(t) + 1}`, ButtonStyle.Danger));
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  if (forget.length) rows.push({ type: ComponentType.ActionRow, components: forget });
  if (pages > 1) rows.push({ type: ComponentType.ActionRow, components: [button(`${TAUGHT_PAGE_PREFIX}${p - 1}`, '◀ Previous', ButtonStyle.Secondary, p === 0), button(`${TAUGHT_PAGE_PREFIX}${p + 1}`, 'Next ▶', ButtonStyle.Secondary, p >= pages - 1)] });
  return { embeds: [embed], components: rows };
}

/** /taught's buttons: another page, or forget one (then the page again). */
export async function handleTaughtButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  requireTeacher(interaction);
  const scope = interaction.guildId!;
  let page: number;
  if (interaction.customId.startsWith(FORGET_PREFIX)) {
    const [id, pageText] = interaction.customId.slice(FORGET_PREFIX.length).split(':');
    page = Number(pageText);
    if (!id || !/^[0-9a-f]{1,16}$/.test(id) || !Number.isInteger(page)) throw new UserError('That taught answer is not one I know.');
    await interaction.deferUpdate();
    const gone = await ctx.store.forgetTaught(id, scope);
    if (gone) {
      await ctx.footnote.taught.refresh(ctx.store);
      ctx.logger.info({ id, scope, by: interaction.user.id }, 'taught answer forgotten');
    }
    await interaction.editReply({ ...(await taughtMessage(ctx, scope, page)), content: gone ? `Forgot \`${id}\`: that question gets the model’s answer again.` : `\`${id}\` was already forgotten.`, allowedMentions: NO_PINGS });
    return;
  }
  page = Number(interaction.customId.slice(TAUGHT_PAGE_PREFIX.length));
  if (!Number.isInteger(page) || page < 0) throw new UserError('That page is not one I know.');
  await interaction.deferUpdate();
  await interaction.editReply({ ...(await taughtMessage(ctx, scope, page)), allowedMentions: NO_PINGS });
}

/** /taught: the first page, privately. */
export async function listTaught(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  requireTeacher(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await interaction.editReply({ ...(await taughtMessage(ctx, interaction.guildId!, 0)), allowedMentions: NO_PINGS });
}
