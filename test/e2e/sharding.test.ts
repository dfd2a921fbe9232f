import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/index/embedders/index.js';
import { Footnote } from '../../src/footnote.js';
import { parseConfig } from '../../src/config.js';
import { FakeDiscord, IDS, OPTION } from '../helpers/fake-discord.js';
import { isCallback, isOriginalEdit, prepareHarness, startHarness, type Harness } from '../helpers/bot-harness.js';
import { ROOT, spawnBot, type BotProcess } from '../helpers/bot-process.js';
import { ARTICLE_PATH, tempDir } from '../helpers/fixtures.js';
import { openStore } from '../../src/store/open.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { STRING } = OPTION;
const ask = (fake: FakeDiscord, question: string, guildId: string, userId: string = IDS.user) =>
  fake.slash('ask', [{ name: 'question', type: STRING, value: question }], { guildId, userId });

/** The value of one sample in a Prometheus text exposition (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = line.match(/^(\w+)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

async function get(port: number, path: string): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('two shards in one process (SHARD_COUNT=auto, Discord recommends 2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ SHARD_COUNT: 'auto', METRICS_PORT: '0' }, { shards: 2, guilds: [IDS.guild, IDS.guild2] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('takes Discord’s count, identifies as shards 0 and 1 of 2 and names both in the ready line and the logs', () => {
    expect([...h.fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const ready = h.logs.find((l) => /^ready/.test(l.msg));
    expect(ready).toMatchObject({ shards: [0, 1], shardCount: 2, guilds: 2 });
    expect(ready.msg).toMatch(/shards 0, 1 of 2/);
    expect(h.logs.filter((l) => /^shard \d ready$/.test(l.msg)).map((l) => l.shard).sort()).toEqual([0, 1]);
  });

  it('answers in a guild of each shard', async () => {
    expect(FakeDiscord.shardOf(IDS.guild, 2)).toBe(1);
    expect(FakeDiscord.shardOf(IDS.guild2, 2)).toBe(0);
    const since = h.fake.requests.length;
    const a = ask(h.fake, 'Who is Maria Zakharova?', IDS.guild);
    const b = ask(h.fake, 'Who is Maria Zakharova?', IDS.guild2, IDS.moderator);
    for (const { token } of [a, b]) {
      const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
      expect(edit.body.embeds[0].description).toMatch(/\[¶27\]/);
    }
  });

  it('counts an answered and a refused question in /metrics, with shard gauges and process defaults', async () => {
    const before = (await get(h.bot.opsPort!, '/metrics')).text;
    const since = h.fake.requests.length;
    const answered = ask(h.fake, 'Who is Maria Zakharova?', IDS.guild2);
    await h.fake.waitFor(isOriginalEdit(answered.token), { since });
    const refused = ask(h.fake, 'How do I bake sourdough bread?', IDS.guild);
    const edit = await h.fake.waitFor(isOriginalEdit(refused.token), { since });
    expect(edit.body.embeds[0].description).toMatch(/The article doesn't say/);
    const res = await get(h.bot.opsPort!, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/text\/plain/);
    const delta = (labels: Record<string, string>) => sample(res.text, 'footnote_questions_total', labels) - sample(before, 'footnote_questions_total', labels);
    expect(delta({ outcome: 'answered', via: 'slash' })).toBe(1);
    expect(delta({ outcome: 'refused', via: 'slash' })).toBe(1);
    expect(sample(res.text, 'footnote_answer_seconds_count', { via: 'slash' }) - sample(before, 'footnote_answer_seconds_count', { via: 'slash' })).toBe(2);
    expect(sample(res.text, 'footnote_shard_ready', { shard: '0', status: 'Ready' })).toBe(1);
    expect(sample(res.text, 'footnote_shard_ready', { shard: '1', status: 'Ready' })).toBe(1);
    expect(res.text).toMatch(/^footnote_gateway_ping_ms\{shard="1"\} /m);
    expect(res.text).toMatch(/^process_resident_memory_bytes /m);
  });

  it('reports healthy on /healthz once both shards are ready, and 404 elsewhere', async () => {
    expect(await get(h.bot.opsPort!, '/healthz')).toMatchObject({ status: 200, text: 'ok: index loaded, shards 0, 1 ready\n' });
    expect(await get(h.bot.opsPort!, '/nope')).toMatchObject({ status: 404 });
  });
});

describe('the cooldown across shards of one process', () => {
  it('limits a user who asks in a guild on shard 1 and then in a guild on shard 0', async () => {
    const h = await startHarness({ SHARD_COUNT: '2', ASK_COOLDOWN_SECONDS: '30' }, { shards: 2, guilds: [IDS.guild, IDS.guild2] });
    try {
      const since = h.fake.requests.length;
      const first = ask(h.fake, 'Who is Maria Zakharova?', IDS.guild);
      await h.fake.waitFor(isOriginalEdit(first.token), { since });
      const second = ask(h.fake, 'Where did they meet?', IDS.guild2);
      const callback = await h.fake.waitFor(isCallback(second.id), { since });
      expect(callback.body.data.content).toMatch(/^Easy there: you can ask again in \d+ s\.$/);
      expect(callback.body.data.flags).toBe(64);
    } finally {
      await h.stop();
    }
  });
});

describe('/healthz while starting', () => {
  it('is 503 with a reason until every shard is ready, then 200', async () => {
    const prepared = await prepareHarness({ SHARD_COUNT: '2', METRICS_PORT: '0' }, { shards: 2, guilds: [IDS.guild, IDS.guild2] });
    prepared.fake.holdReady = true;
    const starting = prepared.start();
    let port: number | undefined;
    for (let i = 0; i < 600 && port === undefined; i++) {
      port = prepared.logs.find((l) => /^metrics on/.test(l.msg ?? ''))?.port;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(port).toBeGreaterThan(0);
    const early = await get(port!, '/healthz');
    expect(early.status).toBe(503);
    expect(early.text).toMatch(/^(index not loaded yet|shards not started yet|shard \d (not connected|not ready \(\w+\)))\n$/);
    // Index loaded, shards connected but not READY.
    while (prepared.fake.identifies < 2) await new Promise((r) => setTimeout(r, 20));
    const waiting = await get(port!, '/healthz');
    expect(waiting.status).toBe(503);
    expect(waiting.text).toMatch(/^shard \d not ready/);
    prepared.fake.releaseReady();
    const h = await starting;
    try {
      expect(await get(port!, '/healthz')).toMatchObject({ status: 200 });
    } finally {
      await h.stop();
    }
  });
});

describe('two processes, SHARD_IDS=0 and SHARD_IDS=1 of 2', () => {
  let fake: FakeDiscord;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    fake = await new FakeDiscord({ shards: 2, guilds: [IDS.guild, IDS.guild2] }).start();
    // One index for both, built here first (as a deploy would), so neither process builds it.
    const indexDir = tempDir('fn-index-');
    const config = parseConfig({});
    await Footnote.open({ articlePath: ARTICLE_PATH, indexDir, embedder: await loadEmbedder(config.embedding) });
    for (const id of [0, 1]) {
      bots.push(
        spawnBot({
          DISCORD_TOKEN: 'fake-token',
          DISCORD_API_URL: fake.apiUrlFor(`p${id}`),
          SHARD_COUNT: '2',
          SHARD_IDS: String(id),
          INDEX_DIR: indexDir,
          DATA_DIR: tempDir('fn-data-'),
          ASK_COOLDOWN_SECONDS: '0',
        }),
      );
    }
    for (const bot of bots) expect(await bot.waitForLine((l) => /^ready/.test(l.msg ?? ''), 90_000), bot.stderr().slice(-2000)).toBeDefined();
  }, 120_000);
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
    await fake?.close();
  });

  it('each process identifies as its own shard and reports it when ready', () => {
    expect([...fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(bots[0]!.lines.find((l) => /^ready/.test(l.msg ?? ''))).toMatchObject({ shards: [0], shardCount: 2, guilds: 1 });
    expect(bots[1]!.lines.find((l) => /^ready/.test(l.msg ?? ''))).toMatchObject({ shards: [1], shardCount: 2, guilds: 1 });
  });

  it('answers every question exactly once, each from the process that owns its guild', async () => {
    const since = fake.requests.length;
    const asked = [IDS.guild, IDS.guild2, IDS.guild, IDS.guild2, IDS.guild2, IDS.guild].map((guildId, i) => ({
      guildId,
      ...ask(fake, i % 2 ? 'Who is Maria Zakharova?' : 'Where did Trump and Putin meet?', guildId, String(BigInt(IDS.user) + BigInt(i))),
    }));
    for (const { token } of asked) await fake.waitFor(isOriginalEdit(token), { since, timeout: 20_000 });
    await new Promise((r) => setTimeout(r, 300)); // a second answer would arrive by now
    for (const { id, token, guildId } of asked) {
      const owner = `p${FakeDiscord.shardOf(guildId, 2)}`;
      const callbacks = fake.after(since, isCallback(id));
      const edits = fake.after(since, isOriginalEdit(token));
      expect(callbacks).toHaveLength(1);
      expect(edits).toHaveLength(1);
      expect([callbacks[0]!.via, edits[0]!.via]).toEqual([owner, owner]);
    }
  });
});

describe('npm run start:sharded (ShardingManager, one process per shard)', () => {
  let fake: FakeDiscord;
  let manager: BotProcess;
  let port: number;
  const dataDir = tempDir('fn-data-');
  const indexDir = tempDir('fn-index-');
  beforeAll(async () => {
    fake = await new FakeDiscord({ shards: 2, guilds: [IDS.guild, IDS.guild2] }).start();
    manager = spawnBot(
      {
        DISCORD_TOKEN: 'fake-token',
        DISCORD_API_URL: fake.apiUrl,
        SHARD_COUNT: 'auto',
        SHARD_SPAWN_DELAY_MS: '0',
        METRICS_PORT: '0',
        INDEX_DIR: indexDir,
        DATA_DIR: dataDir,
        ASK_COOLDOWN_SECONDS: '0',
      },
      ['--import', 'tsx', 'src/bot/sharded.ts'],
    );
    port = (await manager.waitForLine((l) => /^metrics on/.test(l.msg ?? ''), 90_000))?.port;
    expect(await manager.waitForLine((l) => l.role === 'manager' && /^ready/.test(l.msg ?? ''), 120_000), manager.stderr().slice(-3000)).toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await manager?.stop();
    await fake?.close();
  });

  it('builds the index once, then starts Discord’s recommended number of shards, each in its own process, read-only', async () => {
    // Each shard process logs its own ready line through its pipe, which can arrive after the manager's: wait for both.
    const shardReady = (shard: number) => (l: any) => /^ready: shard/.test(l.msg ?? '') && l.role === undefined && l.shards?.[0] === shard;
    for (const shard of [0, 1]) expect(await manager.waitForLine(shardReady(shard), 30_000), `shard ${shard} ready`).toBeDefined();
    const lines = manager.lines;
    expect(lines.filter((l) => l.msg === 'index rebuilt')).toHaveLength(1); // the manager's; shards only read
    expect(lines.find((l) => /^spawning/.test(l.msg ?? ''))).toMatchObject({ role: 'manager', shards: [0, 1], shardCount: 2 });
    const ready = lines.filter((l) => /^ready: shard/.test(l.msg ?? '') && l.role === undefined);
    expect(ready.map((l) => l.shards).sort()).toEqual([[0], [1]]);
    expect(new Set(ready.map((l) => l.pid)).size).toBe(2);
  });

  it('answers in both shards’ guilds and serves the metrics of every shard together', async () => {
    const healthy = await get(port, '/healthz');
    expect(healthy).toMatchObject({ status: 200, text: 'ok: 2 shard processes (0, 1 of 2) ready\n' });
    const since = fake.requests.length;
    const asked = [ask(fake, 'Who is Maria Zakharova?', IDS.guild), ask(fake, 'Who is Maria Zakharova?', IDS.guild2, IDS.moderator)];
    for (const { token } of asked) expect((await fake.waitFor(isOriginalEdit(token), { since, timeout: 20_000 })).body.embeds[0].description).toMatch(/\[¶27\]/);
    const { text, status } = await get(port, '/metrics');
    expect(status).toBe(200);
    expect(sample(text, 'footnote_questions_total', { outcome: 'answered', via: 'slash' })).toBe(2);
    expect(sample(text, 'footnote_shard_ready', { shard: '0', status: 'Ready' })).toBe(1);
    expect(sample(text, 'footnote_shard_ready', { shard: '1', status: 'Ready' })).toBe(1);
  });

  it('records both shard processes’ questions in one SQLite file, and /gaps on either shard sees them all', async () => {
    const since = fake.requests.length;
    const asked = [ask(fake, 'How do I bake sourdough bread?', IDS.guild), ask(fake, 'how do you make sourdough bread', IDS.guild2)];
    for (const { token } of asked) await fake.waitFor(isOriginalEdit(token), { since, timeout: 20_000 });
    // Each process records the outcome just after sending the answer: wait until both rows are there.
    const store = await openStore({ dataDir });
    const deadline = Date.now() + 10_000;
    while ((await store.flagged(new Date(0), 0.5)).filter((f) => /sourdough/.test(f.question)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const s2 = fake.requests.length;
    const gaps = fake.slash('gaps', [{ name: 'days', type: OPTION.INTEGER, value: 1 }], { guildId: IDS.guild, userId: IDS.moderator });
    const edit = await fake.waitFor(isOriginalEdit(gaps.token), { since: s2, timeout: 20_000 });
    // Asked once in each shard's guild, so by each process; the /gaps process reads both from the one file.
    expect(edit.body.embeds[0].description).toMatch(/^\*\*1\. “[^”]*sourdough bread\??”\*\* — asked 2× \(2 refused\)/);
    expect((await store.stats(new Date(0))).asked).toBeGreaterThanOrEqual(4);
    await store.close();
  });

  it('uses a taught answer in both shard processes within a few seconds of its import into the shared store', async () => {
    const file = join(tempDir('fn-teach-'), 'taught.jsonl');
    writeFileSync(file, JSON.stringify({ q: 'what did trump tell zelensky', quote: 'offered advice to Zelensky' }) + '\n');
    const taught = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/teach.ts', '--file', file], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', INDEX_DIR: indexDir, DATA_DIR: dataDir },
      timeout: 60_000,
    });
    expect(taught.status, taught.stderr).toBe(0);
    // Each shard process reads the store every 2 s: ask in a guild of each until both say it is confirmed.
    const confirmedIn = async (guildId: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const since = fake.requests.length;
        const { token } = ask(fake, 'what was trumps advice to zelensky', guildId);
        const edit = await fake.waitFor(isOriginalEdit(token), { since, timeout: 20_000 });
        const field = edit.body.embeds[0].fields.find((f: any) => f.name === '✅ Answer confirmed by the moderators');
        if (field || Date.now() > deadline) return { field, via: edit.via as string, description: edit.body.embeds[0].description as string };
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    for (const guildId of [IDS.guild, IDS.guild2]) {
      const { field, description } = await confirmedIn(guildId);
      expect(field?.value).toBe('Taught as “what did trump tell zelensky” (an import)');
      expect(description).toContain('offered advice to Zelensky');
    }
  }, 90_000);

  it('reports the shard that is down on /healthz when its process dies', async () => {
    const child = manager.lines.find((l) => /^ready: shard 1 /.test(l.msg ?? ''));
    process.kill(child.pid, 'SIGKILL');
    let health = await get(port, '/healthz');
    for (let i = 0; i < 50 && health.status === 200; i++) health = await get(port, '/healthz');
    expect(health.status).toBe(503);
    expect(health.text).toMatch(/^shard 1: /);
  });

  it('takes every shard process down with it when the manager is killed outright', async () => {
    const pids = manager.lines.filter((l) => /^ready: shard/.test(l.msg ?? '') && l.pid).map((l) => l.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    manager.child.kill('SIGKILL');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  });
});
