import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy.js';
import { FakeDiscord, IDS } from '../helpers/fake-discord.js';
import { tempDir } from '../helpers/fixtures.js';

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
    expect(count).toBe(5);
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${IDS.app}/guilds/${IDS.guild}/commands`);
    expect(put).toBeDefined();
    const ask = put!.body.find((c: any) => c.name === 'ask');
    expect(ask.options[0]).toMatchObject({ name: 'question', required: true, max_length: 500 });
    const pin = put!.body.find((c: any) => c.name === 'Pin sourced answer');
    expect(pin.type).toBe(3);
    expect(pin.default_member_permissions).toBe(String(1n << 13n));
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

  it('stops with one line naming a bad variable', () => {
    const r = run({ DISCORD_TOKEN: 'x', ASK_COOLDOWN_SECONDS: 'soon' });
    expect(r.status).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ASK_COOLDOWN_SECONDS must be/)]);
  });
});

describe('npm start', () => {
  it('builds the index before logging in, logs one ready line, registers no commands, and stops cleanly on SIGTERM', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const since = fake.requests.length; // deploy-commands above used the same fake
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, INDEX_DIR: tempDir(), DATA_DIR: tempDir() },
    });
    const lines: any[] = [];
    let buffer = '';
    child.stderr.on('data', (d) => {
      buffer += String(d);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ text: line });
        }
      }
    });
    const deadline = Date.now() + 60_000;
    while (!lines.some((l) => /^ready/.test(l.msg ?? '')) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const ready = lines.filter((l) => /^ready/.test(l.msg ?? ''));
    expect(ready, JSON.stringify(lines)).toHaveLength(1);
    expect(ready[0]).toMatchObject({ guilds: 1, model: 'use-lite' });
    const rebuilt = lines.findIndex((l) => l.msg === 'index rebuilt');
    expect(rebuilt).toBeGreaterThanOrEqual(0);
    expect(rebuilt).toBeLessThan(lines.indexOf(ready[0]));
    expect(fake.requests.slice(since).some((r) => r.path.includes('/commands'))).toBe(false);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
