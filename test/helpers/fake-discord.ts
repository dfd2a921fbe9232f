/**
 * A fake Discord for end-to-end tests: REST v10 and a JSON gateway v10 on one port on 127.0.0.1. It shards
 * like Discord: GET /gateway/bot recommends `shards`, each IDENTIFY names its [id, count], and a guild's
 * events go only to the connection of the shard that owns it ((guild_id >> 22) % count; DMs to shard 0).
 * Enough of both for the real discord.js client: READY + GUILD_CREATE, interactions and their callbacks,
 * webhook edits and follow-ups, modals, channel messages, threads started from a message (THREAD_CREATE,
 * and in GUILD_CREATE after a reconnect), pins and command registration; server and user installs
 * (`authorizing_integration_owners`) and DMs. Every REST request is recorded for assertions.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  at: number;
  /** The label of a prefixed API base (`<url>/<label>/api`), so tests can tell several bots apart. */
  via?: string;
}

export const IDS = {
  app: '900000000000000001',
  bot: '900000000000000001',
  /** On shard 1 of 2 ((id >> 22) % 2 = 1). */
  guild: '900000000000000002',
  channel: '900000000000000003',
  /** A second guild, on shard 0 of 2, with its own channel. */
  guild2: '900000000004194306',
  channel2: '900000000004194307',
  otherChannel: '900000000000000004',
  user: '900000000000000010',
  /** A DM between users, where only a user install of Footnote works. */
  dmChannel: '900000000000000020',
  moderator: '900000000000000011',
} as const;

/** Application command option types, as interaction payloads carry them. */
export const OPTION = { STRING: 3, INTEGER: 4, BOOLEAN: 5 } as const;

/** Permission bitfields (decimal strings, as Discord sends them). */
export const PERMS = {
  member: String((1n << 10n) | (1n << 11n) | (1n << 16n)), // view, send, read history
  moderator: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n) | (1n << 51n)), // + manage messages, pin messages
  pinOnly: String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 51n)), // a member with pin messages but not manage messages
  manageOnly: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n)), // manage messages, no longer enough to pin
  botAll: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n) | (1n << 35n) | (1n << 38n) | (1n << 51n)), // + create public threads, send in threads, pin messages
  botNoThreads: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n) | (1n << 51n)),
  botNoPin: String((1n << 10n) | (1n << 11n) | (1n << 16n)),
  botManageNoPin: String((1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n)), // manage messages without pin messages
} as const;

let counter = 0n;
export function snowflake(): string {
  counter++;
  return String((BigInt(Date.now() - 1420070400000) << 22n) + counter);
}

const user = (id: string, name: string, bot = false) => ({ id, username: name, discriminator: '0', global_name: name, avatar: null, bot });

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Emits 'request' with each RecordedRequest as it arrives (for load drivers that can't poll). */
  readonly events = new EventEmitter();
  readonly messages = new Map<string, any>();
  /** Answer pins with this error instead of 204 (e.g. { status: 403, code: 50013 }). */
  pinError: { status: number; code: number; message: string } | undefined;
  /** Failures to answer the next edits of an interaction's original message with, in order (then 200). */
  readonly editFailures: { status: 500 | 429; retryAfter?: number }[] = [];
  /** IDENTIFY payloads received (op 2). */
  identifies = 0;
  /** The [id, count] of every IDENTIFY, in order. */
  readonly identified: [number, number][] = [];
  /** While set, IDENTIFY gets no READY (the shard stays connecting); `releaseReady()` sends them. */
  holdReady = false;
  #held: (() => void)[] = [];
  /** Each identified gateway connection → its shard. */
  #shardOf = new Map<WebSocket, [number, number]>();
  readonly shards: number;
  readonly guilds: string[];
  #server: Server;
  #wss: WebSocketServer;
  #sockets = new Set<WebSocket>();
  #seq = 0;
  #interactions = new Map<string, { channelId: string; ephemeral: boolean; originalId?: string }>();
  /** Threads started from a message (a thread has its starter message's id), by id. */
  readonly threads = new Map<string, any>();
  /** Threads that refuse new messages as a locked thread does (160005). */
  readonly lockedThreads = new Set<string>();
  port = 0;

  constructor({ shards = 1, guilds = [IDS.guild] as string[] } = {}) {
    this.shards = shards;
    this.guilds = guilds;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (ws) => this.#onSocket(ws));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  /** An API base whose requests are recorded with `via: label`. */
  apiUrlFor(label: string): string {
    return `${this.url}/${label}/api`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** Drops every gateway connection abruptly, as a network failure would. */
  dropGateway(): void {
    for (const ws of this.#sockets) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  get connected(): boolean {
    return this.#sockets.size > 0;
  }

  // ---------- gateway ----------
  #send(ws: WebSocket, payload: object): void {
    ws.send(JSON.stringify(payload));
  }

  /** The shard that owns a guild's events among `count` shards. */
  static shardOf(guildId: string | undefined, count: number): number {
    return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
  }

  /** Sends an event to the connection of the shard that owns its guild (shard 0 when it has none). */
  dispatch(t: string, d: object): void {
    const guildId = (d as { guild_id?: string }).guild_id;
    for (const [ws, [id, count]] of this.#shardOf) {
      if (FakeDiscord.shardOf(guildId, count) === id) this.#send(ws, { op: 0, t, s: ++this.#seq, d });
    }
  }

  /** Sends the READY events held back by `holdReady`. */
  releaseReady(): void {
    this.holdReady = false;
    for (const send of this.#held.splice(0)) send();
  }

  #onSocket(ws: WebSocket): void {
    this.#sockets.add(ws);
    ws.on('close', () => {
      this.#sockets.delete(ws);
      this.#shardOf.delete(ws);
    });
    this.#send(ws, { op: 10, d: { heartbeat_interval: 30_000 } });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.op === 1) this.#send(ws, { op: 11 });
      // A resume after a dropped connection is refused, so the client identifies again.
      if (msg.op === 6) this.#send(ws, { op: 9, d: false });
      if (msg.op === 2) {
        this.identifies++;
        const [id, count] = (msg.d?.shard ?? [0, 1]) as [number, number];
        this.identified.push([id, count]);
        // Discord's close codes: 4010 invalid shard, 4011 sharding required.
        if (!(id >= 0 && id < count)) return ws.close(4010, 'Invalid shard');
        if (count < this.shards) return ws.close(4011, 'Sharding required');
        const owned = this.guilds.filter((g) => FakeDiscord.shardOf(g, count) === id);
        const ready = () => {
          if (ws.readyState !== ws.OPEN) return;
          this.#shardOf.set(ws, [id, count]);
          this.#send(ws, {
            op: 0,
            t: 'READY',
            s: ++this.#seq,
            d: {
              v: 10,
              user: { ...user(IDS.bot, 'Footnote', true), verified: true, flags: 0 },
              guilds: owned.map((g) => ({ id: g, unavailable: true })),
              session_id: `fake-session-${id}`,
              resume_gateway_url: `ws://127.0.0.1:${this.port}`,
              shard: [id, count],
              application: { id: IDS.app, flags: 0 },
            },
          });
          for (const g of owned) this.#send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.#seq, d: this.#guild(g) });
        };
        if (this.holdReady) this.#held.push(ready);
        else ready();
      }
    });
  }

  /** The text channel questions are asked in, per guild. */
  static channelOf(guildId: string): string {
    return guildId === IDS.guild2 ? IDS.channel2 : IDS.channel;
  }

  #guild(guildId: string) {
    const channel = (id: string, name: string) => ({ id, type: 0, guild_id: guildId, name, position: 0, permission_overwrites: [], nsfw: false, parent_id: null });
    const channels = guildId === IDS.guild ? [channel(IDS.channel, 'general'), channel(IDS.otherChannel, 'random')] : [channel(FakeDiscord.channelOf(guildId), 'general')];
    return {
      id: guildId,
      name: 'Test server',
      icon: null,
      owner_id: IDS.moderator,
      unavailable: false,
      member_count: 3,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      roles: [{ id: guildId, name: '@everyone', permissions: PERMS.member, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels,
      members: [{ user: user(IDS.bot, 'Footnote', true), roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      emojis: [],
      stickers: [],
      voice_states: [],
      presences: [],
      threads: [...this.threads.values()].filter((t) => t.guild_id === guildId),
      stage_instances: [],
      guild_scheduled_events: [],
      premium_tier: 0,
      preferred_locale: 'en-US',
    };
  }

  // ---------- events the tests send ----------
  #interaction(type: number, data: object, opts: InteractionOptions = {}) {
    const id = snowflake();
    const token = `tok-${id}`;
    const userId = opts.userId ?? IDS.user;
    const dm = opts.dm === true;
    const guildId = opts.guildId ?? IDS.guild;
    const channelId = opts.channelId ?? (dm ? IDS.dmChannel : FakeDiscord.channelOf(guildId));
    // Who installed the app for this interaction: the server ("0"), the user ("1"), or both.
    const installs = opts.installs ?? (dm ? ['user'] : ['guild']);
    const owners = Object.fromEntries([...(installs.includes('guild') && !dm ? [['0', guildId]] : []), ...(installs.includes('user') ? [['1', userId]] : [])]);
    const member = {
      user: user(userId, userId === IDS.moderator ? 'mod' : 'member'),
      roles: [],
      permissions: opts.permissions ?? (userId === IDS.moderator ? PERMS.moderator : PERMS.member),
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    };
    const thread = this.threads.get(channelId);
    this.#interactions.set(token, { channelId, ephemeral: false });
    if (this.#interactions.size > 2000) this.#interactions.delete(this.#interactions.keys().next().value!); // bounded, for long benchmarks
    const payload = {
      id,
      application_id: IDS.app,
      type,
      token,
      version: 1,
      ...(dm ? {} : { guild_id: guildId, guild_locale: 'en-US' }),
      channel_id: channelId,
      channel: dm ? { id: channelId, type: 1, recipients: [user(userId, 'member')] } : (thread ?? { id: channelId, type: 0, guild_id: guildId, name: 'general' }),
      ...(dm ? { user: member.user } : { member }),
      app_permissions: opts.appPermissions ?? PERMS.botAll,
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: owners,
      context: dm ? (opts.botDm ? 1 : 2) : 0,
      data,
      ...(opts.message ? { message: opts.message } : {}),
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  slash(name: string, options: { name: string; type: number; value: unknown; focused?: boolean }[] = [], opts: InteractionOptions = {}) {
    return this.#interaction(2, { id: snowflake(), name, type: 1, options }, opts);
  }

  autocomplete(name: string, options: { name: string; type: number; value: unknown; focused?: boolean }[], opts: InteractionOptions = {}) {
    return this.#interaction(4, { id: snowflake(), name, type: 1, options }, opts);
  }

  button(customId: string, message: any, opts: InteractionOptions = {}) {
    return this.#interaction(3, { custom_id: customId, component_type: 2 }, { ...opts, message });
  }

  /** A choice in a string select menu (component type 3) on `message`. */
  select(customId: string, values: string[], message: any, opts: InteractionOptions = {}) {
    return this.#interaction(3, { custom_id: customId, component_type: 3, values }, { ...opts, message });
  }

  messageCommand(name: string, target: any, opts: InteractionOptions = {}) {
    return this.#interaction(2, { id: snowflake(), name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } }, opts);
  }

  /** A modal's submission (interaction type 5): its text fields' values, from a button on `message`. */
  modalSubmit(customId: string, fields: Record<string, string>, message?: any, opts: InteractionOptions = {}) {
    const components = Object.entries(fields).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] }));
    return this.#interaction(5, { custom_id: customId, components }, { ...opts, ...(message ? { message } : {}) });
  }

  /**
   * A user message in a channel; `mentionBot` lists the bot in `mentions` as Discord does. `replyTo` makes
   * it a reply to that message (type 19), which Discord sends with the replied-to author in `mentions`.
   */
  userMessage(content: string, opts: { userId?: string; guildId?: string; channelId?: string; mentionBot?: boolean; replyTo?: { id: string; channel_id: string } } = {}) {
    const guildId = opts.guildId ?? IDS.guild;
    const msg = {
      id: snowflake(),
      channel_id: opts.channelId ?? FakeDiscord.channelOf(guildId),
      guild_id: guildId,
      author: user(opts.userId ?? IDS.user, 'member'),
      member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: opts.mentionBot ? [user(IDS.bot, 'Footnote', true)] : [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: opts.replyTo ? 19 : 0,
      ...(opts.replyTo ? { message_reference: { message_id: opts.replyTo.id, channel_id: opts.replyTo.channel_id, guild_id: guildId } } : {}),
      flags: 0,
      components: [],
    };
    this.dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  // ---------- REST ----------
  #message(channelId: string, body: any, extra: object = {}) {
    const msg = {
      id: snowflake(),
      channel_id: channelId,
      author: user(IDS.bot, 'Footnote', true),
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      flags: body?.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      type: 0,
      ...extra,
    };
    this.messages.set(msg.id, msg);
    return msg;
  }

  #edit(id: string, body: any) {
    const old = this.messages.get(id);
    if (!old) return undefined;
    const updated = { ...old, ...Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => ['content', 'embeds', 'components'].includes(k))), edited_timestamp: new Date().toISOString() };
    this.messages.set(id, updated);
    return updated;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const prefix = url.pathname.match(/^(?:\/([\w-]+))?\/api\/v10/);
    const path = prefix ? url.pathname.slice(prefix[0].length) : url.pathname;
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = { method, path, query: url.searchParams, body, at: Date.now(), via: prefix?.[1] };
    this.requests.push(recorded);
    this.events.emit('request', recorded);

    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const empty = () => {
      res.writeHead(204);
      res.end();
    };
    let m: RegExpMatchArray | null;

    if (req.headers.authorization === 'Bot revoked-token') return json(401, { message: '401: Unauthorized', code: 0 });
    if (method === 'GET' && path === '/gateway/bot') {
      return json(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.shards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === 'POST' && (m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const state = this.#interactions.get(m[2]!);
      const data = body?.data ?? {};
      if (state && (body?.type === 4 || body?.type === 5)) {
        state.ephemeral = Boolean((data.flags ?? 0) & 64);
        const original = this.#message(state.channelId, { ...data, flags: data.flags ?? 0 }, { webhook_id: IDS.app });
        state.originalId = original.id;
      }
      if (url.searchParams.get('with_response') === 'true') {
        return json(200, { interaction: { id: m[1], type: 2 }, resource: { type: body?.type } });
      }
      return empty();
    }
    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original)$/))) {
      const state = this.#interactions.get(m[2]!);
      if (!state) return json(404, { message: 'Unknown Webhook', code: 10015 });
      if (method === 'DELETE') {
        if (state.originalId) this.messages.delete(state.originalId);
        return empty();
      }
      if (!state.originalId) {
        state.originalId = this.#message(state.channelId, { flags: state.ephemeral ? 64 : 0 }, { webhook_id: IDS.app }).id;
      }
      if (method === 'PATCH') {
        const failure = this.editFailures.shift();
        if (failure?.status === 500) return json(500, { message: 'Internal Server Error', code: 0 });
        if (failure?.status === 429) {
          const retryAfter = failure.retryAfter ?? 0.2;
          res.setHeader('retry-after', String(Math.ceil(retryAfter)));
          res.setHeader('x-ratelimit-scope', 'user');
          return json(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false });
        }
        return json(200, this.#edit(state.originalId, body));
      }
      return json(200, this.messages.get(state.originalId));
    }
    if (method === 'POST' && (m = path.match(/^\/webhooks\/(\d+)\/([^/]+)$/))) {
      const state = this.#interactions.get(m[2]!);
      if (!state) return json(404, { message: 'Unknown Webhook', code: 10015 });
      return json(200, this.#message(state.channelId, body, { webhook_id: IDS.app }));
    }
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      // Start Thread from Message: the thread gets the message's id; a second one is refused (160004).
      const [, parentId, messageId] = m;
      if (this.threads.has(messageId!)) return json(400, { message: 'A thread has already been created for this message', code: 160004 });
      const guildId = parentId === IDS.channel2 ? IDS.guild2 : IDS.guild;
      const thread = {
        id: messageId,
        type: 11,
        guild_id: guildId,
        parent_id: parentId,
        owner_id: IDS.bot,
        name: body?.name ?? 'thread',
        last_message_id: null,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        total_message_sent: 0,
        thread_metadata: { archived: false, auto_archive_duration: body?.auto_archive_duration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false },
      };
      this.threads.set(messageId!, thread);
      this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return json(201, thread);
    }
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      if (this.lockedThreads.has(m[1]!)) return json(400, { message: 'Thread is locked', code: 160005 });
      return json(200, this.#message(m[1]!, body));
    }
    if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const found = this.messages.get(m[2]!);
      return found && found.channel_id === m[1] ? json(200, found) : json(404, { message: 'Unknown Message', code: 10008 });
    }
    if (method === 'PATCH' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const edited = this.#edit(m[2]!, body);
      return edited ? json(200, edited) : json(404, { message: 'Unknown Message', code: 10008 });
    }
    if (method === 'POST' && path.match(/^\/channels\/(\d+)\/typing$/)) return empty();
    if (method === 'PUT' && (m = path.match(/^\/channels\/(\d+)\/(?:messages\/)?pins\/(\d+)$/))) {
      if (this.pinError) return json(this.pinError.status, { message: this.pinError.message, code: this.pinError.code });
      const msg = this.messages.get(m[2]!);
      if (msg) msg.pinned = true;
      return empty();
    }
    if (method === 'PUT' && path.match(/^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/)) {
      return json(200, (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: IDS.app, version: '1' })));
    }
    return json(404, { message: '404: Not Found', code: 0 });
  }

  // ---------- assertions ----------
  /** The original response message of an interaction, as stored after edits. */
  original(token: string): any {
    const id = this.#interactions.get(token)?.originalId;
    return id ? this.messages.get(id) : undefined;
  }

  /** Waits for a request matching `pred` made after request index `since`. */
  async waitFor(pred: (r: RecordedRequest) => boolean, { since = 0, timeout = 10_000 } = {}): Promise<RecordedRequest> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.requests.slice(since).find(pred);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.requests.slice(since).map((r) => `${r.method} ${r.path}`).join('\n  ');
        throw new Error(`No matching request within ${timeout} ms. Seen:\n  ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Requests made after `since` that match. */
  after(since: number, pred: (r: RecordedRequest) => boolean = () => true): RecordedRequest[] {
    return this.requests.slice(since).filter(pred);
  }
}

export interface InteractionOptions {
  userId?: string;
  /** In a DM (a private channel; `botDm` for the DM with the bot): no guild, the user instead of a member. */
  dm?: boolean;
  botDm?: boolean;
  /** Who installed Footnote for this interaction (default: the server, or the user in a DM). */
  installs?: ('guild' | 'user')[];
  /** The guild it happens in (IDS.guild by default); its channel is the guild's general channel. */
  guildId?: string;
  channelId?: string;
  permissions?: string;
  appPermissions?: string;
  message?: any;
}
