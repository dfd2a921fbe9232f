import { describe, expect, it } from 'vitest';
import { calibrated } from '../../src/decision/answer-model.js';
import { bestThreshold, fitCalibration, type ScoredQuestion } from '../../src/quality/benchmark.js';
import { reliabilitySvg, riskCoverageSvg } from '../../src/cli/risk-plot.js';
import { precisionAtCoverage, reliability, type Outcome } from '../../src/quality/evaluate.js';

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

describe('reliability and precision by coverage', () => {
  const outcome = (confidence: number, right: boolean, answerable = true): Outcome => ({ item: { q: 'q', answerable, evidence: [] }, answered: true, citationsRight: [right], confidence, topRight: right, ms: 0 });

  it('bins questions by confidence and measures the gap to the share right (expected calibration error)', () => {
    // 10 questions at 0.9, 9 right; 10 at 0.25, 5 right: the first bin is calibrated, the second off by 0.25.
    const outcomes = [...Array.from({ length: 10 }, (_, i) => outcome(0.9, i < 9)), ...Array.from({ length: 10 }, (_, i) => outcome(0.25, i < 5))];
    const r = reliability(outcomes);
    expect(r.bins).toHaveLength(10);
    expect(r.bins[9]).toMatchObject({ count: 10, observed: 0.9 });
    expect(r.bins[9]!.confidence).toBeCloseTo(0.9);
    expect(r.bins[2]).toMatchObject({ count: 10, observed: 0.5 });
    expect(r.ece).toBeCloseTo(0.5 * 0 + 0.5 * 0.25);
    const svg = reliabilitySvg(r.bins, r.ece, 'Reliability');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/expected calibration error 12\.5 points/);
    // One point per bin that holds questions.
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it('counts an unanswerable question among the most confident as wrong', () => {
    const outcomes = [outcome(0.99, false, false), outcome(0.9, true), outcome(0.8, true), outcome(0.1, false), outcome(0.05, false)];
    expect(precisionAtCoverage(outcomes, 0.4)).toBe(0.5);
    expect(precisionAtCoverage(outcomes, 0.6)).toBeCloseTo(2 / 3);
  });
});
