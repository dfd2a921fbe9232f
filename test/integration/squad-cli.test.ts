import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSquad } from '../../src/quality/benchmark.js';
import { tempDir } from '../helpers/fixtures.js';
import { HAND_MADE } from '../helpers/squad-sample.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env }, timeout: 60_000 });

describe('SQuAD data on the command line', () => {
  it('converts the official JSON into a folder the benchmark reads', async () => {
    const dir = tempDir();
    const file = join(dir, 'dev-v2.0.json');
    writeFileSync(file, JSON.stringify(HAND_MADE));
    const out = join(dir, 'squad');
    const r = cli('squad-convert', [file, out, '--articles', 'Steam_engine']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('steam-engine: 2 paragraphs, 3 questions (1 unanswerable)');
    expect(readFileSync(join(out, 'steam-engine.txt'), 'utf8').split('\n')[1]).toBe('James Watt improved it in 1776.');
    const [d] = await loadSquad(out, 'test');
    expect(d!.name).toBe('steam-engine');
    expect(d!.items).toHaveLength(3);
  });

  it('says in one line that a file is not SQuAD JSON (65)', () => {
    const file = join(tempDir(), 'x.json');
    writeFileSync(file, '{"rows": []}');
    const r = cli('squad-convert', [file, tempDir()]);
    expect(r.status).toBe(65);
    expect(r.stderr.trim().split('\n')).toEqual([`${file} is not SQuAD 2.0 JSON: it has no "data" list: is it the official SQuAD 2.0 JSON?`]);
  });

  it.each([
    ['benchmark', 'npm run benchmark -- DIR'],
    ['train', 'npm run train -- DIR'],
  ])('%s names a missing SQuAD folder and the option in one line (66)', (script, how) => {
    const missing = join(tempDir(), 'no-such-squad');
    const r = cli(script, [missing]);
    expect(r.status, r.stderr).toBe(66);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`The SQuAD folder ${missing} is missing`);
    expect(lines[0]).toContain(how);
  });
});
