/**
 * The similarity a coverage gap groups wordings at (`GAP_SIMILARITY`, src/store/gaps.ts), measured on the
 * fitted taught sets: a taught question against its rewordings (the same question) and against its swaps
 * (another question of the same shape). `npx tsx scripts/gap-similarity.ts`
 */
import { readFileSync } from 'node:fs';
import { loadEmbedder } from '../src/index/embedders/index.js';
import { dot } from '../src/index/embedder.js';
import { parseConfig } from '../src/config.js';

const config = parseConfig(process.env);
const embedder = await loadEmbedder(config.embedding);
const same: number[] = [];
const other: number[] = [];
for (const file of ['data/eval/taught-fit.jsonl', 'data/eval/taught-held.jsonl']) {
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line) as { taught?: string; rewordings?: string[]; swaps?: string[] };
    if (!row.taught) continue;
    const [t, ...rest] = await embedder.embed([row.taught, ...(row.rewordings ?? []), ...(row.swaps ?? [])], 'query');
    const n = row.rewordings?.length ?? 0;
    rest.forEach((v, i) => (i < n ? same : other).push(dot(t!, v)));
  }
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!.toFixed(3);
process.stdout.write(`${embedder.id}\nrewordings (${same.length}): min ${q(same, 0)} p10 ${q(same, 0.1)} median ${q(same, 0.5)}\nswaps (${other.length}): median ${q(other, 0.5)} p90 ${q(other, 0.9)} max ${q(other, 1)}\n`);
for (const t of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85]) process.stdout.write(`at ${t}: rewordings grouped ${same.filter((x) => x >= t).length}/${same.length}, swaps grouped ${other.filter((x) => x >= t).length}/${other.length}\n`);
