/**
 * The Discord side of the load benchmark, in its own process (forked by scripts/bench.ts) so that the fake
 * Discord and the load it makes do not share the bot's event loop or CPU time slices the way a remote
 * Discord would not. It starts the sharding fake Discord, then on request fires a burst of /ask
 * interactions at a fixed concurrency, from a different user each, across guilds on every shard, and times
 * each from the moment it is sent to the gateway until the acknowledgement (interaction callback) and the
 * answer (edit of @original) arrive.
 *
 * IPC: → { type: 'ready', apiUrl }; ← { type: 'burst', questions, n, concurrency } → { type: 'result', … };
 * ← { type: 'close' }.
 */
import { FakeDiscord, IDS, OPTION, type RecordedRequest } from '../test/helpers/fake-discord.js';

export interface BurstRequest {
  type: 'burst';
  questions: string[];
  n: number;
  concurrency: number;
}

export interface BurstResult {
  type: 'result';
  n: number;
  seconds: number;
  /** Per question, in ms from the interaction sent: acknowledgement and answer. */
  ack: number[];
  answer: number[];
  /** Interactions whose answer never arrived within the timeout. */
  lost: number;
  /** CPU time this driver process (fake Discord + load) used during the burst, in seconds. */
  driverCpu: number;
}

const shards = Number(process.argv[2] ?? '1');
const fake = await new FakeDiscord({ shards, guilds: [IDS.guild, IDS.guild2] }).start();

// Interaction id → when its callback arrived; token → when its answer arrived.
const waiting = new Map<string, (at: number) => void>();
fake.events.on('request', (r: RecordedRequest) => {
  const now = performance.now();
  let m: RegExpMatchArray | null;
  if (r.method === 'POST' && (m = r.path.match(/^\/interactions\/(\d+)\//))) waiting.get(`ack:${m[1]}`)?.(now);
  else if (r.method === 'PATCH' && (m = r.path.match(/^\/webhooks\/\d+\/([^/]+)\/messages\/(%40|@)original$/))) waiting.get(`answer:${m[1]}`)?.(now);
  // Keep the fake's own records bounded over long runs.
  if (fake.requests.length > 2000) fake.requests.splice(0, 1000);
  if (fake.messages.size > 2000) fake.messages.clear();
});

function arrival(key: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(key);
      resolve(undefined);
    }, timeoutMs);
    waiting.set(key, (at) => {
      clearTimeout(timer);
      waiting.delete(key);
      resolve(at);
    });
  });
}

let userSeq = 0n;
async function burst({ questions, n, concurrency }: BurstRequest): Promise<BurstResult> {
  const ack: number[] = [];
  const answer: number[] = [];
  let lost = 0;
  let next = 0;
  const guilds = [IDS.guild, IDS.guild2];
  const one = async () => {
    while (next < n) {
      const i = next++;
      userSeq++;
      const t0 = performance.now();
      // The ids are known only once slash() has sent the event; waiting on them just after is still in time,
      // since no reply can arrive before this function yields.
      const { id, token } = fake.slash('ask', [{ name: 'question', type: OPTION.STRING, value: questions[i % questions.length]! }], {
        guildId: guilds[i % guilds.length],
        userId: String(BigInt(IDS.user) + 1000n + userSeq),
      });
      const [acked, answered] = await Promise.all([arrival(`ack:${id}`, 30_000), arrival(`answer:${token}`, 30_000)]);
      if (acked === undefined || answered === undefined) {
        lost++;
        continue;
      }
      ack.push(acked - t0);
      answer.push(answered - t0);
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, one));
  const used = process.cpuUsage(cpu);
  return { type: 'result', n, seconds: (performance.now() - start) / 1000, ack, answer, lost, driverCpu: (used.user + used.system) / 1e6 };
}

process.on('message', (msg: BurstRequest | { type: 'close' }) => {
  if (msg.type === 'burst') void burst(msg).then((r) => process.send!(r));
  if (msg.type === 'close') void fake.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', apiUrl: fake.apiUrl });
