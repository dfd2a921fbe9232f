import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFeedbackFiles } from '../../src/store/import-feedback.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore, readTaughtAnswers, redactUrl, SQLITE_FILE } from '../../src/store/open.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { packVector, unpackVector, type QuestionRecord, type TaughtRecord } from '../../src/store/store.js';
import { readOnlyView, tempDir } from '../helpers/fixtures.js';
import { DATABASES, runPostgres } from '../helpers/stores.js';

const root = new URL('../../', import.meta.url).pathname;

const day = 24 * 60 * 60 * 1000;
const question = (id: string, over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id,
  question: `question ${id}`,
  answered: true,
  confidence: 0.9,
  paragraphs: [3, 5],
  at: new Date(),
  ...over,
});

for (const database of DATABASES) {
  describe.runIf(database.name === 'sqlite' || runPostgres)(`the store on ${database.name}`, () => {
    it('migrates an empty database to the newest schema, and opening again changes nothing', async () => {
      const { db, reopen } = await database.fresh();
      const store = await SqlStore.open(db);
      expect(store.version).toBe(SCHEMA_VERSION);
      await store.close();
      const again = await SqlStore.open(reopen());
      expect(again.version).toBe(SCHEMA_VERSION);
      await again.close();
    });

    it('migrates from the previous version, keeping its rows', async () => {
      const { db, reopen } = await database.fresh();
      const old = await SqlStore.open(db, SCHEMA_VERSION - 1);
      await old.recordQuestion(question('kept'));
      await old.close();
      const store = await SqlStore.open(reopen());
      expect((await store.stats(new Date(0))).asked).toBe(1);
      await store.saveTurns('thread-1', [{ question: 'who is yuri ushakov?', citations: [{ start: 1, end: 9 }], at: Date.now() }]);
      expect(await store.turns('thread-1')).toHaveLength(1);
      await store.close();
    });

    it('keeps one vote per user per answer, even when two processes vote at once', async () => {
      const { db, reopen } = await database.fresh();
      const a = await SqlStore.open(db);
      const b = await SqlStore.open(reopen());
      const vote = { answerId: 'm1', userId: 'u1', vote: 'down' as const, question: 'q', paragraphs: [2], at: new Date() };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).recordVote(vote)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.recordVote({ ...vote, userId: 'u2', vote: 'up' })).toBe(true);
      expect(await b.setVoteReason('m1', 'u1', 'wrong-passage')).toBe(true);
      expect(await b.setVoteReason('m1', 'nobody', 'other')).toBe(false);
      const stats = await a.stats(new Date(0));
      expect(stats).toMatchObject({ votesUp: 1, votesDown: 1 });
      expect(stats.reasons['wrong-passage']).toBe(1);
      await a.close();
      await b.close();
    });

    it('keeps one pick per user per answer: a second pick replaces the first, and the answer is known while kept', async () => {
      const { db } = await database.fresh();
      const store = await SqlStore.open(db);
      await store.recordQuestion(question('m1'));
      expect(await store.hasAnswer('m1')).toBe(true);
      expect(await store.hasAnswer('m2')).toBe(false);
      const pick = { answerId: 'm1', userId: 'u1', question: 'q', paragraph: 4, start: 100, end: 180, at: new Date() };
      expect(await store.recordPick(pick)).toBe('new');
      expect(await store.recordPick(pick)).toBe('same');
      expect(await store.recordPick({ ...pick, paragraph: 5, start: 200, end: 260 })).toBe('changed');
      expect(await store.recordPick({ ...pick, userId: 'u2' })).toBe('new');
      expect((await store.stats(new Date(0))).picks).toBe(2);
      // The retention sweep takes picks too.
      await store.sweep(new Date(Date.now() + 1000));
      expect((await store.stats(new Date(0))).picks).toBe(0);
      expect(await store.hasAnswer('m1')).toBe(false);
      await store.close();
    });

    it('keeps one taught answer per server and question: teaching it again replaces it under the same id; forgetting is scoped; the sweep keeps them', async () => {
      const { db, reopen } = await database.fresh();
      const store = await SqlStore.open(db);
      const other = await SqlStore.open(reopen());
      const unit = { paragraph: 18, start: 100, end: 180, quote: 'a sentence of the article' };
      const lesson = (over: Partial<TaughtRecord> = {}): TaughtRecord => ({
        id: '',
        scope: 'g1',
        question: 'What car was Putin in?',
        vector: new Float32Array([0.6, 0.8, 0]),
        embeddingModel: 'use-lite',
        articleSha: 'abc',
        units: [unit],
        refuse: false,
        how: 'correction',
        by: 'u1',
        channelId: 'c1',
        at: new Date(Date.now() - 1000),
        ...over,
      });
      const first = await store.teach(lesson());
      expect(first.replaced).toBe(false);
      expect(first.id).toMatch(/^[0-9a-f]{8}$/);
      // The same question (case and punctuation aside) in the same server replaces it; another server has its own.
      const again = await other.teach(lesson({ question: 'what car was putin in', refuse: true, units: [], how: 'pin', at: new Date() }));
      expect(again).toEqual({ id: first.id, replaced: true });
      const elsewhere = await store.teach(lesson({ scope: 'g2' }));
      expect(elsewhere.id).not.toBe(first.id);
      const imported = await store.teach(lesson({ scope: '', how: 'import', by: 'cli' }));
      const mine = await store.taught('g1');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ id: first.id, question: 'what car was putin in', refuse: true, units: [], how: 'pin', by: 'u1', channelId: 'c1' });
      expect(mine[0]!.vector![1]).toBeCloseTo(0.8, 1);
      expect((await store.taught()).map((t) => t.id).sort()).toEqual([first.id, elsewhere.id, imported.id].sort());
      expect(await other.taughtSummary()).toEqual({ count: 3, latest: Math.max(...(await store.taught()).map((t) => t.at.getTime())) });
      const versions = await other.taughtVersions();
      expect(versions.map((v) => v.id).sort()).toEqual([first.id, elsewhere.id, imported.id].sort());
      const [byId] = await other.taughtByIds([elsewhere.id]);
      expect(byId).toMatchObject({ scope: 'g2', units: [unit], refuse: false, how: 'correction' });
      // Taught answers are curated, not logs: the retention sweep leaves them.
      await store.sweep(new Date(Date.now() + 1000));
      expect(await store.taught()).toHaveLength(3);
      // A server's moderators forget only their own.
      expect(await store.forgetTaught(elsewhere.id, 'g1')).toBe(false);
      expect(await store.forgetTaught(elsewhere.id, 'g2')).toBe(true);
      expect(await store.forgetTaught(imported.id)).toBe(true);
      expect(await store.forgetTaught(imported.id)).toBe(false);
      expect((await other.taught()).map((t) => t.id)).toEqual([first.id]);
      await store.close();
      await other.close();
    });

    it('lets the command line read taught answers without creating, migrating or writing anything', async () => {
      const { db, path, url } = await database.fresh();
      const where = url ? { dataDir: tempDir('unused-'), databaseUrl: url } : { dataDir: dirname(path!) };
      // Before any migration: no taught table, nothing taught, and nothing created.
      await db.run('CREATE TABLE IF NOT EXISTS unrelated (x INTEGER)');
      expect(await readTaughtAnswers(where)).toEqual([]);
      const store = await SqlStore.open(db);
      await store.teach({ id: '', scope: '', question: 'what did putin eat', embeddingModel: 'use-lite', articleSha: 'abc', units: [], refuse: true, how: 'import', at: new Date() });
      const read = await readTaughtAnswers(where);
      expect(read.map((t) => [t.question, t.refuse, t.how])).toEqual([['what did putin eat', true, 'import']]);
      await store.close();
    });

    it('counts the distinct members of a server who picked one passage under answers to one question', async () => {
      const { db } = await database.fresh();
      const store = await SqlStore.open(db);
      for (const [id, guildId] of [['a1', 'g1'], ['a2', 'g1'], ['a3', 'g2']] as const) await store.recordQuestion(question(id, { guildId }));
      const pick = { answerId: 'a1', userId: 'u1', question: 'Who went with Putin?', paragraph: 30, start: 500, end: 600, at: new Date() };
      await store.recordPick(pick);
      await store.recordPick({ ...pick, answerId: 'a2', userId: 'u2', question: 'who went with putin' });
      await store.recordPick({ ...pick, answerId: 'a2', userId: 'u1' }); // the same member again
      await store.recordPick({ ...pick, answerId: 'a3', userId: 'u3' }); // another server
      await store.recordPick({ ...pick, answerId: 'a2', userId: 'u4', start: 700, end: 800 }); // another passage
      expect(await store.pickAgreement('g1', 'who went with Putin?', 500, 600)).toBe(2);
      expect(await store.pickAgreement('g2', 'who went with Putin?', 500, 600)).toBe(1);
      expect(await store.pickAgreement('g1', 'who went with Trump?', 500, 600)).toBe(0);
      await store.close();
    });

    it('lists refused, voted-down and low-confidence questions with their vectors, newest first', async () => {
      const { db } = await database.fresh();
      const store = await SqlStore.open(db);
      const v = new Float32Array([0.6, 0.8, 0]);
      await store.recordQuestion(question('fine', { at: new Date(Date.now() - 3000) }));
      await store.recordQuestion(question('refused', { answered: false, confidence: 0.1, vector: v, at: new Date(Date.now() - 2000) }));
      await store.recordQuestion(question('unsure', { confidence: 0.3, at: new Date(Date.now() - 1000) }));
      await store.recordQuestion(question('disliked'));
      await store.recordVote({ answerId: 'disliked', userId: 'u', vote: 'down', question: 'question disliked', paragraphs: [3], at: new Date() });
      await store.recordQuestion(question('old refused', { answered: false, at: new Date(Date.now() - 40 * day) }));
      const flagged = await store.flagged(new Date(Date.now() - 30 * day), 0.5);
      expect(flagged.map((f) => f.id)).toEqual(['disliked', 'unsure', 'refused']);
      expect(flagged[0]!.downVotes).toBe(1);
      const refused = flagged[2]!;
      expect(refused.answered).toBe(false);
      expect(refused.paragraphs).toEqual([3, 5]);
      expect(unpackVector(refused.packed)![0]).toBeCloseTo(0.6, 1);
      const stats = await store.stats(new Date(Date.now() - 30 * day));
      expect(stats).toMatchObject({ asked: 4, answered: 3, refused: 1 });
      expect(stats.topParagraphs[0]).toEqual({ paragraph: 3, citations: 3 });
      await store.close();
    });

    it('sweeps what is older than the retention period', async () => {
      const { db } = await database.fresh();
      const store = await SqlStore.open(db);
      await store.recordQuestion(question('old', { at: new Date(Date.now() - 100 * day) }));
      await store.recordQuestion(question('new'));
      await store.recordVote({ answerId: 'old', userId: 'u', vote: 'up', question: 'q', paragraphs: [], at: new Date(Date.now() - 100 * day) });
      expect(await store.sweep(new Date(Date.now() - 90 * day))).toBe(2);
      expect((await store.stats(new Date(0))).asked).toBe(1);
      await store.close();
    });

    it('imports old feedback files once, skipping and reporting a damaged line, and renames them', async () => {
      const { db } = await database.fresh();
      const store = await SqlStore.open(db);
      const dir = tempDir();
      const line = (answerId: string, userId: string) => JSON.stringify({ answerId, userId, vote: 'down', question: 'q?', citations: [4], at: '2026-11-30T10:00:00.000Z' });
      writeFileSync(join(dir, 'feedback.jsonl'), [line('a', 'u1'), '{"torn', line('a', 'u1'), line('b', 'u1')].join('\n') + '\n');
      writeFileSync(join(dir, 'feedback-shard-1.jsonl'), line('c', 'u2') + '\n{"answerId": 3}\n');
      const report = await importFeedbackFiles(store, dir);
      expect(report).toEqual({
        files: ['feedback-shard-1.jsonl', 'feedback.jsonl'],
        votes: 3,
        duplicates: 1,
        damaged: [
          { file: 'feedback-shard-1.jsonl', line: 2 },
          { file: 'feedback.jsonl', line: 2 },
        ],
      });
      expect(existsSync(join(dir, 'feedback.jsonl'))).toBe(false);
      expect(readFileSync(join(dir, 'feedback.jsonl.imported'), 'utf8')).toContain('"answerId":"a"');
      expect((await importFeedbackFiles(store, dir)).files).toEqual([]);
      expect((await store.stats(new Date(0))).votesDown).toBe(3);
      await store.close();
    });
  });
}

describe('opening the store at start-up', () => {
  it('creates the SQLite file in DATA_DIR, in WAL mode', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir });
    expect(store.kind).toBe('sqlite');
    await store.close();
    expect(existsSync(join(dir, SQLITE_FILE))).toBe(true);
  });

  it('names DATA_DIR when the database is read-only', async () => {
    const dir = tempDir();
    await (await openStore({ dataDir: dir })).close();
    const readOnly = readOnlyView(dir);
    try {
      await expect(openStore({ dataDir: readOnly.path })).rejects.toThrow(/^DATA_DIR must be a writable folder: .* can't be written \(EROFS\)|^DATA_DIR must be a writable folder: .* \(EACCES\)/);
    } finally {
      readOnly.release();
    }
  });

  it.runIf(runPostgres)('names DATABASE_URL when the server only reads', async () => {
    const { url } = await DATABASES.find((d) => d.name === 'postgres')!.fresh();
    const readOnlyUrl = new URL(url!);
    readOnlyUrl.searchParams.set('options', `${readOnlyUrl.searchParams.get('options')} -c default_transaction_read_only=on`);
    await expect(openStore({ dataDir: tempDir(), databaseUrl: readOnlyUrl.toString() })).rejects.toThrow(/^DATABASE_URL .* can't be used: .*read-only/);
  });

  it('names DATABASE_URL without its password when the server is unreachable', async () => {
    const url = 'postgresql://footnote:s3cret-pw@127.0.0.1:1/footnote';
    const err = await openStore({ dataDir: tempDir(), databaseUrl: url }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^DATABASE_URL postgresql:\/\/footnote:\*\*\*@127\.0\.0\.1:1\/footnote can't be used: /);
    expect((err as Error).message).not.toContain('s3cret-pw');
    expect(redactUrl(url)).not.toContain('s3cret');
  });

  it('packs a unit vector into one byte a dimension and back', () => {
    const v = new Float32Array([0.28, -0.96, 0]);
    const back = unpackVector(packVector(v))!;
    expect(back[0]).toBeCloseTo(0.28, 2);
    expect(back[1]).toBeCloseTo(-0.96, 2);
  });
});

describe('two processes on one SQLite file', () => {
  it('both record, each sees the other’s rows, and a vote cast by both lands once', async () => {
    const dir = tempDir();
    const script = `import { openStore } from './src/store/open.js';
      const s = await openStore({ dataDir: process.argv[1] });
      for (let i = 0; i < 50; i++) {
        await s.recordQuestion({ id: process.argv[2] + i, question: 'q', answered: false, confidence: 0, paragraphs: [], at: new Date() });
        // Both processes cast the same 50 votes: each lands once.
        if (await s.recordVote({ answerId: 'a' + i, userId: 'u', vote: 'down', question: 'q', paragraphs: [], at: new Date() })) process.stdout.write('v');
      }
      await s.close();`;
    let votes = '';
    const run = (tag: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir, tag], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
        child.stdout.on('data', (d) => (votes += String(d)));
        child.on('exit', (c) => resolve(c ?? 1));
      });
    expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
    expect(votes).toBe('v'.repeat(50));
    const store = await openStore({ dataDir: dir });
    expect((await store.stats(new Date(0))).asked).toBe(100);
    expect((await store.stats(new Date(0))).votesDown).toBe(50);
    await store.close();
  });
});
