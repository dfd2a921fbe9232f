import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AskResult, Citation } from '../../src/answer.js';
import { checkCommand, loadCommands, CommandLoadError, COMMANDS_DIR } from '../../src/bot/commands.js';
import { readsAsQuestion } from '../../src/bot/client.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { FeedbackStore, feedbackFileName } from '../../src/bot/feedback.js';
import { escapeUserText, LIMITS, truncate } from '../../src/bot/limits.js';
import { askEmbed, citedParagraphs, embedLength, fitEmbed, questionOf } from '../../src/bot/render.js';

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
    expect(e.fields!.map((f) => f.name)).toEqual(['Sources']);
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

describe('FeedbackStore', () => {
  it('keeps one vote per user per answer, across a restart', async () => {
    const dir = tempDir('fb-');
    const vote = { answerId: 'a1', userId: 'u1', vote: 'up' as const, question: 'q', citations: [1], at: 'now' };
    const store = await FeedbackStore.open(dir);
    expect(await store.record(vote)).toBe(true);
    expect(await store.record({ ...vote, vote: 'down' })).toBe(false);
    const reopened = await FeedbackStore.open(dir);
    expect(await reopened.record(vote)).toBe(false);
    expect(await reopened.record({ ...vote, userId: 'u2' })).toBe(true);
    const stored = readFileSync(join(dir, 'feedback.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(stored[0]).sort()).toEqual(['answerId', 'at', 'citations', 'question', 'userId', 'vote']);
  });

  it('rotates at its cap, keeping the one-vote rule over both files and nothing older', async () => {
    const dir = tempDir('fb-');
    const vote = (n: number) => ({ answerId: `a${n}`, userId: 'u', vote: 'up' as const, question: 'q', citations: [], at: 'now' });
    const store = await FeedbackStore.open(dir, 3);
    for (let n = 0; n < 7; n++) expect(await store.record(vote(n))).toBe(true);
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n').length;
    expect(lines('feedback.jsonl')).toBe(1);
    expect(lines('feedback.1.jsonl')).toBe(3);
    expect(await store.record(vote(5))).toBe(false); // in the rotated file
    expect(await store.record(vote(1))).toBe(true); // rotated out twice: forgotten
    const reopened = await FeedbackStore.open(dir, 3);
    expect(await reopened.record(vote(4))).toBe(false);
  });

  it('gives each shard process its own file, and counts every process’s votes for the one-vote rule after a reshard', async () => {
    const dir = tempDir('fb-');
    const vote = { answerId: 'a1', userId: 'u1', vote: 'up' as const, question: 'q', citations: [1], at: 'now' };
    const [zero, one] = await Promise.all([FeedbackStore.open(dir, 3, feedbackFileName([0])), FeedbackStore.open(dir, 3, feedbackFileName([1]))]);
    expect(await zero.record(vote)).toBe(true);
    expect(await one.record({ ...vote, answerId: 'a2' })).toBe(true);
    for (let n = 3; n < 8; n++) await one.record({ ...vote, answerId: `a${n}` }); // shard 1 rotates its own file only
    expect(readdirSync(dir).sort()).toEqual(['feedback-shard-0.jsonl', 'feedback-shard-1.1.jsonl', 'feedback-shard-1.jsonl']);
    expect(readFileSync(join(dir, 'feedback-shard-0.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    // Resharded: one process now runs both shards and still knows both votes.
    const both = await FeedbackStore.open(dir, 3, feedbackFileName([1, 0]));
    expect(both.path).toMatch(/feedback-shard-0-1\.jsonl$/);
    expect(await both.record(vote)).toBe(false);
    expect(await both.record({ ...vote, answerId: 'a7' })).toBe(false);
    expect(feedbackFileName(undefined)).toBe('feedback.jsonl');
  });

  it('refuses an unwritable DATA_DIR and an unreadable feedback file at open, naming DATA_DIR', async () => {
    await expect(FeedbackStore.open('/dev/null/x')).rejects.toThrow(/^DATA_DIR must be a writable folder: \/dev\/null\/x/);
    const dir = tempDir('fb-');
    mkdirSync(join(dir, 'feedback.jsonl'));
    await expect(FeedbackStore.open(dir)).rejects.toThrow(/DATA_DIR: the feedback file .* can't be read \(EISDIR\)/);
  });
});

describe('command loading', () => {
  it('loads every command in commands/ by name', async () => {
    const commands = await loadCommands(COMMANDS_DIR);
    expect([...commands.keys()].sort()).toEqual(['Pin sourced answer', 'ask', 'help', 'source', 'summary']);
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
