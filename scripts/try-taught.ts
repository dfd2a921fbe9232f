/**
 * Chooses the taught-answer matching's thresholds (`TAUGHT_MATCH` in src/answering/taught.ts) on the fit
 * half of the taught sets only: `npx tsx scripts/try-taught.ts [--set=data/eval/taught-fit.jsonl] [--verbose]`.
 * The rule, fixed before looking: no swap captured and every unrelated question unchanged, then the most
 * rewordings answered with their taught answer; ties go to the stricter thresholds (higher, then fewer
 * ranks). Never run it on the held-out half.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { openFromConfig } from '../src/cli/common.js';
import type { MatchOptions } from '../src/answering/taught.js';
import { parseTaughtSet, scoreTaught, type TaughtReport } from '../src/quality/taught-eval.js';

const set = process.argv.find((a) => a.startsWith('--set='))?.slice(6) ?? 'data/eval/taught-fit.jsonl';
if (set.includes('held')) throw new Error('the held-out half is not for tuning');
const items = parseTaughtSet(readFileSync(set, 'utf8'));
const footnote = await openFromConfig(loadConfig());
const tried: { opts: MatchOptions; r: TaughtReport }[] = [];
for (const passageWords of [false, true])
  for (const similarity of [0.55, 0.6, 0.65, 0.7, 0.75, 0.8])
    for (const rank of [1, 2, 3])
      for (const close of [0.85, 0.9, 1.01])
        for (const refuseSimilarity of [0.8, 0.85, 0.9])
          for (const wordSimilarity of [-1, 0.3, 0.4, 0.5, 0.6]) {
            const opts = { similarity, rank, close, refuseSimilarity, wordSimilarity, passageWords };
            tried.push({ opts, r: await scoreTaught(items, footnote, opts) });
          }
const strictness = (o: MatchOptions) => [o.similarity, -o.rank, o.close, o.refuseSimilarity, o.wordSimilarity, o.passageWords ? 0 : 1];
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
