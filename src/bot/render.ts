/**
 * Core results → Discord embeds and buttons (plain API JSON, so it is easy to test and to check limits).
 * The embed is self-contained: question, answer, citations, who asked (and who pinned), so buttons and
 * pins work from the message alone, even after a restart.
 */
import { quoted } from '../language/text.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed, APIEmbedField } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { paragraphLabel, type Paragraph } from '../article/article.js';
import { withMarker, type AskResult, type Citation, type SummaryResult } from '../answer/answer.js';
import { escapeUserText, LIMITS, truncate } from './limits.js';
import { CONFIRMED, HOW_TAUGHT } from '../taught/taught.js';

export const COLORS = { answer: 0x2e7d32, likely: 0xf9a825, refusal: 0x9e9e9e, summary: 0x1565c0, error: 0xc62828 } as const;

/** An answer's colour is its band's, whatever the kind of answer (a gist answer is sure: green). */
function bandOf(result: Pick<AskResult, 'band' | 'answered'>) {
  return result.band ?? (result.answered ? 'answer' : 'refused');
}

export function bandColor(result: Pick<AskResult, 'band' | 'answered'>): number {
  const band = bandOf(result);
  return band === 'answer' ? COLORS.answer : band === 'likely' ? COLORS.likely : COLORS.refusal;
}
export const FOOTNOTE_MARK = 'Footnote';
export const BUTTON = { passages: 'fn:passages', followUp: 'fn:followup', pin: 'fn:pin', correct: 'fn:correct', public: 'fn:public', up: 'fn:vote:up', down: 'fn:vote:down', pick: 'fn:pick:' } as const;
export const FOLLOW_UP_TO = 'Follow-up to';
export const READ_AS = 'Read as';
export const ASKED_BY = 'Asked by';
export const PINNED_BY = 'Pinned by';
export const CONFIDENCE = 'Confidence';
/** The field of an answer that a taught answer gave (its value: the question as taught). */
export const CONFIRMED_FIELD = `✅ ${CONFIRMED}`;
/** The label of a likely answer's other passages ("Or: ¶12"). */
export const ALTERNATIVE_PREFIX = 'Or: ';
const QUESTION_PREFIX = '❓ ';

export interface ArticleMeta {
  title: string;
  source: string;
}

export function footerText(meta: ArticleMeta): string {
  return truncate(`${meta.title} — ${meta.source} · ${FOOTNOTE_MARK} quotes only this article`, LIMITS.footer);
}

function citationName(c: Pick<Citation, 'paragraph' | 'kind'>, prefix = ''): string {
  const label = paragraphLabel({ n: c.paragraph, kind: c.kind }).replace(/ \((.*)\)$/, ' · $1');
  return truncate(`${prefix}${label}`, LIMITS.fieldName);
}

/** The first words of a quote, to tell two passages of one paragraph apart: “Both men got into…”. */
export function openingWords(quote: string, words = 4): string {
  // The quote's own double quotation marks are left out, so the label shows one pair.
  const all = quote.replace(/["“”]/gu, '').replace(/^[\s‘'(]+/u, '').split(/\s+/).filter(Boolean);
  return `“${all.slice(0, words).join(' ')}${all.length > words ? '…' : ''}”`;
}

/** A passage's name, unique among `shown`: its paragraph, and its first words when the paragraph is shown twice. */
function passageName(c: Citation, shown: readonly Citation[], prefix: string): string {
  const twice = shown.filter((o) => o.paragraph === c.paragraph).length > 1;
  return twice ? truncate(`${citationName(c, prefix)} · ${openingWords(c.quote)}`, LIMITS.fieldName) : citationName(c, prefix);
}

function citationFields(citations: readonly Citation[], prefix = '', shown: readonly Citation[] = citations): APIEmbedField[] {
  return citations.map((c) => ({ name: passageName(c, shown, prefix), value: truncate(quoted(c.quote), LIMITS.fieldValue) }));
}

/** The answer text with a marker after each sentence: "… sentence. [¶30]". */
export function withMarkers(citations: readonly Citation[]): string {
  return citations.map(withMarker).join(' ');
}

/** Like `withMarkers`, with the words that are the answer (a date, a name, a number) in bold. */
export function withBoldAnswers(citations: readonly Citation[]): string {
  return citations
    .map((c) => {
      const span = c.answerSpan;
      if (!span || span.start < c.start || span.end > c.end || span.end <= span.start) return withMarker(c);
      const from = span.start - c.start;
      const to = span.end - c.start;
      return withMarker({ ...c, quote: `${c.quote.slice(0, from)}**${c.quote.slice(from, to)}**${c.quote.slice(to)}` });
    })
    .join(' ');
}

export const SOURCES = 'Sources';

/** One field naming the cited paragraphs ("¶27 · ¶6 (photo caption)"); the quotes are in the description once. */
function sourcesField(citations: readonly Citation[]): APIEmbedField[] {
  const labels = [...new Set(citations.map((c) => paragraphLabel({ n: c.paragraph, kind: c.kind })))];
  return labels.length ? [{ name: SOURCES, value: truncate(labels.join(' · '), LIMITS.fieldValue) }] : [];
}

export function questionTitle(question: string): string {
  return truncate(QUESTION_PREFIX + escapeUserText(question), LIMITS.embedTitle);
}

export function askEmbed(result: AskResult, meta: ArticleMeta, askedBy?: string): APIEmbed {
  // A follow-up shows the question it was read with, so the answer can be checked against it.
  const followUp: APIEmbedField[] = result.followUpTo !== undefined ? [{ name: FOLLOW_UP_TO, value: truncate(escapeUserText(result.followUpTo), LIMITS.fieldValue) }] : [];
  const confidence: APIEmbedField = { name: CONFIDENCE, value: confidenceText(result), inline: true };
  // A question read with chat spelling or shorthand says how it was read, so a misreading shows.
  const readAs: APIEmbedField[] = result.readAs !== undefined ? [{ name: READ_AS, value: truncate(escapeUserText(result.readAs), LIMITS.fieldValue) }] : [];
  // A taught answer says so, with the question as taught, so a capture by the wrong one shows.
  const taught: APIEmbedField[] = result.taught ? [{ name: CONFIRMED_FIELD, value: truncate(`Taught as “${escapeUserText(result.taught.question)}” (${HOW_TAUGHT[result.taught.how]})`, LIMITS.fieldValue) }] : [];
  const asked: APIEmbedField[] = [...taught, ...readAs, ...followUp, confidence, ...(askedBy ? [{ name: ASKED_BY, value: `<@${askedBy}>`, inline: true }] : [])];
  if (!result.answered) {
    const closest = citationFields(result.closest, 'Closest: ');
    // "The article doesn't say" only where the confidence supports it; otherwise Footnote says it did not find it.
    const opening = result.taught
      ? "**The article doesn't say.** The moderators confirmed that nothing in it answers this question."
      : result.notFound
      ? "**I couldn't find this in the article.** It may still be there, in words I did not match."
      : "**The article doesn't say.** Nothing in it answers this question.";
    return fitEmbed({
      title: questionTitle(result.question),
      color: bandColor(result),
      description: opening + (closest.length ? '\nThe closest passages are below. They are **not** an answer.' : ''),
      fields: [...closest, ...asked],
      footer: { text: footerText(meta) },
    });
  }
  if (result.gist) {
    return fitEmbed({
      title: questionTitle(result.question),
      color: bandColor(result),
      description: `${result.citations.map((c) => `• ${withMarker(c)}`).join('\n')}\n\nThat is the article's short summary: **/summary** gives more, or a focus.`,
      fields: [...sourcesField(result.citations), ...asked],
      footer: { text: footerText(meta) },
    });
  }
  if (result.band === 'likely') {
    const alternatives = citationFields(result.alternatives ?? [], ALTERNATIVE_PREFIX, [...result.citations, ...(result.alternatives ?? [])]);
    return fitEmbed({
      title: questionTitle(result.question),
      color: bandColor(result),
      description: `**Probably this, or one of these.** Check the passages: I'm not sure.\n${withBoldAnswers(result.citations)}`,
      fields: [...sourcesField(result.citations), ...alternatives, ...asked],
      footer: { text: footerText(meta) },
    });
  }
  return fitEmbed({
    title: questionTitle(result.question),
    color: bandColor(result),
    description: withBoldAnswers(result.citations),
    fields: [...sourcesField(result.citations), ...asked],
    footer: { text: footerText(meta) },
  });
}

/** The band and the calibrated confidence in words: "sure (0.97)", "likely (0.55)", "low (0.12)". */
export function confidenceText(result: Pick<AskResult, 'band' | 'answered' | 'confidence'>): string {
  const band = bandOf(result);
  return `${band === 'answer' ? 'sure' : band === 'likely' ? 'likely' : 'low'} (${result.confidence.toFixed(2)})`;
}

/** A passage an asker can pick under a likely answer. */
export interface PickOption {
  paragraph: number;
  start: number;
  end: number;
  /** What its button says after "This answers it: ": the paragraph and the quote's first words. */
  label?: string;
}

const PICK_LABEL = 'This answers it: ';

/** The passages of a likely answer, first and alternatives, as pick options. */
export function pickOptions(result: AskResult): PickOption[] {
  if (result.band !== 'likely') return [];
  return [...result.citations.slice(0, 1), ...(result.alternatives ?? [])].map(({ paragraph, start, end, quote }) => ({ paragraph, start, end, label: `¶${paragraph} ${openingWords(quote)}` }));
}

/** "fn:pick:12:340:420" → the pick it names; undefined when malformed. */
export function parsePick(customId: string): PickOption | undefined {
  const m = /^fn:pick:(\d{1,5}):(\d{1,9}):(\d{1,9})$/.exec(customId);
  if (!m) return undefined;
  const [paragraph, start, end] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return end > start ? { paragraph, start, end } : undefined;
}

/** The pick options under a message (its "This answers it" buttons), so copies keep them. */
export function picksOfMessage(components: readonly unknown[] | undefined): PickOption[] {
  const out: PickOption[] = [];
  const walk = (c: unknown) => {
    const x = c as { customId?: string; custom_id?: string; label?: string; components?: unknown[]; data?: { custom_id?: string; label?: string } };
    const id = x.customId ?? x.custom_id ?? x.data?.custom_id;
    const pick = typeof id === 'string' ? parsePick(id) : undefined;
    const label = x.label ?? x.data?.label;
    // The copy keeps the label it had (the message no longer holds the quote).
    if (pick) out.push(label?.startsWith(PICK_LABEL) ? { ...pick, label: label.slice(PICK_LABEL.length) } : pick);
    for (const child of x.components ?? []) walk(child);
  };
  for (const c of components ?? []) walk(c);
  return out;
}

export function summaryEmbed(result: SummaryResult, meta: ArticleMeta, askedBy?: string): APIEmbed {
  const title = `Summary (${result.length})${result.focus ? `: ${escapeUserText(result.focus)}` : ''}`;
  const asked: APIEmbedField[] = askedBy ? [{ name: ASKED_BY, value: `<@${askedBy}>`, inline: true }] : [];
  if (!result.answered) {
    return fitEmbed({ title: truncate(title, LIMITS.embedTitle), color: COLORS.refusal, description: escapeUserText(result.summary), fields: asked, footer: { text: footerText(meta) } });
  }
  return fitEmbed({
    title: truncate(title, LIMITS.embedTitle),
    color: COLORS.summary,
    description: result.citations.map((c) => `• ${withMarker(c)}`).join('\n'),
    fields: [...citationFields(result.citations), ...asked],
    footer: { text: footerText(meta) },
  });
}

export function passageEmbed(paragraph: Paragraph, meta: ArticleMeta): APIEmbed {
  const label = paragraphLabel(paragraph);
  const credit = paragraph.credit ? `\n*Photo: ${escapeUserText(paragraph.credit.text)}*` : '';
  return fitEmbed({ title: label, color: COLORS.summary, description: `${paragraph.text}${credit}`, footer: { text: footerText(meta) } });
}

/**
 * Buttons under an answer, in two rows: Show passages, Ask a follow-up, Pin ("Post publicly" too on a
 * private one), then 👍/👎. Pinning is left out where it can't work (outside a server that installed
 * Footnote).
 */
export function answerButtons(opts: { isPrivate: boolean; pinnable?: boolean; followUp?: boolean; picks?: readonly PickOption[] }): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  type Style = APIButtonComponentWithCustomId['style'];
  const button = (custom_id: string, style: Style, label?: string, emoji?: string): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    custom_id,
    style,
    ...(label ? { label } : {}),
    ...(emoji ? { emoji: { name: emoji } } : {}),
  });
  const row = [button(BUTTON.passages, ButtonStyle.Secondary, 'Show passages')];
  if (opts.followUp !== false) row.push(button(BUTTON.followUp, ButtonStyle.Secondary, 'Ask a follow-up', '💬'));
  if (opts.pinnable !== false) row.push(button(BUTTON.pin, ButtonStyle.Secondary, 'Pin', '📌'));
  // Moderators correct an answer from it (checked in the handler); where pinning can't work, neither can teaching.
  if (opts.pinnable !== false) row.push(button(BUTTON.correct, ButtonStyle.Secondary, 'Correct', '✏️'));
  if (opts.isPrivate) row.push(button(BUTTON.public, ButtonStyle.Primary, 'Post publicly'));
  const votes = [button(BUTTON.up, ButtonStyle.Secondary, undefined, '👍'), button(BUTTON.down, ButtonStyle.Secondary, undefined, '👎')];
  // A likely answer: one "This answers it" button per passage shown (the first, then the alternatives).
  const picks = (opts.picks ?? []).slice(0, 5).map((p, i) => button(`${BUTTON.pick}${p.paragraph}:${p.start}:${p.end}`, i === 0 ? ButtonStyle.Success : ButtonStyle.Secondary, truncate(`${PICK_LABEL}${p.label ?? `¶${p.paragraph}`}`, LIMITS.buttonLabel), '✅'));
  return [
    { type: ComponentType.ActionRow, components: row },
    ...(picks.length ? [{ type: ComponentType.ActionRow as const, components: picks }] : []),
    { type: ComponentType.ActionRow, components: votes },
  ];
}

/** A copy of an answer embed with one more field, e.g. "Pinned by". */
export function withField(embed: APIEmbed, name: string, value: string): APIEmbed {
  const fields = (embed.fields ?? []).filter((f) => f.name !== name);
  return fitEmbed({ ...embed, fields: [...fields, { name, value, inline: true }] });
}

/** Paragraph numbers cited by an answer embed (from its citation fields). */
export function citedParagraphs(embed: APIEmbed): number[] {
  const out: number[] = [];
  const add = (n: number) => {
    if (!out.includes(n)) out.push(n);
  };
  for (const f of embed.fields ?? []) {
    if (f.name === SOURCES) for (const m of f.value.matchAll(/¶(\d+)/g)) add(Number(m[1]));
    // Answers posted before the Sources field had one field per citation.
    const m = /^(?:Closest: |Or: )?¶(\d+)/.exec(f.name);
    if (m) add(Number(m[1]));
  }
  return out;
}

/** The question shown in an answer embed's title (escaping removed). */
export function questionOf(embed: APIEmbed): string {
  return (embed.title ?? '').replace(QUESTION_PREFIX, '').replace(/\\(.)/g, '$1').replace(/\u200b/g, '');
}

export function isFootnoteAnswer(embed: APIEmbed | undefined): boolean {
  return Boolean(embed?.footer?.text?.includes(FOOTNOTE_MARK) && embed.title);
}

/** Enforces every embed limit: per-part limits, 25 fields, 6,000 characters in all (dropping trailing citation fields first). */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title) out.title = truncate(out.title, LIMITS.embedTitle);
  if (out.description) out.description = truncate(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  let fields = (out.fields ?? []).map((f) => ({ ...f, name: truncate(f.name, LIMITS.fieldName), value: truncate(f.value, LIMITS.fieldValue) }));
  // Keep "Asked by"/"Pinned by" fields; drop citation fields from the end when over the limits.
  const isMeta = (f: APIEmbedField) => f.name === ASKED_BY || f.name === PINNED_BY || f.name === SOURCES || f.name === FOLLOW_UP_TO || f.name === CONFIDENCE || f.name === READ_AS || f.name === CONFIRMED_FIELD;
  while (fields.length > LIMITS.fields || (embedLength({ ...out, fields }) > LIMITS.embedTotal && fields.some((f) => !isMeta(f)))) {
    const idx = fields.map((f, i) => (isMeta(f) ? -1 : i)).filter((i) => i >= 0).at(-1);
    if (idx === undefined) break;
    fields = fields.filter((_, i) => i !== idx);
  }
  if (embedLength({ ...out, fields }) > LIMITS.embedTotal && out.description) {
    const over = embedLength({ ...out, fields }) - LIMITS.embedTotal;
    out.description = truncate(out.description, Math.max(0, out.description.length - over));
  }
  if (fields.length) out.fields = fields;
  else delete out.fields;
  return out;
}

export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}
