import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, SQLITE_FILE } from '../../src/store/open.js';
import { tempDir } from '../helpers/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const indexDir = tempDir('teach-index-');
const cli = (script: string, args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, INDEX_DIR: indexDir, DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    timeout: 120_000,
  });
const file = (text: string) => {
  const path = join(tempDir('teach-file-'), 'taught.jsonl');
  writeFileSync(path, text);
  return path;
};
const lines = (...objects: unknown[]) => objects.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';
const ADVICE = { q: 'what did trump tell zelensky', quote: 'offered advice to Zelensky' };
const REWORDING = 'what was trumps advice to zelensky';
const MEAL = { q: 'what did putin eat at the summit', refuse: true };

describe('npm run teach and taught answers on the command line', () => {
  beforeAll(() => {
    const built = cli('build-index', [], tempDir('teach-data-'));
    expect(built.status, built.stderr).toBe(0);
  });

  it('imports taught answers, lists them, answers a rewording with one (JSON "taught"), ignores them with --untaught, and forgets one', () => {
    const dataDir = tempDir('teach-data-');
    const imported = cli('teach', ['--file', file(lines(ADVICE, MEAL))], dataDir);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('Taught 2 answers.\n');
    const listed = JSON.parse(cli('teach', ['--list', '--json'], dataDir).stdout);
    expect(listed.taught).toHaveLength(2);
    const taughtAdvice = listed.taught.find((t: any) => t.question === ADVICE.q);
    expect(taughtAdvice).toMatchObject({ how: 'import', scope: null, refuse: false });
    expect(taughtAdvice.citations[0].quote).toContain(ADVICE.quote);
    const asked = cli('ask', ['--json', REWORDING], dataDir);
    expect(asked.status, asked.stderr).toBe(0);
    expect(asked.stderr).toBe('');
    const answer = JSON.parse(asked.stdout);
    expect(answer).toMatchObject({ answered: true, band: 'answer', confidence: 1, taught: { question: ADVICE.q, how: 'import' } });
    expect(answer.citations[0].quote).toContain(ADVICE.quote);
    const refusal = JSON.parse(cli('ask', ['--json', MEAL.q], dataDir).stdout);
    expect(refusal).toMatchObject({ answered: false, band: 'refused', answer: "The article doesn't say.", taught: { how: 'import' } });
    const untaught = JSON.parse(cli('ask', ['--json', '--untaught', REWORDING], dataDir).stdout);
    expect(untaught.taught).toBeUndefined();
    // Teaching the same question again replaces it.
    const again = cli('teach', ['--file', file(lines({ q: 'What did Trump tell Zelensky?', refuse: true }))], dataDir);
    expect(again.stdout).toBe('Taught 1 answer (1 replaced an earlier one).\n');
    expect(JSON.parse(cli('teach', ['--list', '--json'], dataDir).stdout).taught).toHaveLength(2);
    const forgot = cli('teach', ['--forget', taughtAdvice.id], dataDir);
    expect(forgot.stdout).toBe(`Forgot taught answer ${taughtAdvice.id}.\n`);
    const none = cli('teach', ['--forget', taughtAdvice.id], dataDir);
    expect(none.status).toBe(66);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli('teach', ['--list'], dataDir).stdout).not.toContain(ADVICE.q);
  });

  it('imports all or nothing: a bad line stops the import with 65 and one line naming it', () => {
    const dataDir = tempDir('teach-data-');
    const bad = [
      [lines(ADVICE, 'not json'), /^Line 2 of .* is not JSON/],
      [lines(ADVICE, { q: '', refuse: true }), /^Line 2 of .* has an empty question/],
      [lines(ADVICE, { q: 'who won', quote: 'words the article never wrote' }), /^Line 2 of .*: the article does not hold that quote exactly/],
      [lines(ADVICE, { q: 'who won' }), /^Line 2 of .* needs exactly one of "quote"/],
      [lines(['q']), /^Line 1 of .* is not an object with a "q" string/],
    ] as const;
    for (const [text, message] of bad) {
      const r = cli('teach', ['--file', file(text)], dataDir);
      expect(r.status, r.stderr).toBe(65);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    // Nothing was imported: the store was never even created.
    expect(existsSync(join(dataDir, SQLITE_FILE))).toBe(false);
    const usage = cli('teach', [], dataDir);
    expect(usage.status).toBe(64);
    const missing = cli('teach', ['--file', join(dataDir, 'nope.jsonl')], dataDir);
    expect(missing.status).toBe(66);
    expect(missing.stderr).toMatch(/nope\.jsonl can't be read/);
  });

  it('marks a gap of npm run gaps as taught since, once one of its wordings is taught', async () => {
    const dataDir = tempDir('teach-data-');
    const store = await openStore({ dataDir });
    for (const [i, q] of ['what did putin eat at the summit', 'What did Putin eat at the summit?'].entries()) {
      await store.recordQuestion({ id: `m${i}`, question: q, answered: false, confidence: 0.1, paragraphs: [4], at: new Date() });
    }
    await store.close();
    const before = JSON.parse(cli('gaps', ['--json'], dataDir).stdout);
    expect(before.gaps[0].taught).toBeUndefined();
    expect(cli('teach', ['--file', file(lines(MEAL))], dataDir).status).toBe(0);
    const after = JSON.parse(cli('gaps', ['--json'], dataDir).stdout);
    expect(after.gaps[0]).toMatchObject({ count: 2, taught: { how: 'import' } });
    expect(cli('gaps', [], dataDir).stdout).toMatch(/taught since \(an import, \d{4}-\d\d-\d\d\)/);
  });

  it('answers as usual, silently, with a missing or empty store', () => {
    const dataDir = tempDir('teach-data-');
    const r = cli('ask', ['--json', REWORDING], dataDir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).taught).toBeUndefined();
    expect(existsSync(join(dataDir, SQLITE_FILE))).toBe(false);
  });
});
