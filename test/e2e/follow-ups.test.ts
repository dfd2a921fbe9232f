import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, OPTION, PERMS } from '../helpers/fake-discord.js';
import { isCallback, isOriginalEdit, prepareHarness, startHarness, type Harness, type PreparedHarness } from '../helpers/bot-harness.js';

const { STRING, BOOLEAN } = OPTION;
const field = (embed: any, name: string) => embed.fields?.find((f: any) => f.name === name)?.value;

describe('follow-ups on Discord: the button, threads, replies, private answers and user installs', () => {
  let prepared: PreparedHarness;
  let h: Harness;
  beforeAll(async () => {
    prepared = await prepareHarness();
    h = await prepared.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** /ask, and the answer message once the bot has stored its conversation. */
  async function ask(question: string, opts: { private?: boolean } = {}) {
    const since = h.fake.requests.length;
    const options = [{ name: 'question', type: STRING, value: question }, ...(opts.private ? [{ name: 'private', type: BOOLEAN, value: true }] : [])];
    const { token } = h.fake.slash('ask', options);
    await h.fake.waitFor(isOriginalEdit(token), { since });
    const answer = h.fake.original(token);
    await waitForTurns(`answer:${answer.id}`);
    return answer;
  }

  async function waitForTurns(conversation: string, count = 1) {
    const deadline = Date.now() + 10_000;
    while ((await h.bot.ctx.store.turns(conversation)).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${count} turns in ${conversation}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Clicks Ask a follow-up under `answer` and submits the modal with `question`. */
  async function followUp(answer: any, question: string, opts: { appPermissions?: string } = {}) {
    let since = h.fake.requests.length;
    const click = h.fake.button('fn:followup', answer, opts);
    const modal = await h.fake.waitFor(isCallback(click.id), { since });
    expect(modal.body.type).toBe(9); // MODAL
    const input = modal.body.data.components[0].components[0];
    expect(input).toMatchObject({ type: 4, custom_id: 'question', required: true, max_length: 500 });
    since = h.fake.requests.length;
    const submit = h.fake.modalSubmit(modal.body.data.custom_id, { question }, answer, opts);
    const final = await h.fake.waitFor(isOriginalEdit(submit.token), { since });
    return { since, submit, final };
  }

  it('offers Ask a follow-up under every answer', async () => {
    const answer = await ask('how long did putin speak at the news conference');
    expect(answer.components.flatMap((r: any) => r.components.map((b: any) => b.label))).toContain('Ask a follow-up');
  });

  it('opens a thread on the answer for a follow-up, answers there in its light, and reuses the thread', async () => {
    const answer = await ask('how long did putin speak at the news conference');
    const { since, final } = await followUp(answer, 'and trump?');
    const opened = h.fake.after(since, (r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages/${answer.id}/threads`);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body.name).toBe('and trump?');
    const threadId = answer.id; // a thread started from a message has the message's id
    const posted = h.fake.after(since, (r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`);
    expect(posted).toHaveLength(1);
    const embed = posted[0]!.body.embeds[0];
    expect(embed.title).toBe('❓ and trump?');
    expect(embed.description).toMatch(/three minutes/);
    expect(field(embed, 'Follow-up to')).toBe('how long did putin speak at the news conference');
    expect(posted[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(final.body.content).toBe(`Answered in <#${threadId}>.`);
    const deferred = h.fake.after(since, (r) => r.method === 'POST' && r.path.includes('/callback'));
    expect(deferred.at(-1)!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    await waitForTurns(`thread:${threadId}`, 2);

    // A mention in the thread follows the thread's conversation.
    let mark = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> where did trump and putin last meet in person before anchorage`, { mentionBot: true, channelId: threadId });
    await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`, { since: mark });
    await waitForTurns(`thread:${threadId}`, 3);
    mark = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> when was that?`, { mentionBot: true, channelId: threadId });
    const when = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`, { since: mark });
    expect(when.body.embeds[0].description).toMatch(/2019/);
    expect(field(when.body.embeds[0], 'Follow-up to')).toBe('where did trump and putin last meet in person before anchorage');

    // A second follow-up from the same answer goes to the same thread.
    const again = await followUp(answer, 'and how long did putin speak?');
    expect(h.fake.after(again.since, (r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`)).toHaveLength(1);
    expect(again.final.body.content).toBe(`Answered in <#${threadId}>.`);
  });

  it('answers a reply with the ping on, outside a thread, as a follow-up to the answer it replies to', async () => {
    const answer = await ask('how long did putin speak at the news conference');
    const since = h.fake.requests.length;
    const reply = h.fake.userMessage('and trump?', { mentionBot: true, replyTo: answer });
    const sent = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    expect(sent.body.message_reference.message_id).toBe(reply.id);
    expect(sent.body.embeds[0].description).toMatch(/three minutes/);
    expect(field(sent.body.embeds[0], 'Follow-up to')).toBe('how long did putin speak at the news conference');
  });

  it('answers a mention that replies to nothing on its own', async () => {
    const since = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> and trump?`, { mentionBot: true });
    const sent = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    expect(field(sent.body.embeds[0], 'Follow-up to')).toBeUndefined();
  });

  it('answers the modal privately under a private answer, with no thread', async () => {
    const answer = await ask('how long did putin speak at the news conference', { private: true });
    expect(answer.flags & 64).toBe(64);
    const { since, final } = await followUp(answer, 'and trump?');
    expect(h.fake.after(since, (r) => r.path.endsWith('/threads'))).toHaveLength(0);
    expect(final.body.embeds[0].description).toMatch(/three minutes/);
    expect(field(final.body.embeds[0], 'Follow-up to')).toBe('how long did putin speak at the news conference');
    const defer = h.fake.after(since, (r) => r.method === 'POST' && r.path.includes('/callback'));
    expect(defer.at(-1)!.body.data.flags & 64).toBe(64);
  });

  it('keeps the conversation when a private answer is posted publicly', async () => {
    const answer = await ask('how long did putin speak at the news conference', { private: true });
    const since = h.fake.requests.length;
    h.fake.button('fn:public', answer);
    const posted = await h.fake.waitFor((r) => r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path), { since });
    expect(posted.body.embeds[0].title).toBe('❓ how long did putin speak at the news conference');
    const copy = [...h.fake.messages.values()].filter((m) => m.embeds?.[0]?.title === posted.body.embeds[0].title && !(m.flags & 64)).at(-1);
    await waitForTurns(`answer:${copy.id}`);
    const reply = h.fake.requests.length;
    h.fake.userMessage('and trump?', { mentionBot: true, replyTo: copy });
    const sent = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since: reply });
    expect(sent.body.embeds[0].description).toMatch(/three minutes/);
  });

  it('answers privately, with a note, when it may not open threads in the channel', async () => {
    const answer = await ask('how long did putin speak at the news conference');
    const { since, final } = await followUp(answer, 'and trump?', { appPermissions: PERMS.botNoThreads });
    expect(h.fake.after(since, (r) => r.path.endsWith('/threads'))).toHaveLength(0);
    expect(final.body.content).toMatch(/Create Public Threads/);
    expect(final.body.embeds[0].description).toMatch(/three minutes/);
  });

  it('answers privately, without losing the question, when the thread is locked', async () => {
    const answer = await ask('how long did putin speak at the news conference');
    await followUp(answer, 'and trump?');
    h.fake.lockedThreads.add(answer.id);
    const { since, final } = await followUp(answer, 'and trump?');
    expect(h.fake.after(since, (r) => r.method === 'POST' && r.path === `/channels/${answer.id}/messages`)).toHaveLength(1); // tried, refused
    expect(final.body.content).toMatch(/couldn’t post in the thread/);
    expect(final.body.embeds[0].description).toMatch(/three minutes/);
    expect(final.body.embeds[0].title).toBe('❓ and trump?');
  });

  it('answers /ask privately in a DM through a user install, without a pin button, and refuses to pin there', async () => {
    const since = h.fake.requests.length;
    const { id, token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'who is maria zakharova' }], { dm: true });
    const defer = await h.fake.waitFor(isCallback(id), { since });
    expect(defer.body.data.flags & 64).toBe(64);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    expect(edit.body.embeds[0].description).toMatch(/Zakharova/);
    const buttons = edit.body.components.flatMap((r: any) => r.components.map((b: any) => b.custom_id));
    expect(buttons).not.toContain('fn:pin');
    expect(buttons).toContain('fn:followup');
    // A user install used in a server that has not added Footnote: private too.
    const mark = h.fake.requests.length;
    const inServer = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'who is maria zakharova' }], { installs: ['user'] });
    expect((await h.fake.waitFor(isCallback(inServer.id), { since: mark })).body.data.flags & 64).toBe(64);
    // Ask a follow-up there: answered privately, saying why there is no thread.
    await h.fake.waitFor(isOriginalEdit(inServer.token), { since: mark });
    const fuMark = h.fake.requests.length;
    const form = h.fake.modalSubmit(`fn:ask-after:${h.fake.original(inServer.token).id}:o`, { question: 'where did she write' }, undefined, { installs: ['user'] });
    const privately = await h.fake.waitFor(isOriginalEdit(form.token), { since: fuMark });
    expect(privately.body.content).toMatch(/Threads need Footnote added to this server/);
    expect(h.fake.after(fuMark, (r) => r.path.endsWith('/threads'))).toHaveLength(0);
    const pinMark = h.fake.requests.length;
    const pin = h.fake.button('fn:pin', h.fake.original(token), { dm: true });
    const refused = await h.fake.waitFor(isCallback(pin.id), { since: pinMark });
    expect(refused.body.data.content).toMatch(/only in a server that has added Footnote/);
  });

  it('keeps a thread’s conversation across a restart of the bot', async () => {
    const answer = await ask('where did trump and putin last meet before alaska');
    await followUp(answer, 'who is mick mulroy');
    const threadId = answer.id;
    await waitForTurns(`thread:${threadId}`, 2);
    await h.bot.stop();
    h = { ...h, bot: (await prepared.start()).bot };
    const since = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> what did he say about flattery`, { mentionBot: true, channelId: threadId });
    const sent = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`, { since, timeout: 20_000 });
    expect(sent.body.embeds[0].description).toMatch(/Flattery doesn’t work/);
    expect(field(sent.body.embeds[0], 'Follow-up to')).toBe('who is mick mulroy');
  });
});

describe('the cooldown covers follow-ups', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ASK_COOLDOWN_SECONDS: '60' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses a follow-up asked right after a question, privately, and keeps the modal text out of any answer', async () => {
    let since = h.fake.requests.length;
    const { token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'how long did putin speak at the news conference' }]);
    await h.fake.waitFor(isOriginalEdit(token), { since });
    since = h.fake.requests.length;
    const submit = h.fake.modalSubmit(`fn:ask-after:${h.fake.original(token).id}:o`, { question: 'and trump?' }, h.fake.original(token));
    const cb = await h.fake.waitFor(isCallback(submit.id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/Easy there/);
    expect(h.fake.after(since, (r) => r.path.endsWith('/threads'))).toHaveLength(0);
  });
});
