import { readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import { INVITE_PERMISSIONS } from '../../src/bot/installs.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AskResult, Citation } from '../../src/answer/answer.js';
import { checkCommand, loadCommands, CommandLoadError, COMMANDS_DIR } from '../../src/bot/commands.js';
import { readsAsQuestion } from '../../src/bot/client.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { groupGaps } from '../../src/store/gaps.js';
import { packVector, type FlaggedQuestion } from '../../src/store/store.js';
import { escapeUserText, LIMITS, truncate } from '../../src/bot/limits.js';
import { quoted } from '../../src/language/text.js';
import { citationLine } from '../../src/cli/format.js';
import { answerButtons, askEmbed, citedParagraphs, COLORS, confidenceText, embedLength, fitEmbed, pickOptions, picksOfMessage, questionOf } from '../../src/bot/render.js';

import { tempDir } from '../helpers/fixtures.js';

const meta = { title: 'Article', source: 'Source' };

describe('cooldown notices and follow-ups', () => {
  it('says a user may ask only outside the window, and gives one notice per window', () => {
    let now = 0;
    const c = new Cooldown(10, () => now);
    expect(c.ready('u')).toBe(true);
    expect(c.noticeOnce('u')).toBe(false); // nothing to notice before a first question
    expect(c.take('u')).toBe(0);
    now = 3_000;
    expect(c.ready('u')).toBe(false);
    expect(c.noticeOnce('u')).toBe(true);
    expect(c.noticeOnce('u')).toBe(false);
    now = 11_000;
    expect(c.ready('u')).toBe(true);
    expect(c.take('u')).toBe(0);
    now = 12_000;
    expect(c.noticeOnce('u')).toBe(true); // a new window, a new notice
  });

  it('reads a follow-up as a question by its question mark or its first word', () => {
    expect(readsAsQuestion('and Putin?')).toBe(true);
    expect(readsAsQuestion('When did they meet')).toBe(true);
    expect(readsAsQuestion('thanks, that helps!')).toBe(false);
    expect(readsAsQuestion('')).toBe(false);
  });
});

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('short', 10)).toBe('short');
  });

  it('cuts at a word boundary with an ellipsis, within the limit', () => {
    const t = truncate('one two three four five six', 14);
    expect(t.length).toBeLessThanOrEqual(14);
    expect(t).toBe('one two three…');
  });

  it('never cuts a citation marker in half', () => {
    const text = 'A sentence here. [¶30] Another sentence. [¶31]';
    for (let max = 1; max < text.length; max++) {
      const t = truncate(text, max);
      expect(t.length).toBeLessThanOrEqual(max);
      const opened = (t.match(/\[¶/g) ?? []).length;
      const closed = (t.match(/\[¶\d+\]/g) ?? []).length;
      expect(opened).toBe(closed);
    }
  });
});

describe('escapeUserText', () => {
  it('neutralises mentions, @everyone, markdown and links', () => {
    const e = escapeUserText('@everyone <@123> **bold** [x](https://evil.example)');
    expect(e).not.toContain('@everyone');
    expect(e).not.toContain('<@123>');
    expect(e).toContain('\\*\\*bold\\*\\*');
    expect(e).not.toContain('https://');
  });
});

describe('embeds within Discord limits', () => {
  const cite = (n: number, len: number): Citation => ({ paragraph: n, kind: 'body', quote: 'word '.repeat(len / 5).trim(), start: 0, end: len });

  it('fits a huge answer into 4,096 / 1,024 / 25 fields / 6,000 characters', () => {
    const result: AskResult = {
      question: 'q'.repeat(600),
      answered: true,
      answer: '',
      citations: Array.from({ length: 30 }, (_, i) => cite(i + 1, 2000)),
      closest: [],
      confidence: 1,
    };
    const e = askEmbed(result, meta, '123456789012345678');
    expect(e.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(e.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(e.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(embedLength(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(e.fields!.some((f) => f.name === 'Asked by')).toBe(true);
  });

  it('reads back the question and cited paragraphs from an answer embed', () => {
    const e = askEmbed({ question: 'Who is *Witkoff*?', answered: true, answer: '', citations: [cite(13, 50), cite(29, 50)], closest: [], confidence: 1 }, meta);
    expect(questionOf(e)).toBe('Who is *Witkoff*?');
    expect(citedParagraphs(e)).toEqual([13, 29]);
  });

  it('shows each cited sentence once, with the answer words in bold, and names the sources in one field', () => {
    const quote = 'Russia sold Alaska to the U.S. in 1867.';
    const at = quote.indexOf('1867');
    const c: Citation = { paragraph: 24, kind: 'body', quote, start: 100, end: 100 + quote.length, answerSpan: { start: 100 + at, end: 100 + at + 4 } };
    const caption: Citation = { paragraph: 6, kind: 'caption', quote: 'A caption.', start: 0, end: 10 };
    const e = askEmbed({ question: 'When was Alaska sold?', answered: true, answer: '', citations: [c, caption], closest: [], confidence: 1 }, meta);
    expect(e.description).toBe('Russia sold Alaska to the U.S. in **1867**. [¶24] A caption. [¶6]');
    expect(e.fields!.map((f) => f.name)).toEqual(['Sources', 'Confidence']);
    expect(e.fields![0]!.value).toBe('¶24 · ¶6 (photo caption)');
    expect(citedParagraphs(e)).toEqual([24, 6]);
    // A span outside its quote is ignored rather than misplaced.
    const bad = askEmbed({ question: 'q', answered: true, answer: '', citations: [{ ...c, answerSpan: { start: 0, end: 5 } }], closest: [], confidence: 1 }, meta);
    expect(bad.description).toBe(`${quote} [¶24]`);
  });

  it('keeps a small embed unchanged', () => {
    const e = { title: 't', description: 'd', fields: [{ name: 'a', value: 'b' }] };
    expect(fitEmbed(e)).toEqual(e);
  });
});

describe('Cooldown', () => {
  it('makes a user wait, then lets them ask again', () => {
    let now = 0;
    const c = new Cooldown(5, () => now);
    expect(c.take('u')).toBe(0);
    now = 2000;
    expect(c.take('u')).toBe(3);
    expect(c.take('other')).toBe(0);
    now = 5000;
    expect(c.take('u')).toBe(0);
  });

  it('is off at 0 seconds', () => {
    const c = new Cooldown(0);
    expect(c.take('u')).toBe(0);
    expect(c.take('u')).toBe(0);
  });
});

describe('coverage gaps', () => {
  const v = (...xs: number[]) => {
    const a = Float32Array.from(xs);
    const n = Math.hypot(...xs);
    return a.map((x) => x / n);
  };
  const row = (question: string, vector: Float32Array | undefined, over: Partial<FlaggedQuestion> = {}): FlaggedQuestion => ({
    id: question,
    question,
    answered: false,
    confidence: 0.1,
    paragraphs: [33],
    packed: vector && packVector(vector),
    downVotes: 0,
    at: new Date(),
    ...over,
  });

  it('groups the same wording and near-duplicate wordings, most asked first, with the latest wording', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));
    const gaps = groupGaps([
      row('What did Lavrov say afterwards?', v(1, 0.1, 0), { at: t(9) }),
      row('how old is putin', v(0, 1, 0), { at: t(8) }),
      row('what did lavrov say afterwards', v(1, 0.1, 0), { at: t(7) }),
      row('what did lavrov tell reporters', v(0.95, 0.2, 0.05), { at: t(6), answered: true, confidence: 0.3, downVotes: 2 }),
      row('write me a song', v(0, 0, 1), { at: t(5) }),
    ]);
    expect(gaps.map((g) => g.count)).toEqual([3, 1, 1]);
    expect(gaps[0]).toMatchObject({ question: 'What did Lavrov say afterwards?', refused: 2, unsure: 1, downVotes: 2, paragraph: 33 });
    expect(gaps[0]!.wordings).toEqual(['what did lavrov say afterwards', 'what did lavrov tell reporters']);
    expect(gaps.slice(1).map((g) => g.question)).toEqual(['how old is putin', 'write me a song']);
  });

  it('keeps questions without a vector apart unless worded the same', () => {
    const gaps = groupGaps([row('a b', undefined), row('A b?', undefined), row('c', v(1, 0))]);
    expect(gaps.map((g) => g.count)).toEqual([2, 1]);
  });
});

describe('the invite link', () => {
  it('asks for the thread permissions follow-ups need, and the README gives the same number', () => {
    const bits = (b: bigint) => (INVITE_PERMISSIONS & b) === b;
    expect(bits(PermissionFlagsBits.CreatePublicThreads) && bits(PermissionFlagsBits.SendMessagesInThreads) && bits(PermissionFlagsBits.PinMessages)).toBe(true);
    expect(bits(PermissionFlagsBits.ManageMessages) || bits(PermissionFlagsBits.Administrator)).toBe(false);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const stated = [...readme.matchAll(/permissions=(\d+)/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    for (const p of stated) expect(p).toBe(String(INVITE_PERMISSIONS));
  });
});

describe('command loading', () => {
  it('loads every command in commands/ by name', async () => {
    const commands = await loadCommands(COMMANDS_DIR);
    expect([...commands.keys()].sort()).toEqual(['Correct this answer', 'Pin sourced answer', 'ask', 'gaps', 'help', 'source', 'stats', 'summary', 'taught']);
  });

  it('rejects a module that is not a command, naming the file', () => {
    expect(() => checkCommand({ data: { name: 'x' } }, 'bad.ts')).toThrow(CommandLoadError);
    expect(() => checkCommand(undefined, 'empty.ts')).toThrow(/empty.ts/);
    expect(() => checkCommand({ data: { name: 'x', toJSON: () => ({}) } }, 'noexec.ts')).toThrow(/execute/);
  });

  it('refuses two commands with one name', async () => {
    const dir = tempDir('cmds-');
    const src = `export default { data: { name: 'dup', toJSON() { return { name: 'dup' }; } }, async execute() {} };\n`;
    writeFileSync(join(dir, 'a.mjs'), src);
    writeFileSync(join(dir, 'b.mjs'), src);
    await expect(loadCommands(dir)).rejects.toThrow(/already loaded/);
  });
});

describe('one band, one colour', () => {
  const meta = { title: 'T', source: 'S' };
  const cite = { paragraph: 1, kind: 'body' as const, quote: 'ANCHORAGE, Alaska—President Trump welcomed his Russian counterpart.', start: 0, end: 10 };
  const base = { question: 'q', answer: '', citations: [cite], closest: [cite], confidence: 0.9 };

  it('colours every answer by its band: sure green (a gist answer too), likely amber, refused grey', () => {
    const sure = askEmbed({ ...base, answered: true, band: 'answer' }, meta);
    const gist = askEmbed({ ...base, answered: true, band: 'answer', gist: true, confidence: 1 }, meta);
    const likely = askEmbed({ ...base, answered: true, band: 'likely', alternatives: [] }, meta);
    const refused = askEmbed({ ...base, answered: false, band: 'refused', citations: [], confidence: 0.1 }, meta);
    expect([sure.color, gist.color, likely.color, refused.color]).toEqual([COLORS.answer, COLORS.answer, COLORS.likely, COLORS.refusal]);
    expect(confidenceText({ answered: true, band: 'answer', confidence: 1 })).toBe('sure (1.00)');
  });
});

describe('passages of one paragraph told apart', () => {
  const meta = { title: 'T', source: 'S' };
  const at = (start: number, quote: string) => ({ paragraph: 5, kind: 'body' as const, quote, start, end: start + quote.length });
  const first = at(100, 'Both men got into the armored limousine.');
  const second = at(200, '“For three years,” she wrote.');
  const third = at(300, 'Trump waited onboard Air Force One.');
  const result = { question: 'q', answer: '', answered: true, band: 'likely' as const, citations: [first], alternatives: [second, third], closest: [], confidence: 0.5 };

  it('labels each pick button with the paragraph and the first words, all different', () => {
    const rows = answerButtons({ isPrivate: false, picks: pickOptions(result) });
    const labels = rows[1]!.components.map((b) => (b as { label: string }).label);
    expect(labels).toEqual(['This answers it: ¶5 “Both men got into…”', 'This answers it: ¶5 “For three years, she…”', 'This answers it: ¶5 “Trump waited onboard Air…”']);
  });

  it('names alternatives of a paragraph already shown by their first words too', () => {
    const names = askEmbed(result, meta).fields!.filter((f) => f.name.startsWith('Or: ')).map((f) => f.name);
    expect(new Set(names).size).toBe(2);
    expect(names[0]).toMatch(/^Or: ¶5 · “For three years/);
  });

  it('keeps the labels when the buttons are copied from the message (a pin)', () => {
    const rows = answerButtons({ isPrivate: false, picks: pickOptions(result) });
    expect(picksOfMessage(rows).map((p) => p.label)).toEqual(pickOptions(result).map((p) => p.label));
  });
});

describe('a quoted sentence shows one pair of marks and the article’s own', () => {
  const meta = { title: 'T', source: 'S' };
  const cite = (quote: string) => ({ paragraph: 7, kind: 'body' as const, quote, start: 0, end: quote.length });

  it('keeps a whole quotation’s own marks, sets one that holds marks in single marks, and quotes the rest', () => {
    expect(quoted('“And therefore something to be exploited.”')).toBe('“And therefore something to be exploited.”');
    expect(quoted('“For three years,” she wrote.')).toBe('‘“For three years,” she wrote.’');
    expect(quoted('He said "no" twice.')).toBe('‘He said "no" twice.’');
    expect(quoted('Putin spoke for eight minutes.')).toBe('“Putin spoke for eight minutes.”');
  });

  it('never doubles the marks in Discord or on the command line', () => {
    const result = { question: 'q', answer: '', answered: true, band: 'likely' as const, citations: [cite('“For three years,” she wrote.')], alternatives: [cite('“And therefore something to be exploited.”')], closest: [], confidence: 0.5 };
    const values = askEmbed(result, meta).fields!.map((f) => f.value).join('\n') + citationLine(result.alternatives[0]!);
    expect(values).not.toMatch(/““|””/);
    expect(citationLine(result.citations[0]!)).toBe('  [¶7] ‘“For three years,” she wrote.’');
  });
});
