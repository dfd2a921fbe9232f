/**
 * Chooses the taught-answer matching's thresholds (`TAUGHT_MATCH` in src/taught/taught.ts) on the
 * fitted taught sets only (`taught-fit.jsonl` and the spent first held-out half `taught-held.jsonl`):
 * `npx tsx scripts/try-taught.ts [--set=A,B] [--verbose]`.
 * The rule, fixed before looking: no swap captured and every unrelated question unchanged, then the most
 * rewordings answered with their taught answer; ties go to the stricter choice (the antonym and name
 * checks on, higher thresholds, fewer ranks). Never run it on a held-out set.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { openFromConfig } from '../src/cli/common.js';
import type { MatchOptions } from '../src/taught/taught.js';
import { parseTaughtSet, scoreTaught, TAUGHT_FIT_SET, TAUGHT_HELD_SET, TAUGHT_SPENT_SET, type TaughtReport } from '../src/quality/taught-eval.js';

// The first held-out half was read once (its figures are in the README) and is fitted on since; taught-new.jsonl is held out.
const sets = (process.argv.find((a) => a.startsWith('--set='))?.slice(6) ?? `${TAUGHT_FIT_SET},${TAUGHT_SPENT_SET}`).split(',');
if (sets.includes(TAUGHT_HELD_SET)) throw new Error('the held-out set is not for tuning');
const items = sets.map((set) => parseTaughtSet(readFileSync(set, 'utf8')));
/** Each set taught and scored on its own (as npm run eval does), the counts added. */
async function score(opts: MatchOptions): Promise<TaughtReport> {
  const reports: TaughtReport[] = [];
  for (const set of items) reports.push(await scoreTaught(set, footnote, opts));
  const sum = (k: 'taught' | 'rewordings' | 'rewordingsRight' | 'swaps' | 'swapsCaptured' | 'unrelated' | 'unrelatedSame') => reports.reduce((n, r) => n + r[k], 0);
  return { taught: sum('taught'), rewordings: sum('rewordings'), rewordingsRight: sum('rewordingsRight'), swaps: sum('swaps'), swapsCaptured: sum('swapsCaptured'), unrelated: sum('unrelated'), unrelatedSame: sum('unrelatedSame'), misses: reports.flatMap((r) => r.misses) };
}
const footnote = await openFromConfig(loadConfig());
const tried: { opts: MatchOptions; r: TaughtReport }[] = [];
for (const [antonyms, namesKept] of [[false, false], [true, false], [false, true], [true, true]] as const)
  for (const similarity of [0.45, 0.5, 0.55, 0.6, 0.65, 0.7])
    for (const rank of [1, 2])
      for (const close of [0.85, 1.01])
        for (const refuseSimilarity of [0.9, 0.95])
          for (const wordSimilarity of [-1, 0.4, 0.5, 0.6]) {
            const opts = { similarity, rank, close, refuseSimilarity, wordSimilarity, passageWords: false, antonyms, namesKept };
            tried.push({ opts, r: await score(opts) });
          }
const strictness = (o: MatchOptions) => [o.antonyms ? 1 : 0, o.namesKept ? 1 : 0, o.similarity, -o.rank, o.close, o.refuseSimilarity, o.wordSimilarity, o.passageWords ? 0 : 1];
tried.sort((a, b) => {
  const bad = (x: TaughtReport) => x.swapsCaptured + (x.unrelated - x.unrelatedSame);
  if (bad(a.r) !== bad(b.r)) return bad(a.r) - bad(b.r);
  if (a.r.rewordingsRight !== b.r.rewordingsRight) return b.r.rewordingsRight - a.r.rewordingsRight;
  const sa = strictness(a.opts);
  const sb = strictness(b.opts);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
  return 0;
});
for (const { opts, r } of tried.slice(0, 12)) {
  process.stdout.write(`${JSON.stringify(opts)}: rewordings ${r.rewordingsRight}/${r.rewordings}, swaps captured ${r.swapsCaptured}/${r.swaps}, unrelated same ${r.unrelatedSame}/${r.unrelated}\n`);
}
if (process.argv.includes('--verbose')) for (const m of tried[0]!.r.misses) process.stdout.write(`  ${m.q} — ${m.why}\n`);
