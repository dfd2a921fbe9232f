/**
 * Chooses the taught-answer matching's thresholds (`TAUGHT_MATCH` in src/answering/taught.ts) on the fit
 * half of the taught sets only: `npx tsx scripts/try-taught.ts [--set=data/eval/taught-fit.jsonl]`.
 * Prints, for each similarity and word-similarity pair, the rewordings answered with their taught answer,
 * the swaps captured and the unrelated questions changed. Never run it on the held-out half.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { openFromConfig } from '../src/cli/common.js';
import { parseTaughtSet, scoreTaught } from '../src/quality/taught-eval.js';

const set = process.argv.find((a) => a.startsWith('--set='))?.slice(6) ?? 'data/eval/taught-fit.jsonl';
if (set.includes('held')) throw new Error('the held-out half is not for tuning');
const items = parseTaughtSet(readFileSync(set, 'utf8'));
const footnote = await openFromConfig(loadConfig());
const verbose = process.argv.includes('--verbose');
for (const passageWords of [false, true]) {
for (const similarity of [0.6, 0.65, 0.7, 0.75, 0.8]) {
  for (const wordSimilarity of [0.3, 0.4, 0.5, 0.6, 1.01]) {
    const r = await scoreTaught(items, footnote, { similarity, wordSimilarity, passageWords });
    process.stdout.write(`passage ${passageWords} similarity ${similarity} words ${wordSimilarity}: rewordings ${r.rewordingsRight}/${r.rewordings}, swaps captured ${r.swapsCaptured}/${r.swaps}, unrelated same ${r.unrelatedSame}/${r.unrelated}\n`);
    if (verbose) for (const m of r.misses) process.stdout.write(`  ${m.q} — ${m.why}\n`);
  }
}
}
