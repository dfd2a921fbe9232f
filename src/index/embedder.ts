import { ConfigurationError } from '../errors.js';

/**
 * The one interface the pipeline needs from an embedding model. Implementations live in
 * `src/index/embedders/`; tests inject fakes.
 */
export type EmbedKind = 'query' | 'passage';

export interface Embedder {
  /** Identifies the model; recorded in every index manifest (an index built by another model is rebuilt). */
  readonly id: string;
  readonly dimensions: number;
  /** Unit-length vectors, one per text, in order. */
  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]>;
}

/** A model could not be loaded. The message names the fixes; it is safe to show to an operator. */
export class EmbedderLoadError extends ConfigurationError {
  override readonly name = 'EmbedderLoadError';
}

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
