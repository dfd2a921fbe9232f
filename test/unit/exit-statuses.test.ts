import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';

describe('the README\'s exit statuses', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Exit statuses'), readme.indexOf('\n## ', readme.indexOf('### Exit statuses')));
  const rows = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));

  it('lists every status the code uses, each once, and no other', () => {
    expect(rows.length).toBe(new Set(rows).size);
    expect([...rows].sort((a, b) => a - b)).toEqual([0, ...Object.values(EXIT)].sort((a, b) => a - b));
  });

  it('is the one table of them: the other docs point to it', () => {
    const cliDoc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(cliDoc).not.toMatch(/^\| \d+ \| (usage|bad input)/m);
  });
});
