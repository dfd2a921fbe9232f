import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('gives defaults for an empty environment', () => {
    const c = parseConfig({}, '/srv/footnote');
    expect(c.embedding.model).toBe('use-lite');
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

  it.each([
    ['ASK_COOLDOWN_SECONDS', 'soon', /ASK_COOLDOWN_SECONDS must be/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['DISCORD_GUILD_ID', 'abc', /DISCORD_GUILD_ID must be a Discord id/],
    ['ALLOWED_CHANNEL_IDS', '1,2', /ALLOWED_CHANNEL_IDS must be/],
    ['EMBEDDING_MODEL', 'not a model!', /EMBEDDING_MODEL must be/],
    ['EMBEDDING_OFFLINE', 'maybe', /EMBEDDING_OFFLINE must be true or false/],
    ['DISCORD_API_URL', 'ftp://x', /DISCORD_API_URL must be/],
  ])('stops with one line naming %s when it is %s', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });
});
