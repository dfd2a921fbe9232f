import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy.js';
import { FakeDiscord, IDS } from '../helpers/fake-discord.js';
import { spawnBot } from '../helpers/bot-process.js';
import { readOnlyView, tempDir } from '../helpers/fixtures.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await new FakeDiscord().start();
});
afterAll(async () => {
  await fake.close();
});

describe('deploy-commands', () => {
  it('registers every command in one guild when a guild id is given', async () => {
    const count = await deployCommands({ token: 't', clientId: IDS.app, guildId: IDS.guild, apiUrl: fake.apiUrl });
    expect(count).toBe(9);
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${IDS.app}/guilds/${IDS.guild}/commands`);
    expect(put).toBeDefined();
    const ask = put!.body.find((c: any) => c.name === 'ask');
    expect(ask.options[0]).toMatchObject({ name: 'question', required: true, max_length: 500 });
    const pin = put!.body.find((c: any) => c.name === 'Pin sourced answer');
    expect(pin.type).toBe(3);
    expect(pin.default_member_permissions).toBe(String(1n << 51n)); // Pin Messages
    for (const name of ['gaps', 'stats']) expect(put!.body.find((c: any) => c.name === name).default_member_permissions).toBe(String(1n << 13n));
    // Where each command works: questions, summaries, passages and help in server and user installs, in
    // servers, the DM with the bot and private channels; pinning and the moderator views in servers only.
    for (const name of ['ask', 'summary', 'source', 'help']) {
      const c = put!.body.find((x: any) => x.name === name);
      expect(c.integration_types, name).toEqual([0, 1]);
      expect(c.contexts, name).toEqual([0, 1, 2]);
      expect(c.default_member_permissions ?? null, name).toBeNull();
    }
    for (const name of ['Pin sourced answer', 'gaps', 'stats']) {
      const c = put!.body.find((x: any) => x.name === name);
      expect(c.integration_types, name).toEqual([0]);
      expect(c.contexts, name).toEqual([0]);
    }
  });

  it('registers globally without a guild id', async () => {
    await deployCommands({ token: 't', clientId: IDS.app, apiUrl: fake.apiUrl });
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path === `/applications/${IDS.app}/commands`)).toBe(true);
  });
});

describe('starting the bot', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      encoding: 'utf8',
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
      timeout: 60_000,
    });

  it('stops with one line saying how to set a missing DISCORD_TOKEN', () => {
    const r = run({ DISCORD_TOKEN: '', INDEX_DIR: tempDir(), DATA_DIR: tempDir() });
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DISCORD_TOKEN.*\.env/);
  });

  it('checks DATA_DIR and INDEX_DIR before logging in, with one line and a documented status', () => {
    const data = run({ DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9', INDEX_DIR: tempDir(), DATA_DIR: '/dev/null/x' });
    expect(data.status).toBe(78);
    expect(data.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATA_DIR must be a writable folder: \/dev\/null\/x/)]);
    const index = run({ DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9', INDEX_DIR: '/dev/null/x', DATA_DIR: tempDir() });
    expect(index.status).toBe(73);
    expect(index.stderr.trim().split('\n')).toEqual([expect.stringMatching(/\/dev\/null\/x can't be written .*INDEX_DIR/)]);
  });

  it('names DISCORD_TOKEN in one line when Discord refuses it', async () => {
    // Not spawnSync: the fake Discord lives in this process and must stay responsive.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DISCORD_TOKEN: 'revoked-token', DISCORD_API_URL: fake.apiUrl, INDEX_DIR: tempDir(), DATA_DIR: tempDir() },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const r = { status, stderr: stderr.split('\n').filter((l) => !l.startsWith('{')).join('\n') };
    expect(r.status, stderr).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DISCORD_TOKEN was refused by Discord/)]);
    expect(r.stderr).not.toContain('revoked-token');
  });

  it('stops with one line (78) naming DATABASE_URL, without its password, when the database is unusable', () => {
    const r = run({ DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9', INDEX_DIR: tempDir(), DATA_DIR: tempDir(), DATABASE_URL: 'postgresql://footnote:pw-9f8e7d@127.0.0.1:1/footnote' });
    expect(r.status).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATABASE_URL postgresql:\/\/footnote:\*\*\*@127\.0\.0\.1:1\/footnote can't be used: /)]);
    expect(r.stderr + r.stdout).not.toContain('pw-9f8e7d');
  });

  it('stops with one line (78) naming DATA_DIR when the database is read-only', () => {
    const data = tempDir();
    writeFileSync(`${data}/footnote.sqlite`, '');
    const view = readOnlyView(data);
    try {
      const r = run({ DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9', INDEX_DIR: tempDir(), DATA_DIR: view.path });
      expect(r.status).toBe(78);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATA_DIR/)]);
    } finally {
      view.release();
    }
  });

  it('never prints back a secret pasted into the wrong variable', () => {
    const secret = 'MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const r = run({ DISCORD_TOKEN: 'x', DISCORD_CLIENT_ID: secret });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/^DISCORD_CLIENT_ID must be a Discord id .*looks like a secret/);
    expect(r.stderr).not.toContain(secret.slice(0, 20));
  });

  it('stops with one line naming a bad variable', () => {
    const r = run({ DISCORD_TOKEN: 'x', ASK_COOLDOWN_SECONDS: 'soon' });
    expect(r.status).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ASK_COOLDOWN_SECONDS must be/)]);
  });

  it('stops with one line for a shard outside SHARD_COUNT, from npm start and from start:sharded', () => {
    const env = { DISCORD_TOKEN: 'x', SHARD_COUNT: '2', SHARD_IDS: '2' };
    for (const r of [run(env), spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/sharded.ts'], { encoding: 'utf8', cwd: root, env: { PATH: process.env.PATH!, ...env }, timeout: 60_000 })]) {
      expect(r.status).toBe(78);
      expect(r.stderr.trim().split('\n')).toEqual(['SHARD_IDS must be comma-separated shard numbers from 0 to 1 (SHARD_COUNT=2), got "2".']);
    }
  });
});

describe('npm start', () => {
  it('keeps answering after a rejection and a throw injected inside the bot process', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const dir = tempDir();
    const inject = `${dir}/inject.mjs`;
    // Fires on SIGUSR2, sent once the bot is ready (after every library added its listeners).
    writeFileSync(inject, "process.on('SIGUSR2', () => { Promise.reject(new Error('injected rejection')); setTimeout(() => { throw new Error('injected throw'); }, 10); });\n");
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', NODE_OPTIONS: `--import ${inject}`, DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, INDEX_DIR: tempDir(), DATA_DIR: tempDir(), ASK_COOLDOWN_SECONDS: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(/"msg":"ready/);
    child.kill('SIGUSR2');
    await waitFor(/injected throw/);
    expect(stderr).toMatch(/"msg":"unhandled rejection"/);
    expect(stderr).toMatch(/"msg":"uncaught exception"/);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode, stderr.slice(-2000)).toBeNull();
    const since = fake.requests.length;
    const { token } = fake.slash('ask', [{ name: 'question', type: 3, value: 'Who is Maria Zakharova?' }]);
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(token), { since, timeout: 20_000 });
    expect(edit.body.embeds[0].description).toMatch(/\[¶27\]/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('builds the index before logging in, logs one ready line, registers no commands, and stops cleanly on SIGTERM', async () => {
    const since = fake.requests.length; // deploy-commands above used the same fake
    const bot = spawnBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, INDEX_DIR: tempDir(), DATA_DIR: tempDir() });
    const lines = bot.lines;
    await bot.waitForLine((l) => /^ready/.test(l.msg ?? ''));
    const ready = lines.filter((l) => /^ready/.test(l.msg ?? ''));
    expect(ready, JSON.stringify(lines)).toHaveLength(1);
    expect(ready[0]).toMatchObject({ guilds: 1, model: expect.stringMatching(/^minilm-embedder@/) });
    const rebuilt = lines.findIndex((l) => l.msg === 'index rebuilt');
    expect(rebuilt).toBeGreaterThanOrEqual(0);
    expect(rebuilt).toBeLessThan(lines.indexOf(ready[0]));
    expect(fake.requests.slice(since).some((r) => r.path.includes('/commands'))).toBe(false);
    expect(await bot.stop()).toBe(0);
  });
});
