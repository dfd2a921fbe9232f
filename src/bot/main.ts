/**
 * `npm start`: parse config, load or build the index and warm the model, then log in. Never registers
 * commands (that is `npm run deploy-commands`).
 */
import { createLogger } from '../logger.js';
import { configOrExit, exitOnSignals, exitOnStartupError } from './process.js';
import { startBot, type RunningBot } from './start.js';

async function main(): Promise<void> {
  const config = configOrExit();
  // Every line of a process that runs some of the shards names them.
  const base = createLogger(config.logLevel);
  const logger = config.sharding.ids ? base.child({ shards: config.sharding.ids }) : base;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  let bot: RunningBot;
  try {
    bot = await startBot(config, logger);
  } catch (err) {
    exitOnStartupError(err, logger);
  }
  ownProcessHandlers(logger);
  exitOnSignals(logger, () => bot.stop(), { managed: config.sharding.managed });
}

/**
 * After every library has loaded (a library may add an unhandledRejection listener that re-throws), the
 * bot owns the process-level handlers: a stray rejection or exception is logged and the
 * bot keeps answering. It exits only for a configuration error at start-up or a signal.
 */
function ownProcessHandlers(logger: ReturnType<typeof createLogger>): void {
  process.removeAllListeners('unhandledRejection');
  process.removeAllListeners('uncaughtException');
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
}

await main();
