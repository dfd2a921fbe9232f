import { NOT_FOUND, NOT_IN_ARTICLE } from '../../src/answer/answer.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Footnote } from '../../src/footnote.js';
import { AnswerModel, DEFAULT_MODEL_PATH } from '../../src/decision/answer-model.js';
import { turnOf, type ConversationTurn } from '../../src/conversation/follow-up.js';
import { OWN_TRAINING_SETS } from '../../src/quality/benchmark.js';
import { FOLLOW_UP_FIT_SET, followUpDataHash } from '../../src/quality/follow-ups.js';
import { ARTICLE_PATH, realArticle, tempDir, committedEmbedder } from '../helpers/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;

describe('follow-up questions with the committed models', async () => {
  const embedder = await committedEmbedder();
  const footnote = await Footnote.open({ articlePath: ARTICLE_PATH, indexDir: tempDir(), embedder, answerCacheSize: 0 });
  const article = realArticle();
  /** Asks `after` in order, then `q` as a follow-up. */
  const converse = async (after: string[], q: string) => {
    const turns: ConversationTurn[] = [];
    for (const a of after) turns.push(turnOf(await footnote.ask(a, turns)));
    return footnote.ask(q, turns);
  };

  it('carries the fitted follow-up part, with the hash of the data it was fitted on', async () => {
    const model = await AnswerModel.load(DEFAULT_MODEL_PATH);
    expect(model.followUp).toBeDefined();
    expect(model.followUp!.dataSha256).toBe(await followUpDataHash([join(root, FOLLOW_UP_FIT_SET), ...OWN_TRAINING_SETS.map((p) => join(root, p))]));
  });

  it('resolves a pronoun through the earlier question', async () => {
    const r = await converse(['who is mick mulroy'], 'what did he say about flattery');
    expect(r.answered).toBe(true);
    expect(r.citations[0]!.quote).toMatch(/Flattery doesn’t work/);
    expect(r.followUpTo).toBe('who is mick mulroy');
    expect(r.understood).toBe('who is mick mulroy? what did he say about flattery');
    expect(r.question).toBe('what did he say about flattery');
  });

  it('answers an ellipsis ("and trump?", "to whom?", "when was that?") in the light of the earlier question, citing exact slices', async () => {
    const who = await converse(['how long did putin speak at the news conference'], 'and trump?');
    expect(who.followUpTo).toBe('how long did putin speak at the news conference');
    expect(who.citations.map((c) => c.quote).join(' ')).toMatch(/three minutes/);
    const whom = await converse(['when did russia sell alaska'], 'to whom?');
    expect(whom.followUpTo).toBe('when did russia sell alaska');
    expect(whom.citations[0]?.quote).toMatch(/sold to the U\.S\. in 1867/);
    const when = await converse(['where did trump and putin last meet in person before anchorage'], 'when was that?');
    expect(when.citations[0]?.quote).toMatch(/2019/);
    for (const c of [...who.citations, ...whom.citations, ...when.citations]) expect(article.text.slice(c.start, c.end)).toBe(c.quote);
  });

  // Known weakness of the reader (models/minilm-reader/MODEL.md): it does not bind a name to its verb, so
  // "how long did trump speak at the news conference" scores Putin's "eight minutes" sentence first
  // (reader logits 2.05 against 0.39). The follow-up itself is read right and Trump's sentence is cited
  // (above), but second. `it.fails` keeps the wrong order on record: it turns red the day it is right.
  it.fails('known weakness: "and trump?" after Putin\'s speaking time cites Trump\'s three minutes first', async () => {
    const who = await converse(['how long did putin speak at the news conference'], 'and trump?');
    expect(who.citations[0]?.quote).toMatch(/three minutes/);
  });

  it('does not bend a question that changes the subject toward the conversation', async () => {
    for (const q of ['what did trump vow on the campaign trail', 'what is the capital of france']) {
      const inConversation = await converse(['who is sergei lavrov'], q);
      const alone = await footnote.ask(q);
      expect(inConversation.followUpTo).toBeUndefined();
      expect(inConversation.answered).toBe(alone.answered);
      expect(inConversation.citations.map((c) => c.start)).toEqual(alone.citations.map((c) => c.start));
    }
    expect((await converse(['who is sergei lavrov'], 'what is the capital of france')).answered).toBe(false);
  });

  it('refuses a follow-up the article does not answer', async () => {
    const r = await converse(['who is sergei lavrov'], 'how old is he');
    expect(r.answered).toBe(false);
    expect(r.band).toBe('refused');
    // Either refusal: "the article doesn't say" only where the confidence supports it.
    expect([NOT_IN_ARTICLE, NOT_FOUND]).toContain(r.answer);
    expect(r.closest.length).toBeGreaterThan(0);
  });

  // Known weakness since the answer model was refitted on the reader's pair-by-pair logits: after "who is
  // mick mulroy", "how old is he" gets the likely band (0.25 against a threshold of 0.23) with Mulroy's
  // quote, where the article gives no age. Turns red the day it is refused.
  it.fails('known weakness: "how old is he" after "who is mick mulroy" is refused', async () => {
    const r = await converse(['who is mick mulroy'], 'how old is he');
    expect(r.band).toBe('refused');
  });
});

describe('command line conversations', () => {
  const indexDir = tempDir('cli-follow-');
  const ask = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, INDEX_DIR: indexDir }, timeout: 120_000 });

  it('answers a follow-up given with --after, printing only its answer', () => {
    const r = ask(['--json', '--after', 'who is yuri ushakov', '--after', 'when did russia sell alaska', 'to whom?']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out.question).toBe('to whom?');
    expect(out.followUpTo).toBe('when did russia sell alaska');
    expect(out.citations[0].quote).toMatch(/sold to the U\.S\. in 1867/);
  });

  it('reads JSON object lines as conversations beside plain questions, and stops with 65 on a malformed one', () => {
    const dir = tempDir('cli-follow-file-');
    const good = join(dir, 'good.txt');
    writeFileSync(good, 'who is mick mulroy\n{"q": "what did he say about flattery", "after": ["who is mick mulroy"]}\n');
    const r = ask(['--json', '--file', good]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.question)).toEqual(['who is mick mulroy', 'what did he say about flattery']);
    expect(out[0].followUpTo).toBeUndefined();
    expect(out[1].followUpTo).toBe('who is mick mulroy');
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'who is mick mulroy\n{"q": ["not a string"]}\n');
    const b = ask(['--json', '--file', bad]);
    expect(b.status).toBe(65);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/Line 2 of .*bad\.txt.*"q"/);
    expect(b.stdout).toBe('');
  });
});
