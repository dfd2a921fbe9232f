/**
 * The operators' HTTP server (node:http, off unless METRICS_PORT is set): `GET /metrics` in the Prometheus
 * text format and `GET /healthz`, 200 when the bot can answer and 503 with a one-line reason when not.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config.js';
import type { Logger } from '../logger.js';
import type { ShardView } from './metrics.js';

export interface Health {
  ok: boolean;
  /** One line: what is ready, or the first thing that is not. */
  reason: string;
}

export interface OpsSources {
  metrics(): Promise<{ contentType: string; text: string }>;
  health(): Promise<Health> | Health;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Healthy only when the index is loaded and every shard this process owns is Ready. `owned` is undefined
 * while the shard ids are not known yet (SHARD_COUNT=auto before Discord has answered).
 */
export function shardHealth(indexLoaded: boolean, owned: readonly number[] | undefined, shards: readonly ShardView[]): Health {
  if (!indexLoaded) return { ok: false, reason: 'index not loaded yet' };
  if (!owned) return { ok: false, reason: 'shards not started yet' };
  for (const id of owned) {
    const shard = shards.find((s) => s.id === id);
    if (!shard) return { ok: false, reason: `shard ${id} not connected` };
    if (shard.status !== 'Ready') return { ok: false, reason: `shard ${id} not ready (${shard.status})` };
  }
  return { ok: true, reason: `ok: index loaded, shard${owned.length === 1 ? '' : 's'} ${owned.join(', ')} ready` };
}

/** Listens on host:port; a port in use or not allowed is a ConfigError naming METRICS_PORT / METRICS_HOST. */
export async function startOpsServer(port: number, host: string, sources: OpsSources, logger: Logger): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'Only GET and HEAD.\n');
    void (async () => {
      try {
        if (path === '/metrics') {
          const m = await sources.metrics();
          return send(200, m.contentType, m.text);
        }
        if (path === '/healthz') {
          const h = await sources.health();
          return send(h.ok ? 200 : 503, 'text/plain; charset=utf-8', `${h.reason}\n`);
        }
        send(404, 'text/plain; charset=utf-8', 'Not found: try /metrics or /healthz.\n');
      } catch (err) {
        logger.error({ err, path }, 'ops endpoint failed');
        send(500, 'text/plain; charset=utf-8', 'internal error\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : err.code === 'EACCES' ? 'is not allowed for this user' : `can't be used (${err.code ?? err.message})`;
      const name = err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? `METRICS_HOST ${host}` : `METRICS_PORT ${port} on ${host}`;
      reject(new ConfigError(`${name} ${why}: choose another METRICS_PORT or METRICS_HOST, or unset METRICS_PORT to turn metrics off.`));
    });
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  logger.info({ host, port: actual }, `metrics on http://${host.includes(':') ? `[${host}]` : host}:${actual}/metrics, health on /healthz`);
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
