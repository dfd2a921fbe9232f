import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, OPTION } from '../helpers/fake-discord.js';
import { askRecorded, isCallback, isOriginalEdit, startHarness, type Harness } from '../helpers/bot-harness.js';
import { loadCommands } from '../../src/bot/commands.js';

const { INTEGER } = OPTION;
const MANAGE_MESSAGES = String(1n << 13n);

describe('the store behind the bot: outcomes, 👎 reasons, /gaps and /stats', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const ask = (question: string, userId: string = IDS.user) => askRecorded(h, question, userId);

  async function moderatorCommand(name: string, days?: number, userId: string = IDS.moderator) {
    const since = h.fake.requests.length;
    const options = days ? [{ name: 'days', type: INTEGER, value: days }] : [];
    const { id, token } = h.fake.slash(name, options, { userId });
    const cb = await h.fake.waitFor(isCallback(id), { since });
    return { cb, token, since };
  }

  it('records every answered and refused question with its outcome', async () => {
    const before = await h.bot.ctx.store.stats(new Date(0));
    await ask('Who is Maria Zakharova?');
    await ask('Who is the CEO of Tesla?');
    const after = await h.bot.ctx.store.stats(new Date(0));
    expect(after.asked - before.asked).toBe(2);
    expect(after.answered - before.answered).toBe(1);
    expect(after.refused - before.refused).toBe(1);
  });

  it('asks why after a 👎 and stores the reason picked', async () => {
    const answer = await ask('Who is Maria Zakharova?');
    let since = h.fake.requests.length;
    const vote = h.fake.button('fn:vote:down', answer);
    const cb = await h.fake.waitFor(isCallback(vote.id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/What was wrong/);
    const menu = cb.body.data.components[0].components[0];
    expect(menu.type).toBe(3);
    expect(menu.options.map((o: any) => o.label)).toEqual(['Wrong passage', "Doesn't answer the question", "The article doesn't cover this", 'Other']);
    since = h.fake.requests.length;
    const picked = h.fake.select(menu.custom_id, ['wrong-passage'], h.fake.original(vote.token));
    const update = await h.fake.waitFor(isCallback(picked.id), { since });
    expect(update.body.type).toBe(7);
    expect(update.body.data.content).toBe('Thanks, noted: wrong passage.');
    const stats = await h.bot.ctx.store.stats(new Date(0));
    expect(stats.reasons['wrong-passage']).toBe(1);
    expect(stats.votesDown).toBeGreaterThanOrEqual(1);
  });

  it('groups three wordings of one unanswered question in /gaps, privately, for a moderator', async () => {
    for (const q of ['How do I bake sourdough bread?', 'how do you make sourdough bread', 'sourdough bread recipe?']) {
      const m = await ask(q);
      expect(m.embeds[0].description).toMatch(/^\*\*The article doesn't say/);
    }
    const { cb, token, since } = await moderatorCommand('gaps', 1);
    expect(cb.body.data.flags & 64).toBe(64);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const text = edit.body.embeds[0].description as string;
    expect(text).toMatch(/\*\*1\. “sourdough bread recipe\?”\*\* — asked 3× \(3 refused\) · closest ¶\d+/);
    expect(text).toMatch(/also: “how do you make sourdough bread”, “How do I bake sourdough bread\?”/);
    expect(edit.body.embeds[0].title).toMatch(/^Coverage gaps, last 1 day/);
  });

  it('pages through /gaps with buttons', async () => {
    for (const q of ['Who is the CEO of Apple?', 'What is the capital of Peru?', 'Write me a haiku about cats', 'What is 17 times 3?', 'Who painted the Mona Lisa?', 'How do I change a car tyre?']) await ask(q);
    const { token, since } = await moderatorCommand('gaps', 1);
    const first = await h.fake.waitFor(isOriginalEdit(token), { since });
    expect(first.body.embeds[0].title).toMatch(/page 1 of \d/);
    const next = first.body.components.flatMap((row: any) => row.components).find((b: any) => b.label === 'Next ▶');
    const s2 = h.fake.requests.length;
    const page = h.fake.button(next.custom_id, h.fake.original(token), { userId: IDS.moderator });
    await h.fake.waitFor(isCallback(page.id), { since: s2 });
    const second = await h.fake.waitFor((r) => isOriginalEdit(page.token)(r) && r.body?.embeds, { since: s2 });
    expect(second.body.embeds[0].title).toMatch(/page 2 of/);
    expect(second.body.embeds[0].description).toMatch(/^\*\*6\. /);
  });

  it('shows /stats to a moderator: asked, answered, refused, votes with reasons, most cited paragraphs', async () => {
    const { token, since } = await moderatorCommand('stats', 7);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const fields = Object.fromEntries(edit.body.embeds[0].fields.map((f: any) => [f.name, f.value]));
    const s = await h.bot.ctx.store.stats(new Date(Date.now() - 7 * 86_400_000));
    expect(fields.Questions).toBe(`${s.asked} asked · ${s.answered} answered (${Math.round((s.answered / s.asked) * 100)}%) · ${s.refused} refused (${Math.round((s.refused / s.asked) * 100)}%)`);
    expect(fields.Votes).toMatch(/👎 \(wrong passage: 1\)/);
    expect(fields['Most cited paragraphs']).toMatch(/¶27/);
  });

  it('refuses /gaps and /stats to a member without Manage Messages, and registers them for moderators only', async () => {
    for (const name of ['gaps', 'stats']) {
      const { cb } = await moderatorCommand(name, undefined, IDS.user);
      expect(cb.body.data.flags & 64).toBe(64);
      expect(cb.body.data.content).toBe('Only moderators (members with Manage Messages) can see this.');
    }
    const commands = await loadCommands();
    for (const name of ['gaps', 'stats']) expect(commands.get(name)!.data.toJSON().default_member_permissions).toBe(MANAGE_MESSAGES);
  });
});
