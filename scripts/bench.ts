/**
 * `npm run bench` — speed and memory of the core (and, when the bot is present, of the bot path against
 * the fake Discord). Prints a table; never asserts. Uses EMBEDDING_MODEL from the environment
 * (the committed minilm-embedder when unset) and the committed reader.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { dirname } from 'node:path';
import { DEFAULT_READER_PATH, loadReader, pairInputs, READER_MAX_TOKENS } from '../src/reader/cross-encoder.js';
import { passageText } from '../src/reader/passage.js';
import { READER_K } from '../src/candidates/retrieval.js';
import { loadEmbedder } from '../src/index/embedders/index.js';
import { DEFAULT_SQUAD_DIR } from '../src/quality/benchmark.js';
import { turnOf } from '../src/conversation/follow-up.js';
import { parseEvalSet } from '../src/quality/evaluate.js';
import { ChatReader } from '../src/language/chat.js';
import { analyse } from '../src/language/nlp.js';
import { sharedWordVectors } from '../src/language/word-vectors.js';
import { Footnote } from '../src/footnote.js';

const config = loadConfig();
const questions = parseEvalSet(readFileSync('data/eval/dev-qa.jsonl', 'utf8')).map((i) => i.q);
const ROUNDS = 5;
/** `npm run bench -- --only load` runs only the load test, `--only store` only the store's, `--only taught` only the taught answers', `--only core` the rest. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const indexDir = mkdtempSync(join(tmpdir(), 'footnote-bench-'));
  const rows: [string, string][] = [];
  if (only === 'load') {
    rows.push(...(await benchLoad(indexDir)));
    rmSync(indexDir, { recursive: true, force: true });
    return print(rows);
  }
  if (only === 'store') {
    rmSync(indexDir, { recursive: true, force: true });
    return print(await benchStore());
  }
  if (only === 'taught') {
    rows.push(...(await benchTaught(indexDir)));
    rmSync(indexDir, { recursive: true, force: true });
    return print(rows);
  }

  let t = performance.now();
  const embedder = await loadEmbedder(config.embedding);
  const modelLoad = performance.now() - t;

  t = performance.now();
  // No answer cache here: the same questions are asked again and again to time the computation.
  const built = await Footnote.open({ articlePath: config.articlePath, indexDir, embedder, forceRebuild: true, answerCacheSize: 0 });
  const buildMs = performance.now() - t;

  // Index build for the largest SQuAD article of the benchmark (target ≤ 10 s).
  const squad = squadFiles('.txt');
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
  rows.push(...(await benchReader(questions, built)));
  rows.push(...(await benchFollowUps(built)));
  rows.push(...benchChat(built));
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
  if (only !== 'core') rows.push(...(await benchLoad(indexDir)));
  if (only !== 'core') rows.push(...(await benchStore()));
  if (only !== 'core') rows.push(...(await benchTaught(indexDir)));
  rows.push(['peak RSS (whole run)', mb(process.resourceUsage().maxRSS * 1024)]);

  rmSync(indexDir, { recursive: true, force: true });
  print(rows);
}

/**
 * The chat reading (capitals, shorthand, spelling) on its own: the chat sets' questions and the summit
 * sets', and a 500-character run of misspellings (target: ≤ 0.5 ms at p95 each).
 */
/**
 * The reader's cost per pair: `Reader.logits` on READER_K passages a question (tokenizing, a forward pass
 * a pair) against bare forward passes of the same ONNX file on inputs tokenized before: a pair at a time,
 * as the reader runs, and the READER_K pairs in one padded batch (what the reader gave up: see
 * `src/reader/cross-encoder.ts`).
 */
async function benchReader(questions: string[], footnote: Footnote): Promise<[string, string][]> {
  const { AutoTokenizer, AutoModelForSequenceClassification, env } = await import('@xenova/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = dirname(DEFAULT_READER_PATH) + '/';
  const reader = await loadReader(DEFAULT_READER_PATH);
  const tokenizer = (await AutoTokenizer.from_pretrained('minilm-reader')) as unknown as Parameters<typeof pairInputs>[0];
  tokenizer.model_max_length = READER_MAX_TOKENS;
  const model = (await AutoModelForSequenceClassification.from_pretrained('minilm-reader', { quantized: true })) as unknown as (i: unknown) => Promise<unknown>;
  const sentences = footnote.article.paragraphs.map((p) => p.text);
  const full: number[] = [];
  const bare: number[] = [];
  const batched: number[] = [];
  for (const [i, q] of questions.entries()) {
    const passages = Array.from({ length: READER_K }, (_, k) => passageText(sentences[(i * 7 + k) % sentences.length]!));
    const alone = passages.map((p) => pairInputs(tokenizer, q, [p]));
    const padded = pairInputs(tokenizer, q, passages);
    let t0 = performance.now();
    await reader.logits(q, passages);
    full.push((performance.now() - t0) / READER_K);
    t0 = performance.now();
    for (const inputs of alone) await model(inputs);
    bare.push((performance.now() - t0) / READER_K);
    t0 = performance.now();
    await model(padded);
    batched.push((performance.now() - t0) / READER_K);
  }
  return [
    [`reader, per pair, ${READER_K} pairs a call: p50 / p95 (n=${full.length})`, `${ms(percentile(full, 50))} / ${ms(percentile(full, 95))}`],
    ['the same ONNX file, bare forward pass a pair at a time, per pair: p50 / p95', `${ms(percentile(bare, 50))} / ${ms(percentile(bare, 95))}`],
    [`the same, the ${READER_K} pairs in one padded batch, per pair: p50 / p95`, `${ms(percentile(batched, 50))} / ${ms(percentile(batched, 95))}`],
  ];
}

function benchChat(footnote: Footnote): [string, string][] {
  const text = footnote.article.text;
  const reader = new ChatReader(text, sharedWordVectors(), analyse(text).lemmas);
  const qs = ['data/eval/chat-fit.jsonl', 'data/eval/natural-fit.jsonl', 'data/eval/team-qa.jsonl'].flatMap((f) => parseEvalSet(readFileSync(f, 'utf8')).map((i) => i.q));
  for (const q of qs) reader.read(q);
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    for (const q of qs) {
      const t0 = performance.now();
      reader.read(q);
      times.push(performance.now() - t0);
    }
  }
  const garbled = Array.from({ length: 100 }, (_, i) => ['sumit', 'ceasfire', 'questons', 'zacharova', 'xqzvw'][i % 5]).join(' ').slice(0, 500);
  const long: number[] = [];
  for (let r = 0; r < 50; r++) {
    const t0 = performance.now();
    reader.read(garbled);
    long.push(performance.now() - t0);
  }
  return [
    [`chat reading p50 / p95 (n=${times.length}; target p95 ≤ 0.5 ms)`, `${percentile(times, 50).toFixed(3)} / ${percentile(times, 95).toFixed(3)} ms`],
    ['chat reading, 500 characters of misspellings p50 / p95', `${percentile(long, 50).toFixed(3)} / ${percentile(long, 95).toFixed(3)} ms`],
  ];
}

/** The SQuAD files of the shared folder (`SQUAD_DIR` overrides it), or one line and exit 66 when it is missing. */
/**
 * A follow-up against the same question asked alone: the follow-ups of the fit half, each after the
 * question it follows (asked once first, as a conversation would have), interleaved (target ≤ 1.5×).
 */
async function benchFollowUps(footnote: Footnote): Promise<[string, string][]> {
  const items = parseEvalSet(readFileSync('data/eval/follow-ups-fit.jsonl', 'utf8')).filter((i) => !i.change && i.after?.length);
  const conversations = [];
  for (const item of items) conversations.push({ q: item.q, turns: [turnOf(await footnote.ask(item.after![0]!))] });
  const alone: number[] = [];
  const followUp: number[] = [];
  const time = async (into: number[], fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of conversations.entries()) {
      const a = () => time(alone, () => footnote.ask(c.q));
      const f = () => time(followUp, () => footnote.ask(c.q, c.turns));
      if ((r + i) % 2 === 0) await a().then(f);
      else await f().then(a);
    }
  }
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  return [
    [`follow-up (with the turn before it) p50 / p95 (n=${followUp.length})`, `${ms(percentile(followUp, 50))} / ${ms(percentile(followUp, 95))}`],
    [`follow-up ÷ the same question alone, mean (target ≤ 1.5)`, `${(mean(followUp) / mean(alone)).toFixed(2)} (${ms(mean(followUp))} / ${ms(mean(alone))})`],
  ];
}

function squadFiles(ending: string): string[] {
  const dir = process.env.SQUAD_DIR ?? DEFAULT_SQUAD_DIR;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    process.stderr.write(`The SQuAD folder ${dir} is missing: set SQUAD_DIR to one (npm run squad-convert makes it from the official SQuAD 2.0 JSON).\n`);
    process.exit(66);
  }
  return names.filter((f) => f.endsWith(ending)).sort().map((f) => join(dir, f));
}

/**
 * The store (SQLite): what recording a question's outcome adds to an answer, and /gaps over 100,000
 * recorded questions (a third refused or unsure, 2,000 distinct wordings, random 512-d vectors).
 */
async function benchStore(): Promise<[string, string][]> {
  const { openStore } = await import('../src/store/open.js');
  const { groupGaps, LOW_CONFIDENCE } = await import('../src/store/gaps.js');
  const dir = mkdtempSync(join(tmpdir(), 'footnote-bench-store-'));
  const store = await openStore({ dataDir: dir });
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const wordings = Array.from({ length: 2000 }, (_, i) => {
    const v = Float32Array.from({ length: 512 }, random);
    const n = Math.hypot(...v);
    return { q: `question number ${i} about the summit?`, v: v.map((x) => x / n) };
  });
  const times: number[] = [];
  const TOTAL = 100_000;
  for (let i = 0; i < TOTAL; i++) {
    const w = wordings[i % wordings.length]!;
    const refused = i % 3 === 0;
    const t = performance.now();
    await store.recordQuestion({ id: `q${i}`, question: w.q, answered: !refused, confidence: refused ? 0.1 : 0.8, paragraphs: [1 + (i % 30)], vector: w.v, at: new Date(Date.now() - (i % 7) * 3_600_000) });
    times.push(performance.now() - t);
  }
  const gapTimes: number[] = [];
  let groups = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    groups = groupGaps(await store.flagged(new Date(Date.now() - 7 * 86_400_000), LOW_CONFIDENCE)).length;
    gapTimes.push(performance.now() - t);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    [`store: record a question's outcome (SQLite, ${TOTAL} rows), p50 / p95 (target p95 ≤ 1 ms)`, `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))}`],
    [`store: /gaps over ${TOTAL} recorded questions (${groups} groups), best of 3 (target < 1 s)`, ms(Math.min(...gapTimes))],
  ];
}

function print(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
}

/** Distinct questions: the summit's own sets first, then SQuAD questions (refusals cost the same work). */
function distinctQuestions(): string[] {
  const files = ['data/eval/dev-qa.jsonl', 'data/eval/team-qa.jsonl', ...squadFiles('.qa.jsonl')];
  return [...new Set(files.flatMap((f) => parseEvalSet(readFileSync(f, 'utf8'), f).map((i) => i.q)))];
}

/**
 * Throughput under load: the real bot (one process, 1 or 2 shards) against the fake Discord running in a
 * separate process that fires bursts of /ask at a concurrency of 20, each from a new user, cooldown off.
 */
async function benchLoad(indexDir: string, opts: { shards?: number[]; taught?: import('../src/store/store.js').TaughtRecord[] } = {}): Promise<[string, string][]> {
  const { parseConfig } = await import('../src/config.js');
  const { startBot } = await import('../src/bot/start.js');
  const { pino } = await import('pino');
  const all = distinctQuestions();
  const warm = all.slice(0, 100);
  const rows: [string, string][] = [];
  const N = 1000;
  const CONCURRENCY = 20;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const shards of opts.shards ?? [1, 2]) {
    const driver = fork('scripts/load-driver.ts', [String(shards)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const next = <T>(): Promise<T> => new Promise((resolve) => driver.once('message', (m) => resolve(m as T)));
    const { apiUrl } = await next<{ apiUrl: string }>();
    const dataDir = mkdtempSync(join(tmpdir(), 'footnote-bench-data-'));
    const botConfig = parseConfig({
      ...process.env,
      DISCORD_TOKEN: 'fake-token',
      DISCORD_API_URL: apiUrl,
      INDEX_DIR: indexDir,
      DATA_DIR: dataDir,
      ASK_COOLDOWN_SECONDS: '0',
      SHARD_COUNT: String(shards),
      SHARD_IDS: '',
      METRICS_PORT: '',
    });
    if (opts.taught) {
      const { openStore } = await import('../src/store/open.js');
      const store = await openStore({ dataDir });
      for (const t of opts.taught) await store.teach(t);
      await store.close();
    }
    const bot = await startBot(botConfig, pino({ level: 'silent' }));
    try {
      const run = async (questions: string[], n: number) => {
        driver.send({ type: 'burst', questions, n, concurrency: CONCURRENCY });
        return next<import('./load-driver.js').BurstResult>();
      };
      await run(warm, warm.length);
      gc?.();
      const heap = [process.memoryUsage().heapUsed];
      const cpu = process.cpuUsage();
      const r = await run(all.slice(100, 100 + N), N);
      const used = process.cpuUsage(cpu);
      const botCpu = (used.user + used.system) / 1e6;
      gc?.();
      heap.push(process.memoryUsage().heapUsed);
      // Two more bursts of other distinct questions: memory must not grow with the number of questions served.
      const later: typeof r[] = [];
      for (const k of [1, 2]) {
        later.push(await run(all.slice(100 + k * N, 100 + (k + 1) * N), N));
        gc?.();
        heap.push(process.memoryUsage().heapUsed);
      }
      // Questions people repeat word for word: the summit's 80 questions, over and over (the answer cache's case).
      const repeated = await run(all.slice(0, 80), N);
      const label = `load, ${shards} shard${shards > 1 ? 's' : ''} in one process (${N} distinct questions, concurrency ${CONCURRENCY}${opts.taught ? `, ${opts.taught.length.toLocaleString('en')} taught answers` : ''})`;
      rows.push([`${label}: questions/s sustained (target ≥ 60)`, `${(r.answer.length / r.seconds).toFixed(1)} (${r.answer.length} answered in ${r.seconds.toFixed(1)} s, ${r.lost} lost)`]);
      rows.push([`${label}: interaction → answer p50 / p95 / p99 (target p95 ≤ 500 ms)`, `${ms(percentile(r.answer, 50))} / ${ms(percentile(r.answer, 95))} / ${ms(percentile(r.answer, 99))}`]);
      rows.push([`${label}: interaction → acknowledgement p50 / p99 / max (must stay < 3 s)`, `${ms(percentile(r.ack, 50))} / ${ms(percentile(r.ack, 99))} / ${ms(Math.max(...r.ack))}`]);
      rows.push([`${label}: CPU per question, bot (both threads) / fake Discord`, `${ms((botCpu / r.n) * 1000)} / ${ms((r.driverCpu / r.n) * 1000)}`]);
      rows.push([`${label}: next two bursts, questions/s and p95`, later.map((b) => `${(b.answer.length / b.seconds).toFixed(1)}, ${ms(percentile(b.answer, 95))}`).join('; ')]);
      rows.push([`${label}: 80 summit questions repeated ×12.5, questions/s and p95`, `${(repeated.answer.length / repeated.seconds).toFixed(1)}, ${ms(percentile(repeated.answer, 95))}`]);
      rows.push([`${label}: heap before, then after each of 3 bursts${gc ? ' (after GC)' : ''}`, heap.map(mb).join(' / ')]);
      rows.push([`${label}: RSS at the end`, mb(process.memoryUsage().rss)]);
    } finally {
      await bot.stop();
      driver.send({ type: 'close' });
      await new Promise((resolve) => driver.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

/**
 * Taught answers at scale: 10,000 in memory (questions near real ones: the embeddings of the summit and
 * SQuAD questions, moved a little at random; each citing a random sentence), then the lookup's cost per
 * question (target p95 ≤ 1 ms), the load of the 10,000 at start-up, and the load test with them in the store.
 */
async function benchTaught(indexDir: string): Promise<[string, string][]> {
  const COUNT = 10_000;
  const embedder = await loadEmbedder(config.embedding);
  const footnote = await Footnote.open({ articlePath: config.articlePath, indexDir, embedder, answerCacheSize: 0 });
  const all = distinctQuestions();
  const base = all.slice(0, 2000);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < base.length; i += 64) vectors.push(...(await embedder.embed(base.slice(i, i + 64), 'query')));
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const sentences = footnote.article.paragraphs.flatMap((p) => footnote.sentencesOf(p.n));
  const taught = Array.from({ length: COUNT }, (_, i) => {
    const v = Float32Array.from(vectors[i % base.length]!, (x) => x + random() * 0.02);
    const n = Math.hypot(...v);
    const s = sentences[i % sentences.length]!;
    return {
      id: `t${i.toString(16).padStart(7, '0')}`,
      scope: i % 2 ? 'guild-a' : '',
      question: `${base[i % base.length]!}${i >= base.length ? ` (${i})` : ''}`,
      vector: v.map((x) => x / n),
      embeddingModel: embedder.id,
      articleSha: footnote.manifest.articleSha256,
      units: [{ paragraph: s.paragraph, start: s.start, end: s.end, quote: s.quote }],
      refuse: i % 10 === 0,
      how: 'import' as const,
      at: new Date(),
    };
  });
  let t = performance.now();
  const load = await footnote.taught.apply(taught);
  const loadMs = performance.now() - t;
  // Questions asked: other summit and SQuAD questions (most match nothing; the nearest taught ones are guarded).
  const asked = all.slice(2000, 3000);
  const results = [];
  for (const q of asked) results.push(await footnote.ask(q, [], { untaught: true }));
  for (const r of results) footnote.taught.match(r, 'guild-a'); // warm
  const lookup: number[] = [];
  let matched = 0;
  for (let round = 0; round < 3; round++) {
    for (const r of results) {
      const t0 = performance.now();
      if (footnote.taught.match(r, 'guild-a')) matched++;
      lookup.push(performance.now() - t0);
    }
  }
  const rows: [string, string][] = [
    [`taught answers: load ${COUNT.toLocaleString('en')} into memory (keys, HNSW)`, `${(loadMs / 1000).toFixed(1)} s (${load.used} in use, ${load.stale.length} stale)`],
    [`taught answers: lookup per question with ${COUNT.toLocaleString('en')} taught, p50 / p95 / max (n=${lookup.length}; target p95 ≤ 1 ms)`, `${percentile(lookup, 50).toFixed(3)} / ${percentile(lookup, 95).toFixed(3)} / ${Math.max(...lookup).toFixed(3)} ms (${matched / 3} of ${results.length} matched)`],
  ];
  rows.push(...(await benchLoad(indexDir, { shards: [1], taught })));
  return rows;
}

/** The bot path: the real discord.js client against the fake Discord on 127.0.0.1. */
async function benchBot(): Promise<[string, string][]> {
  const { startHarness, isCallback, isOriginalEdit } = await import('../test/helpers/bot-harness.js');
  const h = await startHarness({ EMBEDDING_MODEL: config.embedding.model, LOG_LEVEL: 'silent', ANSWER_CACHE_SIZE: '0' });
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
