/**
 * `npm run bench` — speed and memory of the core (and, when the bot is present, of the bot path against
 * the fake Discord). Prints a table; never asserts. Uses EMBEDDING_MODEL from the environment
 * (use-lite when unset, so it runs offline).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  // Index build for the largest SQuAD article of the benchmark (target ≤ 10 s).
  const squad = readdirSync('data/squad').filter((f) => f.endsWith('.txt')).map((f) => join('data/squad', f));
  const largest = squad.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const squadDir = mkdtempSync(join(tmpdir(), 'footnote-bench-squad-'));
  t = performance.now();
  const squadIndex = await Footnote.open({ articlePath: largest, indexDir: squadDir, embedder, forceRebuild: true });
  const squadBuildMs = performance.now() - t;
  rmSync(squadDir, { recursive: true, force: true });


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
  const timeBare = async (q: string) => {
    const t0 = performance.now();
    await embedder.embed([q], 'query');
    bare.push(performance.now() - t0);
  };
  const timeAsk = async (q: string) => {
    const t0 = performance.now();
    await built.ask(q);
    ask.push(performance.now() - t0);
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, q] of questions.entries()) {
      // Alternate the order so neither side always pays for the other's garbage collection.
      if ((r + i) % 2 === 0) {
        await timeBare(q);
        await timeAsk(q);
      } else {
        await timeAsk(q);
        await timeBare(q);
      }
    }
  }

  rows.push(['embedding model', config.embedding.model]);
  rows.push(['model load (in process)', ms(modelLoad)]);
  rows.push(['index build (embed + HNSW + save)', ms(buildMs)]);
  rows.push(['cold start, cached index: process start → ready', coldReport.readyMs ? ms(coldReport.readyMs) : `failed: ${cold.stderr.slice(0, 200)}`]);
  rows.push(['cold start, cached index: → first answer', coldReport.firstAnswerMs ? ms(coldReport.firstAnswerMs) : '-']);
  rows.push([`bare query embedding p50 / p95 (n=${bare.length})`, `${ms(percentile(bare, 50))} / ${ms(percentile(bare, 95))}`]);
  rows.push([`warm ask p50 / p95 (n=${ask.length})`, `${ms(percentile(ask, 50))} / ${ms(percentile(ask, 95))}`]);
  rows.push([`index build, largest SQuAD article (${squadIndex.info().sentences} sentences, ${squadIndex.info().chunks} chunks; target ≤ 10 s)`, ms(squadBuildMs)]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  rows.push([`warm ask ÷ bare embedding, mean over the batch (target ≤ 1.5)`, `${(mean(ask) / mean(bare)).toFixed(2)} (${ms(mean(ask))} / ${ms(mean(bare))})`]);
  rows.push(['warm ask ÷ bare embedding, p50 / p95', `${(percentile(ask, 50) / percentile(bare, 50)).toFixed(2)} / ${(percentile(ask, 95) / percentile(bare, 95)).toFixed(2)}`]);
  rows.push(['peak RSS, core only', mb(process.resourceUsage().maxRSS * 1024)]);
  // A 1 MB article (the SQuAD articles, repeated), indexed from scratch (target ≤ 3 minutes).
  const bigDir = mkdtempSync(join(tmpdir(), 'footnote-bench-1mb-'));
  const squadText = squad.map((f) => readFileSync(f, 'utf8')).join('\n');
  let big = '';
  while (Buffer.byteLength(big) < 1024 * 1024) big += squadText + '\n';
  writeFileSync(join(bigDir, 'article.txt'), big);
  t = performance.now();
  const bigIndex = await Footnote.open({ articlePath: join(bigDir, 'article.txt'), indexDir: join(bigDir, 'index'), embedder, forceRebuild: true });
  const bigBuildMs = performance.now() - t;
  const bigInfo = bigIndex.info();
  rmSync(bigDir, { recursive: true, force: true });
  rows.push([`index build, 1 MB article (${bigInfo.sentences} sentences, ${bigInfo.chunks} chunks; target ≤ 3 min)`, `${(bigBuildMs / 1000).toFixed(1)} s`]);
  rows.push(['peak RSS after the 1 MB build', mb(process.resourceUsage().maxRSS * 1024)]);
  rows.push(...(await benchBot()));
  rows.push(['peak RSS (whole run)', mb(process.resourceUsage().maxRSS * 1024)]);

  rmSync(indexDir, { recursive: true, force: true });
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
}

/** The bot path: the real discord.js client against the fake Discord on 127.0.0.1. */
async function benchBot(): Promise<[string, string][]> {
  const { startHarness, isCallback, isOriginalEdit } = await import('../test/helpers/bot-harness.js');
  const h = await startHarness({ EMBEDDING_MODEL: config.embedding.model, LOG_LEVEL: 'silent' });
  try {
    // Fake-Discord request timestamps are Date.now(), so time against the same clock.
    const askTimed = async (q: string) => {
      const since = h.fake.requests.length;
      const t0 = Date.now();
      const { id, token } = h.fake.slash('ask', [{ name: 'question', type: 3, value: q }]);
      const deferred = await h.fake.waitFor(isCallback(id), { since, timeout: 30_000 });
      const edited = await h.fake.waitFor(isOriginalEdit(token), { since, timeout: 30_000 });
      return { defer: deferred.at - t0, answer: edited.at - t0 };
    };
    for (const q of questions) await askTimed(q); // warm-up
    const defer: number[] = [];
    const answer: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of questions) {
        const t = await askTimed(q);
        defer.push(t.defer);
        answer.push(t.answer);
      }
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    const N = 1000;
    for (let i = 0; i < N; i++) {
      const since = h.fake.requests.length;
      const { token } = h.fake.slash('ask', [{ name: 'question', type: 3, value: questions[i % questions.length]! }]);
      await h.fake.waitFor(isOriginalEdit(token), { since, timeout: 30_000 });
      if (h.fake.requests.length > 5000) h.fake.requests.splice(0, h.fake.requests.length - 100);
      if (h.fake.messages.size > 500) h.fake.messages.clear();
    }
    gc?.();
    const after = process.memoryUsage();
    return [
      [`bot: interaction → defer sent p50 / p95 (n=${defer.length})`, `${ms(percentile(defer, 50))} / ${ms(percentile(defer, 95))}`],
      [`bot: interaction → answer edited in p50 / p95`, `${ms(percentile(answer, 50))} / ${ms(percentile(answer, 95))}`],
      [`bot: heap used before / after ${N} questions${gc ? ' (after GC)' : ''}`, `${mb(before.heapUsed)} / ${mb(after.heapUsed)}`],
      [`bot: RSS before / after ${N} questions`, `${mb(before.rss)} / ${mb(after.rss)}`],
    ];
  } finally {
    await h.stop();
  }
}

await main();
