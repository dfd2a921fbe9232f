/** Start-up of a bot process (`npm start`, `npm run start:sharded`): one failure policy for both. */
import { loadConfig, type Config } from '../config.js';
import { EXIT, ExitError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The parsed config, or one line on stderr and exit 78. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(EXIT.config);
  }
}

/**
 * Ends a failed start-up with one line and a documented status: an ExitError's own, 78 for a token
 * Discord refuses, 70 for anything unexpected (whose stack goes to the log at debug level).
 */
export function exitOnStartupError(err: unknown, logger: Logger, hint = 'LOG_LEVEL=debug shows the details'): never {
  if (err instanceof ExitError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err.exitCode);
  }
  if ((err as { code?: unknown }).code === 'TokenInvalid' || (err as { status?: unknown }).status === 401) {
    process.stderr.write('DISCORD_TOKEN was refused by Discord: reset the bot token in the Developer Portal and put it in .env.\n');
    process.exit(EXIT.config);
  }
  logger.debug({ err }, 'start-up failed');
  process.stderr.write(`Start-up failed: ${(err as Error).message ?? String(err)} (${hint}).\n`);
  process.exit(EXIT.software);
}

/**
 * SIGINT and SIGTERM run `stop` once, then exit 0. A shard process spawned by the ShardingManager also
 * stops when the manager is gone (its IPC channel closes): a shard left running on its own would answer
 * every question a second time once the manager is restarted with new shards.
 */
export function exitOnSignals(logger: Logger, stop: () => Promise<unknown>, { managed = false } = {}): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  if (managed) {
    process.once('disconnect', () => shutdown('the ShardingManager is gone'));
    if (!process.connected) shutdown('the ShardingManager is gone');
  }
}
