/**
 * `npm run bench` — speed and memory of the core (and, when the bot is present, of the bot path against
 * the fake Discord). Prints a table; never asserts. Uses EMBEDDING_MODEL from the environment
 * (use-lite when unset, so it runs offline).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { loadEmbedder } from '../src/embedders/index.js';
import { parseEvalSet } from '../src/evaluate.js';
import { Footnote } from '../src/footnote.js';

const config = loadConfig();
const questions = parseEvalSet(readFileSync('data/eval/dev-qa.jsonl', 'utf8')).map((i) => i.q);
const ROUNDS = 5;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const indexDir = mkdtempSync(join(tmpdir(), 'footnote-bench-'));
  const rows: [string, string][] = [];

  let t = performance.now();
  const embedder = await loadEmbedder(config.embedding);
  const modelLoad = performance.now() - t;

  t = performance.now();
  const built = await Footnote.open({ articlePath: config.articlePath, indexDir, embedder, forceRebuild: true });
  const buildMs = performance.now() - t;

  // Cold start with a cached index, in a fresh process: import, model load, index load, first answer.
  const cold = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cold-start.ts', indexDir], {
    encoding: 'utf8',
    env: { ...process.env, EMBEDDING_MODEL: config.embedding.model },
  });
  const coldReport = JSON.parse(cold.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;

  // Warm: bare query embedding vs. full ask, same questions, interleaved so both see the same machine state.
  for (const q of questions) {
    await embedder.embed([q], 'query');
    await built.ask(q);
  }
  const bare: number[] = [];
  const ask: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      t = performance.now();
      await embedder.embed([q], 'query');
      bare.push(performance.now() - t);
      t = performance.now();
      await built.ask(q);
      ask.push(performance.now() - t);
    }
  }

  rows.push(['embedding model', config.embedding.model]);
  rows.push(['model load (in process)', ms(modelLoad)]);
  rows.push(['index build (embed + HNSW + save)', ms(buildMs)]);
  rows.push(['cold start, cached index: process start → ready', coldReport.readyMs ? ms(coldReport.readyMs) : `failed: ${cold.stderr.slice(0, 200)}`]);
  rows.push(['cold start, cached index: → first answer', coldReport.firstAnswerMs ? ms(coldReport.firstAnswerMs) : '-']);
  rows.push([`bare query embedding p50 / p95 (n=${bare.length})`, `${ms(percentile(bare, 50))} / ${ms(percentile(bare, 95))}`]);
  rows.push([`warm ask p50 / p95 (n=${ask.length})`, `${ms(percentile(ask, 50))} / ${ms(percentile(ask, 95))}`]);
  rows.push(['warm ask ÷ bare embedding (p50; target ≤ 1.5)', (percentile(ask, 50) / percentile(bare, 50)).toFixed(2)]);
  rows.push(['peak RSS (this process)', mb(process.resourceUsage().maxRSS * 1024)]);

  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
}

await main();
