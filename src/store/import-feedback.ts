/**
 * The feedback files of earlier versions (`feedback*.jsonl` in DATA_DIR, one vote a line) go into the
 * store once, at start-up; each file is then renamed to `<name>.imported` and left in place. A damaged
 * line is reported (file and line) and skipped, never fatal.
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from './store.js';

const FEEDBACK_FILE = /^feedback(?:-shard-[\d-]+)?(?:\.1)?\.jsonl$/;

export interface ImportReport {
  files: string[];
  votes: number;
  /** Votes already in the store (one per user per answer). */
  duplicates: number;
  damaged: { file: string; line: number }[];
}

interface OldVote {
  answerId?: unknown;
  userId?: unknown;
  vote?: unknown;
  question?: unknown;
  citations?: unknown;
  at?: unknown;
}

export async function importFeedbackFiles(store: Store, dataDir: string): Promise<ImportReport> {
  const report: ImportReport = { files: [], votes: 0, duplicates: 0, damaged: [] };
  const names = (await readdir(dataDir).catch(() => [] as string[])).filter((f) => FEEDBACK_FILE.test(f)).sort();
  for (const name of names) {
    const path = join(dataDir, name);
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      let v: OldVote;
      try {
        v = JSON.parse(line) as OldVote;
      } catch {
        report.damaged.push({ file: name, line: i + 1 });
        continue;
      }
      const at = new Date(typeof v?.at === 'string' ? v.at : NaN);
      const ok =
        typeof v?.answerId === 'string' &&
        typeof v.userId === 'string' &&
        (v.vote === 'up' || v.vote === 'down') &&
        typeof v.question === 'string' &&
        Array.isArray(v.citations) &&
        v.citations.every((c) => Number.isInteger(c)) &&
        !Number.isNaN(at.getTime());
      if (!ok) {
        report.damaged.push({ file: name, line: i + 1 });
        continue;
      }
      const recorded = await store.recordVote({ answerId: v.answerId as string, userId: v.userId as string, vote: v.vote as 'up' | 'down', question: v.question as string, paragraphs: v.citations as number[], at });
      if (recorded) report.votes++;
      else report.duplicates++;
    }
    await rename(path, `${path}.imported`);
    report.files.push(name);
  }
  return report;
}
