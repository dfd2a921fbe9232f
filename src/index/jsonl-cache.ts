/**
 * A cache of values by key in one JSON Lines file (`{"k": key, <field>: value}` a line), for training
 * and the benchmark: read once, appended to. A torn last line is skipped (that entry is computed again).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JsonlCache<V> {
  readonly known: Map<string, V>;
  /** Appends entries to the file (and to `known`). */
  add(entries: readonly [string, V][]): void;
}

export function jsonlCache<V>(dir: string, name: string, field: string, accept: (value: unknown) => V | undefined, encode: (v: V) => unknown = (v) => v): JsonlCache<V> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.jsonl`);
  const known = new Map<string, V>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No cache yet.
  }
  for (const line of text.split('\n')) {
    try {
      const row = JSON.parse(line) as Record<string, unknown>;
      const value = accept(row[field]);
      if (typeof row.k === 'string' && value !== undefined) known.set(row.k, value);
    } catch {
      // A torn last line.
    }
  }
  return {
    known,
    add(entries) {
      if (entries.length === 0) return;
      for (const [k, v] of entries) known.set(k, v);
      appendFileSync(file, entries.map(([k, v]) => JSON.stringify({ k, [field]: encode(v) })).join('\n') + '\n');
    },
  };
}
