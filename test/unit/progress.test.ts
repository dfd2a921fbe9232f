import { describe, expect, it } from 'vitest';
import { progressLines } from '../../src/progress.js';

describe('progress lines', () => {
  it('writes one plain line per tenth, from 0% to 100%', () => {
    const lines: string[] = [];
    const report = progressLines((l) => lines.push(l), 'Building index');
    for (let done = 0; done <= 2500; done += 8) report(done, 2500);
    report(2500, 2500);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('Building index: 0% (0/2500 sentences)');
    expect(lines.at(-1)).toBe('Building index: 100% (2500/2500 sentences)');
  });
});
