/** Terminal rendering of answers and summaries (plain text, readable without colour). */
import { quoted } from '../language/text.js';
import type { FollowUpReport } from '../quality/follow-ups.js';
import { paragraphLabel } from '../article/article.js';
import { withMarker, type AskResult, type Citation, type SummaryResult } from '../answer/answer.js';
import { rates, type Metrics } from '../quality/evaluate.js';
import { CONFIRMED, HOW_TAUGHT } from '../taught/taught.js';

export function citationLine(c: Citation): string {
  return `  [${paragraphLabel({ n: c.paragraph, kind: c.kind })}] ${quoted(c.quote)}`;
}

/** How each band is introduced, on the command line and in Discord. */
export const BAND_LABELS = {
  answer: 'Answer',
  likely: 'Probably this, or one of these',
  refused: 'Not answered',
} as const;

/** The band and the confidence, in words: "Answer (confidence 0.97)". */
export function bandHeading(r: AskResult): string {
  return `${BAND_LABELS[r.band ?? (r.answered ? 'answer' : 'refused')]} (confidence ${r.confidence.toFixed(2)})`;
}

export function formatAnswer(r: AskResult): string {
  if (r.error) return r.answer;
  if (r.taught) return `${CONFIRMED} (taught as “${r.taught.question}”, from ${HOW_TAUGHT[r.taught.how]})\n${formatAnswer({ ...r, taught: undefined })}`;
  if (r.readAs !== undefined) return `Read as: ${r.readAs}\n${formatAnswer({ ...r, readAs: undefined })}`;
  if (r.followUpTo !== undefined) return `Follow-up to: ${r.followUpTo}\n${formatAnswer({ ...r, followUpTo: undefined })}`;
  if (r.gist) return `${bandHeading(r)}\n${r.citations.map(withMarker).join(' ')}\n\nThat is the article's short summary: \`npm run summary\` gives more.\n\nSources:\n${r.citations.map(citationLine).join('\n')}`;
  if (!r.answered) {
    const closest = r.closest.length ? `\nClosest passages (not an answer):\n${r.closest.map(citationLine).join('\n')}` : '';
    return `${bandHeading(r)}\n${r.answer}${closest}`;
  }
  const body = r.citations.map(withMarker).join(' ');
  const alternatives = r.alternatives?.length ? `\n\nOr one of these:\n${r.alternatives.map(citationLine).join('\n')}` : '';
  return `${bandHeading(r)}\n${body}${alternatives}\n\nSources:\n${r.citations.map(citationLine).join('\n')}`;
}

export function formatSummary(r: SummaryResult): string {
  if (!r.answered) return r.summary;
  return r.citations.map((c) => `• ${withMarker(c)}`).join('\n');
}

/** The JSON shape of one citation on the command line. */
export function citationJson({ paragraph, kind, quote, start, end, answerSpan }: Citation): Record<string, unknown> {
  return { paragraph, kind, quote, start, end, ...(answerSpan ? { answer: answerSpan } : {}) };
}

/** A Markdown table of benchmark figures: one row per article and a total row. */
export function metricsTable(rows: readonly { name: string; metrics: Metrics }[], total: Metrics, opts: { timing: boolean }): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const head = ['article', 'questions', 'best candidate right', 'first citation right', 'any citation right', 'false refusals', 'unanswerable refused', 'accuracy', 'citation precision'];
  if (opts.timing) head.push('ms / question');
  const line = (name: string, m: Metrics) => {
    const r = rates(m);
    const cells = [name, String(m.questions), pct(r.bestCandidate), pct(r.firstCitation), pct(r.anyCitation), pct(r.falseRefusal), pct(r.unanswerableRefused), pct(r.accuracy), pct(r.citationPrecision)];
    if (opts.timing) cells.push(r.msPerQuestion.toFixed(1));
    return `| ${cells.join(' | ')} |`;
  };
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => line(r.name, r.metrics)),
    line('**total**', total),
  ].join('\n');
}

/** The three bands of a set of outcomes, in one line. */
export function bandLine(m: Metrics): string {
  const r = rates(m);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `answer band ${m.answerBandRight}/${m.answerBand} right (${pct(r.answerBandPrecision)}, covering ${pct(r.answerBandCoverage)} of the answerable; ${m.answerBandUnanswerable} unanswerable in it), likely band ${m.likelyBandRight}/${m.likelyBand} right first (${m.likelyBandShownRight} with a right alternative), right passage shown somewhere ${pct(r.shownSomewhere)}`;
}

/** The JSON shape of one answer on the command line; `question` echoes the input as given. */
export function answerJson(r: AskResult, asked: string): Record<string, unknown> {
  return {
    question: asked,
    answered: r.answered,
    answer: r.answer,
    citations: r.citations.map(citationJson),
    closest: r.closest.map(({ paragraph, quote }) => ({ paragraph, quote })),
    confidence: Number(r.confidence.toFixed(4)),
    band: r.band ?? (r.answered ? 'answer' : 'refused'),
    ...(r.band === 'likely' ? { alternatives: (r.alternatives ?? []).map(citationJson) } : {}),
    ...(r.followUpTo !== undefined ? { followUpTo: r.followUpTo } : {}),
    ...(r.readAs !== undefined ? { readAs: r.readAs } : {}),
    ...(r.gist ? { gist: true } : {}),
    ...(r.taught ? { taught: { question: r.taught.question, how: r.taught.how } } : {}),
    ...(r.error ? { error: r.error.code } : {}),
  };
}

/** One line of a follow-up report (`npm run eval`, `npm run train`). */
export function followUpLine(r: FollowUpReport): string {
  const pct = (a: number, b: number) => `${a}/${b} (${b ? ((a / b) * 100).toFixed(1) : '0.0'}%)`;
  return `follow-ups right ${pct(r.followUpsRight, r.followUps)} (asked alone ${pct(r.followUpsRightAlone, r.followUps)}; read as follow-ups ${r.readAsFollowUps}; unanswerable refused ${r.unanswerableRefused}/${r.unanswerable}), subject changes answered as alone ${pct(r.changesAsAlone, r.changes)} (right ${r.changesRight})`;
}

