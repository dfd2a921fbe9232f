import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemptInteractionWebhooks, isInteractionWebhook } from '../../src/bot/rest.js';

describe('interaction webhooks and the global rate limit', () => {
  let server: Server;
  const seen: string[] = [];
  let api = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? 'no-auth'}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('recognises requests on an interaction’s webhook sent without the bot token', () => {
    expect(isInteractionWebhook({ fullRoute: '/webhooks/900000000000000001/tok-abc/messages/@original', auth: false })).toBe(true);
    expect(isInteractionWebhook({ fullRoute: '/webhooks/900000000000000001/tok-abc', auth: false })).toBe(true);
    expect(isInteractionWebhook({ fullRoute: '/webhooks/900000000000000001/tok-abc/messages/@original', auth: true })).toBe(false);
    expect(isInteractionWebhook({ fullRoute: '/channels/900000000000000003/messages', auth: false })).toBe(false);
  });

  it('sends interaction webhook edits without spending the bot’s global budget; bot requests still spend it', async () => {
    const rest = new REST({ api, globalRequestsPerSecond: 50 }).setToken('bot-token');
    exemptInteractionWebhooks(rest);
    await rest.get('/channels/900000000000000003/messages'); // starts the one-second global window
    const budget = rest.globalRemaining;
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => rest.patch(`/webhooks/900000000000000001/tok-${i}/messages/@original`, { body: { content: 'answer' }, auth: false })),
    );
    expect(rest.globalRemaining).toBe(budget);
    await rest.post('/channels/900000000000000003/messages', { body: { content: 'reply' } });
    expect(rest.globalRemaining).toBe(budget - 1);
    // Nothing else changes: the edits went out, without the bot token, to the same API.
    const edits = seen.filter((s) => s.startsWith('PATCH /api/v10/webhooks/'));
    expect(edits).toHaveLength(5);
    for (const e of edits) expect(e).toMatch(/ no-auth$/);
    expect(seen.find((s) => s.startsWith('POST /api/v10/channels/'))).toMatch(/ Bot bot-token$/);
  });
});
