/**
 * Fitting the answer model's two linear parts. Small, deterministic, dependency-free:
 * full-batch gradient descent (Adam) with L2 regularisation on standardised features.
 *
 * - `fitRanker`: a softmax over each question's candidates (conditional logit), maximising the
 *   probability of the candidates that hold the answer.
 * - `fitLogistic`: plain logistic regression.
 */
import type { Linear } from './answer-model.js';

export interface RankGroup {
  features: number[][];
  /** Which candidates hold the answer; groups without one are skipped. */
  labels: boolean[];
  /** How much the group counts (default 1). */
  weight?: number;
}

export interface FitOptions {
  l2?: number;
  iterations?: number;
  rate?: number;
}

/** Mean and spread of each column (spread 1 for a constant column). */
export function standardiser(rows: readonly number[][], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const sq = new Array<number>(width).fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j]! += r[j]!;
  for (let j = 0; j < width; j++) mean[j] = rows.length ? mean[j]! / rows.length : 0;
  for (const r of rows) for (let j = 0; j < width; j++) sq[j]! += (r[j]! - mean[j]!) ** 2;
  const scale = sq.map((s) => {
    const sd = Math.sqrt(rows.length ? s / rows.length : 0);
    return sd > 1e-9 ? sd : 1;
  });
  return { mean, scale };
}

function standardise(rows: readonly number[][], mean: number[], scale: number[]): Float64Array[] {
  return rows.map((r) => Float64Array.from(r, (x, j) => (x - mean[j]!) / scale[j]!));
}

/** Minimises loss(w) + l2/2·|w|² (bias unregularised) with Adam. `grad` fills g (length width + 1, bias last). */
function adam(width: number, grad: (w: Float64Array, g: Float64Array) => void, opts: FitOptions): Float64Array {
  const { l2 = 1e-3, iterations = 150, rate = 0.05 } = opts;
  const w = new Float64Array(width + 1);
  const m = new Float64Array(width + 1);
  const v = new Float64Array(width + 1);
  const g = new Float64Array(width + 1);
  for (let t = 1; t <= iterations; t++) {
    g.fill(0);
    grad(w, g);
    for (let j = 0; j < width; j++) g[j]! += l2 * w[j]!;
    for (let j = 0; j <= width; j++) {
      m[j] = 0.9 * m[j]! + 0.1 * g[j]!;
      v[j] = 0.999 * v[j]! + 0.001 * g[j]! ** 2;
      const mh = m[j]! / (1 - 0.9 ** t);
      const vh = v[j]! / (1 - 0.999 ** t);
      w[j]! -= (rate * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return w;
}

export function fitRanker(groups: readonly RankGroup[], width: number, opts: FitOptions = {}): Linear {
  const usable = groups.filter((g) => g.labels.some(Boolean) && g.features.length > 0);
  const { mean, scale } = standardiser(usable.flatMap((g) => g.features), width);
  const data = usable.map((g) => ({ x: standardise(g.features, mean, scale), y: g.labels, weight: g.weight ?? 1 }));
  const totalWeight = data.reduce((a, d) => a + d.weight, 0);
  const w = adam(
    width,
    (w, g) => {
      for (const { x, y, weight } of data) {
        const logits = x.map((row) => dotw(w, row));
        const max = Math.max(...logits);
        const exps = logits.map((l) => Math.exp(l - max));
        const z = exps.reduce((a, b) => a + b, 0);
        const zPos = exps.reduce((a, e, i) => a + (y[i] ? e : 0), 0);
        // −log Σ_pos p: gradient Σ_i (p_i − q_i) x_i, q = p renormalised over the positives.
        x.forEach((row, i) => {
          const coef = exps[i]! / z - (y[i] ? exps[i]! / zPos : 0);
          if (coef !== 0) for (let j = 0; j < width; j++) g[j]! += (weight * coef * row[j]!) / totalWeight;
        });
      }
    },
    opts,
  );
  return { mean, scale, weights: Array.from(w.subarray(0, width)), bias: 0 };
}

export function fitLogistic(rows: readonly number[][], labels: readonly boolean[], width: number, opts: FitOptions & { weights?: readonly number[] } = {}): Linear {
  const { mean, scale } = standardiser(rows, width);
  const x = standardise(rows, mean, scale);
  const weights = opts.weights ?? rows.map(() => 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const w = adam(
    width,
    (w, g) => {
      x.forEach((row, i) => {
        const p = 1 / (1 + Math.exp(-(dotw(w, row) + w[width]!)));
        const coef = (weights[i]! * (p - (labels[i] ? 1 : 0))) / totalWeight;
        for (let j = 0; j < width; j++) g[j]! += coef * row[j]!;
        g[width]! += coef;
      });
    },
    opts,
  );
  return { mean, scale, weights: Array.from(w.subarray(0, width)), bias: w[width]! };
}

function dotw(w: Float64Array, row: Float64Array): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += w[j]! * row[j]!;
  return s;
}
