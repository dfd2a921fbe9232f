/** Starts the real bot (real discord.js client) against the fake Discord, with the committed models and temp folders. */
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parseConfig, type Config } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/bot/start.js';
import { FakeDiscord, IDS, OPTION } from './fake-discord.js';
import { tempDir } from './fixtures.js';

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  logs: any[];
  stop(): Promise<void>;
}

export interface PreparedHarness {
  fake: FakeDiscord;
  config: Config;
  logs: any[];
  /** Starts the bot; resolves when it is ready. */
  start(): Promise<Harness>;
  /** Closes the fake and removes the folders (for a bot that never started). */
  cleanup(): Promise<void>;
}

/** The fake Discord, a config pointing at it and a log sink; the bot is not started yet. */
export async function prepareHarness(env: Record<string, string> = {}, fakeOptions: ConstructorParameters<typeof FakeDiscord>[0] = {}): Promise<PreparedHarness> {
  const fake = await new FakeDiscord(fakeOptions).start();
  const logs: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const dirs = [tempDir('fn-index-'), tempDir('fn-data-')];
  const config = parseConfig({
    DISCORD_TOKEN: 'fake-token',
    DISCORD_API_URL: fake.apiUrl,
    INDEX_DIR: dirs[0]!,
    DATA_DIR: dirs[1]!,
    ASK_COOLDOWN_SECONDS: '0',
    ...env,
  });
  const cleanup = async () => {
    await fake.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); // the bench runs this outside vitest
  };
  return {
    fake,
    config,
    logs,
    cleanup,
    async start() {
      const bot = await startBot(config, logger);
      return {
        fake,
        bot,
        logs,
        async stop() {
          await bot.stop(); // destroy the client before closing the fake, or it reconnects forever
          await cleanup();
        },
      };
    },
  };
}

/** `fake` options shape the fake Discord (shards, guilds). */
export async function startHarness(env: Record<string, string> = {}, fakeOptions: ConstructorParameters<typeof FakeDiscord>[0] = {}): Promise<Harness> {
  const prepared = await prepareHarness(env, fakeOptions);
  try {
    return await prepared.start();
  } catch (err) {
    await prepared.cleanup();
    throw err;
  }
}

/** The message body the bot finally sent for an interaction (the PATCH of @original). */
export function isOriginalEdit(token: string) {
  return (r: { method: string; path: string }) => r.method === 'PATCH' && r.path.includes(`/webhooks/`) && r.path.includes(token) && /(%40|@)original/.test(r.path);
}

export function isCallback(id: string) {
  return (r: { method: string; path: string }) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`);
}

/**
 * Asks `/ask` and returns the answer message as the fake stored it, once the bot has also recorded its
 * outcome in the store (it writes it just after sending the answer).
 */
export async function askRecorded(h: Harness, question: string, userId: string = IDS.user): Promise<any> {
  const asked = (await h.bot.ctx.store.stats(new Date(0))).asked;
  const since = h.fake.requests.length;
  const { token } = h.fake.slash('ask', [{ name: 'question', type: OPTION.STRING, value: question }], { userId });
  await h.fake.waitFor(isOriginalEdit(token), { since });
  const deadline = Date.now() + 10_000;
  while ((await h.bot.ctx.store.stats(new Date(0))).asked === asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return h.fake.original(token);
}
