import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { realArticle, tempDir } from '../helpers/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const indexDir = tempDir('cli-index-');
/** An empty store: the answers are the model's (a taught answer in the machine's own store must not change them). */
const dataDir = tempDir('cli-data-');
const cli = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, INDEX_DIR: indexDir, DATA_DIR: dataDir, ...env },
    timeout: 120_000,
  });

/** One line on stderr, no stack trace, the given status. */
function expectOneLine(r: ReturnType<typeof cli>, status: number, mentions: string | RegExp): void {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(mentions);
}

describe('command line', () => {
  const article = realArticle();
  beforeAll(() => {
    const built = cli('build-index', []);
    expect(built.status, built.stderr).toBe(0);
  });

  it('answers one question as one JSON object on stdout', () => {
    const r = cli('ask', ['--json', 'Who is Steve Witkoff?']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]!);
    expect(o).toMatchObject({ question: 'Who is Steve Witkoff?', answered: true });
    expect(o.citations[0].paragraph).toBe(13);
    for (const c of o.citations) expect(article.text.includes(c.quote)).toBe(true);
  });

  it('reads one question per non-empty line and prints JSON Lines in the same order', () => {
    const file = join(tempDir(), 'q.txt');
    writeFileSync(file, 'Who is Maria Zakharova?\n\n   \nHow do I bake sourdough bread?\nWho is Steve Witkoff?\n');
    const r = cli('ask', ['--json', '--file', file]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.question)).toEqual(['Who is Maria Zakharova?', 'How do I bake sourdough bread?', 'Who is Steve Witkoff?']);
    expect(out.map((o) => o.answered)).toEqual([true, false, true]);
  });

  it('gives every answer its band in JSON: a likely one with alternatives that are exact slices, a sure one and a refusal without', () => {
    const file = join(tempDir(), 'bands.txt');
    writeFileSync(file, 'What did Zakharova write on Telegram?\nWill Trump impose new sanctions on Russia?\nWhat is the capital of France?\n');
    const r = cli('ask', ['--json', '--file', file]);
    expect(r.status, r.stderr).toBe(0);
    const [likely, sure, refused] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(likely).toMatchObject({ answered: true, band: 'likely' });
    expect(likely.alternatives.length).toBeGreaterThanOrEqual(1);
    expect(likely.alternatives.length).toBeLessThanOrEqual(2);
    for (const c of [...likely.citations, ...likely.alternatives]) expect(article.text.slice(c.start, c.end)).toBe(c.quote);
    expect(likely.alternatives.map((c: { start: number }) => c.start)).not.toContain(likely.citations[0].start);
    expect(sure).toMatchObject({ answered: true, band: 'answer' });
    expect(sure.alternatives).toBeUndefined();
    expect(refused).toMatchObject({ answered: false, band: 'refused', answer: "The article doesn't say." });
    for (const o of [likely, sure, refused]) expect(o.confidence).toBeGreaterThanOrEqual(0);
    expect(sure.confidence).toBeGreaterThan(likely.confidence);
    expect(likely.confidence).toBeGreaterThan(refused.confidence);
  });

  it('prints the band and the confidence first on a terminal, and a likely answer’s alternatives', () => {
    const r = cli('ask', ['What did Zakharova write on Telegram?']);
    expect(r.stdout).toMatch(/^Probably this, or one of these \(confidence 0\.\d\d\)\n/);
    expect(r.stdout).toMatch(/\n\nOr one of these:\n {2}\[¶\d+\]/);
  });

  it('prints a readable answer with sources on a terminal', () => {
    const r = cli('ask', ['Who is Maria Zakharova?']);
    expect(r.stdout).toMatch(/Russian Foreign Ministry’s spokeswoman/);
    expect(r.stdout).toMatch(/Sources:\n {2}\[¶27\]/);
  });

  it('prints a JSON summary', () => {
    const r = cli('summary', ['--length', 'short', '--json']);
    const o = JSON.parse(r.stdout);
    expect(o.citations).toHaveLength(3);
  });

  it('stops with one line naming a missing article, a directory, an empty or a UTF-16 article', () => {
    const dir = tempDir('cli-article-');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    const utf16 = join(dir, 'utf16.txt');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello world.\n', 'utf16le')]));
    const idx = { INDEX_DIR: join(dir, 'index') };
    expectOneLine(cli('ask', ['x'], { ARTICLE_PATH: join(dir, 'nope.txt'), ...idx }), 66, /nope\.txt does not exist.*ARTICLE_PATH/);
    expectOneLine(cli('ask', ['x'], { ARTICLE_PATH: dir, ...idx }), 66, /is a directory/);
    expectOneLine(cli('ask', ['x'], { ARTICLE_PATH: empty, ...idx }), 65, /has no paragraphs/);
    expectOneLine(cli('ask', ['x'], { ARTICLE_PATH: utf16, ...idx }), 65, /not UTF-8 text/);
  });

  it('exits 65 for a question that cannot be asked, 0 for a refusal, with a JSON error object in --json mode', () => {
    expectOneLine(cli('ask', ['   ']), 65, /question/i);
    expectOneLine(cli('ask', ['😀😀😀']), 65, /question/i);
    expectOneLine(cli('ask', ['x'.repeat(10_000)]), 65, /too long|characters/i);
    const json = cli('ask', ['--json', '']);
    expect(json.status).toBe(65);
    expect(JSON.parse(json.stdout)).toMatchObject({ answered: false, error: 'empty' });
    const refusal = cli('ask', ['--json', 'How do I bake sourdough bread?']);
    expect(refusal.status).toBe(0);
    expect(JSON.parse(refusal.stdout).answered).toBe(false);
    expect(cli('summary', ['--focus', '']).status).toBe(65);
    const summary = cli('summary', ['--json', '--focus', '   ']);
    expect(summary.status).toBe(65);
    expect(JSON.parse(summary.stdout)).toMatchObject({ answered: false, error: 'empty' });
  });

  it('rebuilds over a manifest that is not an object, and names an INDEX_DIR it cannot write', () => {
    const dir = tempDir('cli-index-');
    const built = cli('build-index', [], { INDEX_DIR: dir });
    expect(built.status, built.stderr + built.stdout).toBe(0);
    writeFileSync(join(dir, 'manifest.json'), 'null');
    const r = cli('ask', ['--json', 'Who is Steve Witkoff?'], { INDEX_DIR: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Index rebuilt: the manifest is not a manifest/);
    expectOneLine(cli('ask', ['x'], { INDEX_DIR: '/dev/null/index' }), 73, /\/dev\/null\/index can't be written .*INDEX_DIR/);
  });

  it('names an unreadable or malformed question file for eval', () => {
    expectOneLine(cli('eval', ['--file', '/nope.jsonl']), 66, /--file \/nope\.jsonl can't be read/);
    expectOneLine(cli('eval', ['--file', 'README.md']), 65, /README\.md is not a question set: Line 1 is not JSON/);
  });

  it('says what is wrong with an ask --file: missing or a directory 66, empty 65, as the README says', () => {
    const dir = tempDir('cli-file-');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    expectOneLine(cli('ask', ['--file', join(dir, 'nope.txt')]), 66, /question file .*nope\.txt does not exist/);
    expectOneLine(cli('ask', ['--file', dir]), 66, /question file .* is a directory/);
    expectOneLine(cli('ask', ['--file', empty]), 65, /empty\.txt holds no questions/);
  });

  it('prints the usage and every option for --help, and refuses an unknown short flag like a long one', () => {
    const scripts: [string, string[]][] = [
      ['ask', ['--file', '--json', '--untaught', '--after']],
      ['summary', ['--length', '--focus', '--json']],
      ['teach', ['--file', '--forget', '--list', '--json']],
      ['gaps', ['--days', '--json']],
      ['eval', ['--file', '--json']],
      ['benchmark', ['--weights', '--limit', '--json']],
      ['train', ['--out', '--without', '--confidence', '--json', '--quick', '--follow-ups', '--taught']],
      ['build-index', []],
    ];
    for (const [script, options] of scripts) {
      const r = cli(script, ['--help']);
      expect(r.status, `${script} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^Usage: npm run /);
      for (const o of [...options, '--help']) expect(r.stdout, `${script} --help lists ${o}`).toContain(o);
    }
    expectOneLine(cli('ask', ['-x', 'who met']), 64, /Unknown option -x/);
    expectOneLine(cli('ask', ['--bogus', 'who met']), 64, /Unknown option --bogus/);
  });

  it('ends quietly when the reader closes the pipe early', async () => {
    const file = join(tempDir('cli-pipe-'), 'q.txt');
    writeFileSync(file, 'Who is Steve Witkoff?\n'.repeat(60));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--json', '--file', file], {
      cwd: root,
      env: { ...process.env, INDEX_DIR: indexDir },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(status).toBe(0);
  });

  it('explains a bad option in one line', () => {
    const r = cli('summary', ['--length', 'huge']);
    expect(r.status).toBe(64);
    expect(r.stderr.trim()).toBe('--length must be short, medium or long.');
  });
});
