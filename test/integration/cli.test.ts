import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { realArticle, tempDir } from '../helpers/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const indexDir = tempDir('cli-index-');
const cli = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, EMBEDDING_MODEL: 'use-lite', INDEX_DIR: indexDir },
    timeout: 120_000,
  });

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

  it('explains a bad option in one line', () => {
    const r = cli('summary', ['--length', 'huge']);
    expect(r.status).toBe(64);
    expect(r.stderr.trim()).toBe('--length must be short, medium or long.');
  });
});
