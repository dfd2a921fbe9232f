/**
 * Fitting the answer model's two linear parts. Small, deterministic, dependency-free:
 * full-batch gradient descent (Adam) with L2 regularisation on standardised features.
 *
 * - `fitRanker`: a softmax over each question's candidates (conditional logit), maximising the
 *   probability of the candidates that hold the answer.
 * - `fitLogistic`: plain logistic regression.
 */
import type { Linear, Mlp } from '../decision/answer-model.js';

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
function adam(width: number, grad: (w: Float64Array, g: Float64Array) => void, opts: FitOptions, init?: Float64Array): Float64Array {
  const { l2 = 1e-3, iterations = 150, rate = 0.05 } = opts;
  const w = init ? Float64Array.from(init) : new Float64Array(width + 1);
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
  // One flat matrix of standardised rows, with each group's first row and size: no allocation per step.
  const rows = usable.reduce((n, g) => n + g.features.length, 0);
  const x = new Float64Array(rows * width);
  const positive = new Uint8Array(rows);
  const starts = new Int32Array(usable.length + 1);
  const weights = new Float64Array(usable.length);
  let r = 0;
  usable.forEach((g, k) => {
    starts[k] = r;
    weights[k] = g.weight ?? 1;
    g.features.forEach((row, i) => {
      for (let j = 0; j < width; j++) x[r * width + j] = (row[j]! - mean[j]!) / scale[j]!;
      positive[r] = g.labels[i] ? 1 : 0;
      r++;
    });
  });
  starts[usable.length] = r;
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const logits = new Float64Array(Math.max(1, ...usable.map((g) => g.features.length)));
  const w = adam(
    width,
    (w, g) => {
      for (let k = 0; k < usable.length; k++) {
        const from = starts[k]!;
        const n = starts[k + 1]! - from;
        let max = -Infinity;
        for (let i = 0; i < n; i++) {
          let l = 0;
          const base = (from + i) * width;
          for (let j = 0; j < width; j++) l += w[j]! * x[base + j]!;
          logits[i] = l;
          if (l > max) max = l;
        }
        let z = 0;
        let zPos = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.exp(logits[i]! - max);
          logits[i] = e;
          z += e;
          if (positive[from + i]) zPos += e;
        }
        // −log Σ_pos p: gradient Σ_i (p_i − q_i) x_i, q = p renormalised over the positives.
        const scaleK = weights[k]! / totalWeight;
        for (let i = 0; i < n; i++) {
          const e = logits[i]!;
          const coef = (e / z - (positive[from + i] ? e / zPos : 0)) * scaleK;
          if (coef === 0) continue;
          const base = (from + i) * width;
          for (let j = 0; j < width; j++) g[j]! += coef * x[base + j]!;
        }
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

/** Fits an `Mlp` by logistic loss with Adam (full batch); tried against `fitLogistic` (scripts/try-nonlinear.ts). */
export function fitMlp(rows: readonly number[][], labels: readonly boolean[], width: number, opts: FitOptions & { weights?: readonly number[]; hidden?: number } = {}): Mlp {
  const hidden = opts.hidden ?? 16;
  const { mean, scale } = standardiser(rows, width);
  const x = standardise(rows, mean, scale);
  const weights = opts.weights ?? rows.map(() => 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const n = hidden * width + hidden + hidden + 1;
  // Deterministic small initial weights (Adam starts from the given point through `init`).
  let seed = 12345;
  const init = Float64Array.from({ length: n }, (_, i) => (i < hidden * width || (i >= hidden * width + hidden && i < n - 1) ? (((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5) * 0.2 : 0));
  const h = new Float64Array(hidden);
  const w = adam(
    n - 1,
    (p, g) => {
      x.forEach((row, i) => {
        for (let k = 0; k < hidden; k++) {
          let s = p[hidden * width + k]!;
          for (let j = 0; j < width; j++) s += p[k * width + j]! * row[j]!;
          h[k] = Math.tanh(s);
        }
        let z = p[n - 1]!;
        for (let k = 0; k < hidden; k++) z += p[hidden * width + hidden + k]! * h[k]!;
        const coef = (weights[i]! * (1 / (1 + Math.exp(-z)) - (labels[i] ? 1 : 0))) / totalWeight;
        g[n - 1]! += coef;
        for (let k = 0; k < hidden; k++) {
          const v = p[hidden * width + hidden + k]!;
          g[hidden * width + hidden + k]! += coef * h[k]!;
          const back = coef * v * (1 - h[k]! * h[k]!);
          g[hidden * width + k]! += back;
          for (let j = 0; j < width; j++) g[k * width + j]! += back * row[j]!;
        }
      });
    },
    { iterations: 300, rate: 0.02, ...opts },
    init,
  );
  return { mean, scale, hidden, params: Array.from(w) };
}
