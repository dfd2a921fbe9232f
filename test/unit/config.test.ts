import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('gives defaults for an empty environment', () => {
    const c = parseConfig({}, '/srv/footnote');
    expect(c.embedding.model).toBe('minilm-embedder');
    expect(c.indexDir).toBe('/srv/footnote/embeddings');
    expect(c.discord.apiUrl).toBe('https://discord.com/api');
    expect(c.discord.askCooldownSeconds).toBe(5);
    expect(c.discord.allowedChannelIds).toEqual([]);
  });

  it('parses every variable', () => {
    const c = parseConfig({
      EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2',
      EMBEDDING_OFFLINE: 'true',
      ALLOWED_CHANNEL_IDS: '123456789012345678, 223456789012345678',
      ASK_COOLDOWN_SECONDS: '0',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      LOG_LEVEL: 'debug',
      DISCORD_GUILD_ID: '323456789012345678',
    });
    expect(c.embedding).toMatchObject({ model: 'Xenova/all-MiniLM-L6-v2', offline: true });
    expect(c.discord.allowedChannelIds).toHaveLength(2);
    expect(c.discord.askCooldownSeconds).toBe(0);
    expect(c.discord.apiUrl).toBe('http://127.0.0.1:9999/api');
    expect(c.logLevel).toBe('debug');
  });

  it('takes a PostgreSQL DATABASE_URL and a retention period (90 days by default)', () => {
    expect(parseConfig({}).database).toEqual({ url: undefined, retentionDays: 90 });
    expect(parseConfig({ DATABASE_URL: 'postgresql://f:pw@db:5432/footnote', RETENTION_DAYS: '30' }).database).toEqual({ url: 'postgresql://f:pw@db:5432/footnote', retentionDays: 30 });
  });

  it.each([
    ['ASK_COOLDOWN_SECONDS', 'soon', /ASK_COOLDOWN_SECONDS must be/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['DISCORD_GUILD_ID', 'abc', /DISCORD_GUILD_ID must be a Discord id/],
    ['ALLOWED_CHANNEL_IDS', '1,2', /ALLOWED_CHANNEL_IDS must be/],
    ['EMBEDDING_MODEL', 'not a model!', /EMBEDDING_MODEL must be/],
    ['EMBEDDING_OFFLINE', 'maybe', /EMBEDDING_OFFLINE must be true or false/],
    ['DISCORD_API_URL', 'ftp://x', /DISCORD_API_URL must be/],
    ['SHARD_COUNT', '0', /SHARD_COUNT must be auto or a whole number from 1/],
    ['RETENTION_DAYS', '0', /RETENTION_DAYS must be a whole number of days from 1/],
    ['DATABASE_URL', 'mysql://u:hunter2@h/db', /^DATABASE_URL must be a PostgreSQL URL like postgresql:\/\/user:password@host:5432\/footnote \(unset it to use SQLite in DATA_DIR\)\.$/],
    ['SHARD_COUNT', 'two', /SHARD_COUNT must be auto or a whole number/],
    ['SHARD_COUNT', '99999', /SHARD_COUNT must be auto or a whole number/],
    ['SHARD_IDS', '0', /SHARD_IDS needs SHARD_COUNT/],
    ['METRICS_PORT', '70000', /METRICS_PORT must be a TCP port from 0 to 65535/],
    ['METRICS_PORT', '90a', /METRICS_PORT must be a TCP port/],
    ['METRICS_HOST', 'not a host!', /METRICS_HOST must be an IP address or host name/],
    ['METRICS_HOST', '300.1.1.1', /METRICS_HOST must be/],
    ['ANSWER_CACHE_SIZE', '-1', /ANSWER_CACHE_SIZE must be a whole number of answers/],
    ['SHARD_SPAWN_DELAY_MS', '5.5s', /SHARD_SPAWN_DELAY_MS must be a whole number of milliseconds/],
  ])('stops with one line naming %s when it is %s', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    [{ SHARD_COUNT: '4', SHARD_IDS: '0,4' }, /SHARD_IDS must be comma-separated shard numbers from 0 to 3 \(SHARD_COUNT=4\), got "4"/],
    [{ SHARD_COUNT: '4', SHARD_IDS: '1,1' }, /SHARD_IDS lists shard 1 twice/],
    [{ SHARD_COUNT: 'auto', SHARD_IDS: '0' }, /SHARD_IDS needs SHARD_COUNT set to the total number of shards/],
    [{ SHARD_COUNT: '2', SHARD_IDS: '0,,1' }, /SHARD_IDS must be comma-separated/],
  ])('stops with one line for inconsistent sharding %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('runs every shard of SHARD_COUNT in one process unless SHARD_IDS picks some', () => {
    expect(parseConfig({}).sharding).toEqual({ count: 1, managed: false, spawnDelayMs: 5500 });
    expect(parseConfig({ SHARD_COUNT: 'auto', SHARD_SPAWN_DELAY_MS: '0' }).sharding).toEqual({ count: 'auto', managed: false, spawnDelayMs: 0 });
    expect(parseConfig({ SHARD_COUNT: '4', SHARD_IDS: '2, 3' }).sharding).toMatchObject({ count: 4, ids: [2, 3], managed: false });
  });

  it('takes its shard from the ShardingManager’s SHARDS and SHARD_COUNT in a spawned shard, read-only', () => {
    expect(parseConfig({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2', SHARD_IDS: '0,1' }).sharding).toMatchObject({ count: 2, ids: [1], managed: true });
    expect(() => parseConfig({ SHARDING_MANAGER: 'true', SHARDS: '[3]', SHARD_COUNT: '2' })).toThrow(/not valid shard numbers/);
  });

  it('keeps metrics off by default and on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(parseConfig({}).metrics).toEqual({ port: undefined, host: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '::1' }).metrics.host).toBe('::1');
    expect(parseConfig({ METRICS_PORT: '0', METRICS_HOST: 'metrics.internal' }).metrics).toEqual({ port: 0, host: 'metrics.internal' });
  });
});

describe('.env.example and the README', () => {
  it('list every variable the config reads (except the ShardingManager’s own SHARDING_MANAGER and SHARDS)', async () => {
    const { readFileSync } = await import('node:fs');
    const root = new URL('../../', import.meta.url);
    const source = readFileSync(new URL('src/config.ts', root), 'utf8');
    const read = new Set([...source.matchAll(/\b(?:get|snowflake|bool)\('([A-Z_]+)'/g)].map((m) => m[1]!));
    read.delete('SHARDING_MANAGER');
    read.delete('SHARDS');
    expect(read.size).toBeGreaterThan(20);
    const example = readFileSync(new URL('.env.example', root), 'utf8');
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    for (const name of read) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(readme, name).toContain(`\`${name}\``);
    }
  });
});
