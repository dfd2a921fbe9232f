/** One structured logger (pino, JSON lines) writing to stderr, so stdout stays clean for CLI output. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/**
 * Never logged: tokens in any field, request bodies of failed Discord calls, and interaction tokens in
 * request URLs (`/interactions/<id>/<token>/…`, `/webhooks/<app>/<token>/…`), valid for 15 minutes.
 */
const REDACT = {
  paths: ['token', '*.token', 'authorization', '*.authorization', '*.headers.authorization', 'err.requestBody', 'err.rawError.requestBody', '*.requestBody', 'config.discord.token'],
  censor: '[redacted]',
};

export function redactUrl(text: string): string {
  return text.replace(/(\/(?:interactions\/\d+|webhooks\/\d+)\/)[\w.-]{20,}/g, '$1[redacted]');
}

export function createLogger(level: LogLevel = 'info', destination: NodeJS.WritableStream | number = 2): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: REDACT,
      hooks: {
        // Interaction tokens ride in URLs, inside error messages and stacks: scrub every string argument.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactUrl(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const e = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
          for (const k of ['message', 'stack', 'url', 'path']) if (typeof e[k] === 'string') e[k] = redactUrl(e[k] as string);
          delete e.requestBody;
          return e;
        },
      },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}
