/**
 * `npm start`: parse config, load or build the index and warm the model, then log in. Never registers
 * commands (that is `npm run deploy-commands`).
 */
import { loadConfig, type Config } from '../config.js';
import { EXIT, ExitError } from '../errors.js';
import { createLogger } from '../logger.js';
import { startBot, type RunningBot } from './start.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(78);
  }
  // Every line of a process that runs some of the shards names them.
  const base = createLogger(config.logLevel);
  const logger = config.sharding.ids ? base.child({ shards: config.sharding.ids }) : base;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  let bot: RunningBot;
  try {
    bot = await startBot(config, logger);
  } catch (err) {
    if (err instanceof ExitError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(err.exitCode);
    }
    if ((err as { code?: unknown }).code === 'TokenInvalid' || (err as { status?: unknown }).status === 401) {
      process.stderr.write('DISCORD_TOKEN was refused by Discord: reset the bot token in the Developer Portal and put it in .env.\n');
      process.exit(EXIT.config);
    }
    // Unexpected: one line; the stack goes to the log at debug level.
    logger.debug({ err }, 'start-up failed');
    process.stderr.write(`Start-up failed: ${(err as Error).message ?? String(err)} (LOG_LEVEL=debug shows the details).\n`);
    process.exit(EXIT.software);
  }
  ownProcessHandlers(logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    bot.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * After every library has loaded (use-lite's TensorFlow.js adds an unhandledRejection listener that
 * re-throws), the bot owns the process-level handlers: a stray rejection or exception is logged and the
 * bot keeps answering. It exits only for a configuration error at start-up or a signal.
 */
function ownProcessHandlers(logger: ReturnType<typeof createLogger>): void {
  process.removeAllListeners('unhandledRejection');
  process.removeAllListeners('uncaughtException');
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
}

await main();
