import { describe, expect, it } from 'vitest';
import { calibrated } from '../../src/answering/answer-model.js';
import { bestThreshold, fitCalibration, type ScoredQuestion } from '../../src/quality/benchmark.js';
import { riskCoverageSvg } from '../../src/cli/risk-plot.js';

const q = (z: number, answerable: boolean, right = answerable): ScoredQuestion => ({ z, answerable, right, weight: 1 });

describe('threshold and calibration', () => {
  it('puts the threshold where the accuracy is best: right answers plus refused unanswerable questions', () => {
    const scores = [q(3, true), q(2, true), q(1, true), q(0, false), q(-1, false), q(-2, true), q(-3, false)];
    const t = bestThreshold(scores, { a: 1, b: 0 });
    // Answering z ≥ 1 gives 3 right + 3 refused unanswerable = 6 of 7; any other cut is worse.
    expect(t).toBeGreaterThan(calibrated({ a: 1, b: 0 }, 0));
    expect(t).toBeLessThan(calibrated({ a: 1, b: 0 }, 1));
  });

  it('gains nothing by answering an answerable question with a wrong sentence, so an unanswerable one below it is refused', () => {
    const scores = [q(2, true), q(1, true, false), q(1, true, false), q(0, false)];
    const t = bestThreshold(scores, { a: 1, b: 0 });
    expect(t).toBeGreaterThan(calibrated({ a: 1, b: 0 }, 0));
    // Only a tie between answering and refusing the wrong ones: the lower threshold, answering them.
    expect(t).toBeLessThan(calibrated({ a: 1, b: 0 }, 1));
  });

  it('calibrates so that confidence matches the share of right answers', () => {
    // 80% right at z = 2, 20% right at z = -2.
    const scores = [...Array.from({ length: 10 }, (_, i) => q(2, true, i < 8)), ...Array.from({ length: 10 }, (_, i) => q(-2, true, i < 2))];
    const c = fitCalibration(scores);
    expect(calibrated(c, 2)).toBeCloseTo(0.8, 1);
    expect(calibrated(c, -2)).toBeCloseTo(0.2, 1);
  });
});

describe('risk–coverage picture', () => {
  const curve = [{ coverage: 0.1, accuracy: 0.9 }, { coverage: 1, accuracy: 0.5 }];
  const label = (svg: string) => /<text x="([\d.]+)" y="[\d.]+" text-anchor="(start|end)" fill="#d1242f">operating point/.exec(svg);

  it('keeps the operating point’s label inside the picture wherever the point is', () => {
    const right = label(riskCoverageSvg(curve, { coverage: 0.95, accuracy: 0.6 }, 't'))!;
    expect(right[2]).toBe('end');
    expect(Number(right[1])).toBeLessThanOrEqual(640);
    const left = label(riskCoverageSvg(curve, { coverage: 0.2, accuracy: 0.8 }, 't'))!;
    expect(left[2]).toBe('start');
    expect(Number(left[1])).toBeGreaterThan(60);
  });
});
