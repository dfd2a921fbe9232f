/**
 * Configuration, parsed and validated once at start-up. This is the only module that reads
 * `process.env`; everything else receives a typed `Config`.
 */
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigurationError } from './errors.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** The committed embedder: a folder under EMBEDDING_LOCAL_MODEL_PATH (`models/`). */
export const DEFAULT_EMBEDDING_MODEL = 'minilm-embedder';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  articlePath: string;
  articleTitle: string;
  articleSource: string;
  indexDir: string;
  /** The answer model's weights (written by `npm run train`). */
  answerModelPath: string;
  /** The reader's folder (`models/minilm-reader`). */
  readerPath: string;
  /** Recent answers kept for word-for-word repeats (0 = none). */
  answerCacheSize: number;
  dataDir: string;
  /**
   * The store: SQLite under `dataDir` unless `url` (DATABASE_URL) names a PostgreSQL server. Recorded rows
   * older than `retentionDays` are swept daily.
   */
  database: { url?: string; retentionDays: number };
  logLevel: LogLevel;
  embedding: { model: string; cacheDir: string; localModelPath: string; offline: boolean };
  discord: {
    token?: string;
    clientId?: string;
    guildId?: string;
    apiUrl: string;
    allowedChannelIds: string[];
    askCooldownSeconds: number;
  };
  /**
   * Which gateway shards this process runs. `count` is the total over every process ('auto' = Discord's
   * recommendation); `ids` are the shards owned here (undefined = all of them). `managed` is true in a
   * process spawned by discord.js's ShardingManager (`npm run start:sharded`), which opens the index read-only.
   */
  sharding: {
    count: number | 'auto';
    ids?: number[];
    managed: boolean;
    /** `npm run start:sharded` waits this long between starting two shard processes (Discord's IDENTIFY pacing). */
    spawnDelayMs: number;
  };
  /** Prometheus metrics and the health check on a small HTTP server; off when `port` is undefined. */
  metrics: { port?: number; host: string };
}

/** A bad or missing setting. The message is one line naming the variable and what is allowed. */
export class ConfigError extends ConfigurationError {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A bad value as it may be shown in an error: quoted and cut short, or not at all when it looks like a
 * secret (a Discord token pasted into the wrong variable must not be printed back).
 */
export function shown(value: string): string {
  const tokenLike = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/.test(value) || (/^[\w.+/=-]{32,}$/.test(value) && /\d/.test(value) && /[a-zA-Z]/.test(value));
  if (tokenLike) return 'a value that looks like a secret (not shown)';
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function parseConfig(env: Env, root = process.cwd()): Config {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const snowflake = (name: string): string | undefined => {
    const v = get(name);
    if (v !== undefined && !/^\d{17,20}$/.test(v)) throw new ConfigError(`${name} must be a Discord id (17–20 digits), got ${shown(v)}.`);
    return v;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = get(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new ConfigError(`${name} must be true or false, got ${shown(v)}.`);
  };

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${shown(logLevel)}.`);

  const cooldownText = get('ASK_COOLDOWN_SECONDS') ?? '5';
  const askCooldownSeconds = Number(cooldownText);
  if (!/^\d+(\.\d+)?$/.test(cooldownText) || askCooldownSeconds > 3600) {
    throw new ConfigError(`ASK_COOLDOWN_SECONDS must be a number of seconds from 0 to 3600, got ${shown(cooldownText)}.`);
  }

  const cacheText = get('ANSWER_CACHE_SIZE') ?? '256';
  const answerCacheSize = Number(cacheText);
  if (!/^\d+$/.test(cacheText) || answerCacheSize > 100_000) {
    throw new ConfigError(`ANSWER_CACHE_SIZE must be a whole number of answers from 0 (off) to 100000, got ${shown(cacheText)}.`);
  }

  const apiUrl = get('DISCORD_API_URL') ?? 'https://discord.com/api';
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) throw new ConfigError(`DISCORD_API_URL must be an http(s) URL, got ${shown(apiUrl)}.`);

  const channels = (get('ALLOWED_CHANNEL_IDS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of channels) {
    if (!/^\d{17,20}$/.test(id)) throw new ConfigError(`ALLOWED_CHANNEL_IDS must be comma-separated Discord channel ids, got ${shown(id)}.`);
  }

  const model = get('EMBEDDING_MODEL') ?? DEFAULT_EMBEDDING_MODEL;
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(model)) {
    throw new ConfigError(`EMBEDDING_MODEL must be a model folder under EMBEDDING_LOCAL_MODEL_PATH (like ${DEFAULT_EMBEDDING_MODEL}) or a Hugging Face model id, got ${shown(model)}.`);
  }

  const token = get('DISCORD_TOKEN');
  if (token !== undefined && /\s/.test(token)) throw new ConfigError('DISCORD_TOKEN must not contain spaces.');

  const delayText = get('SHARD_SPAWN_DELAY_MS') ?? '5500';
  const spawnDelayMs = Number(delayText);
  if (!/^\d+$/.test(delayText) || spawnDelayMs > 60_000) {
    throw new ConfigError(`SHARD_SPAWN_DELAY_MS must be a whole number of milliseconds from 0 to 60000, got ${shown(delayText)}.`);
  }
  const sharding = { ...parseSharding(get), spawnDelayMs };

  const metricsPortText = get('METRICS_PORT');
  let metricsPort: number | undefined;
  if (metricsPortText !== undefined) {
    metricsPort = Number(metricsPortText);
    if (!/^\d{1,5}$/.test(metricsPortText) || metricsPort > 65535) {
      throw new ConfigError(`METRICS_PORT must be a TCP port from 0 to 65535 (0 = any free port; unset turns metrics off), got ${shown(metricsPortText)}.`);
    }
  }
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(?:ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    // Never echo the value back: it holds a password.
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL like postgresql://user:password@host:5432/footnote (unset it to use SQLite in DATA_DIR).');
  }
  const retentionText = get('RETENTION_DAYS') ?? '90';
  const retentionDays = Number(retentionText);
  if (!/^\d+$/.test(retentionText) || retentionDays < 1 || retentionDays > 3650) {
    throw new ConfigError(`RETENTION_DAYS must be a whole number of days from 1 to 3650, got ${shown(retentionText)}.`);
  }

  const metricsHost = get('METRICS_HOST') ?? '127.0.0.1';
  if (!isHost(metricsHost)) throw new ConfigError(`METRICS_HOST must be an IP address or host name to listen on (like 127.0.0.1 or 0.0.0.0), got ${shown(metricsHost)}.`);

  return {
    articlePath: resolve(root, get('ARTICLE_PATH') ?? 'data/article.txt'),
    articleTitle: get('ARTICLE_TITLE') ?? 'Trump and Putin meet in Alaska: no breakthrough on Ukraine',
    articleSource: get('ARTICLE_SOURCE') ?? 'The Wall Street Journal',
    indexDir: resolve(root, get('INDEX_DIR') ?? 'embeddings'),
    answerModelPath: resolve(root, get('ANSWER_MODEL_PATH') ?? 'data/model/answer-model.json'),
    readerPath: resolve(root, get('READER_PATH') ?? 'models/minilm-reader'),
    answerCacheSize,
    dataDir: resolve(root, get('DATA_DIR') ?? 'var'),
    database: { url: databaseUrl, retentionDays },
    logLevel,
    embedding: {
      model,
      cacheDir: resolve(root, get('EMBEDDING_CACHE_DIR') ?? '.cache/models'),
      localModelPath: resolve(root, get('EMBEDDING_LOCAL_MODEL_PATH') ?? 'models'),
      offline: bool('EMBEDDING_OFFLINE', true),
    },
    discord: {
      token,
      clientId: snowflake('DISCORD_CLIENT_ID'),
      guildId: snowflake('DISCORD_GUILD_ID'),
      apiUrl: apiUrl.replace(/\/+$/, ''),
      allowedChannelIds: channels,
      askCooldownSeconds,
    },
    sharding,
    metrics: { port: metricsPort, host: metricsHost },
  };
}

/** A host name or an IPv4/IPv6 address, as `server.listen(port, host)` takes it. */
function isHost(value: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(value)) return value.split('.').every((n) => Number(n) <= 255);
  if (/^[0-9a-f:]+$/i.test(value) && value.includes(':')) return true;
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value);
}

/** Discord allows far fewer; this only catches typos like an extra zero or two. */
const MAX_SHARDS = 4096;

/**
 * SHARD_COUNT and SHARD_IDS, or, in a process spawned by discord.js's ShardingManager, the SHARDS and
 * SHARD_COUNT it sets (SHARDING_MANAGER=true).
 */
function parseSharding(get: (name: string) => string | undefined): Omit<Config['sharding'], 'spawnDelayMs'> {
  if (get('SHARDING_MANAGER') === 'true') {
    let ids: unknown[] = [];
    try {
      ids = ([] as unknown[]).concat(JSON.parse(get('SHARDS') ?? '[]') as unknown);
    } catch {
      ids = [];
    }
    const count = Number(get('SHARD_COUNT'));
    if (ids.length === 0 || !ids.every((id) => Number.isInteger(id) && (id as number) < count) || !Number.isInteger(count) || count < 1) throw new ConfigError('SHARDS and SHARD_COUNT from the ShardingManager are not valid shard numbers.');
    return { count, ids: ids as number[], managed: true };
  }
  const countText = get('SHARD_COUNT');
  let count: number | 'auto' = 1;
  if (countText !== undefined) {
    if (countText.toLowerCase() === 'auto') count = 'auto';
    else if (/^\d+$/.test(countText) && Number(countText) >= 1 && Number(countText) <= MAX_SHARDS) count = Number(countText);
    else throw new ConfigError(`SHARD_COUNT must be auto or a whole number from 1 to ${MAX_SHARDS}, got ${shown(countText)}.`);
  }
  const idsText = get('SHARD_IDS');
  if (idsText === undefined) return { count, managed: false };
  if (typeof count !== 'number' || countText === undefined) {
    throw new ConfigError('SHARD_IDS needs SHARD_COUNT set to the total number of shards over all processes (a number, not auto).');
  }
  const parts = idsText.split(',').map((s) => s.trim());
  const ids: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) >= count) {
      throw new ConfigError(`SHARD_IDS must be comma-separated shard numbers from 0 to ${count - 1} (SHARD_COUNT=${count}), got ${shown(part)}.`);
    }
    if (ids.includes(Number(part))) throw new ConfigError(`SHARD_IDS lists shard ${part} twice.`);
    ids.push(Number(part));
  }
  return { count, ids, managed: false };
}

let loaded: Config | undefined;

/** Reads `.env` (without overriding the real environment) and parses the result, once per process. */
export function loadConfig(): Config {
  if (!loaded) {
    loadDotenv({ quiet: true });
    loaded = parseConfig(process.env);
  }
  return loaded;
}
