import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, OPTION, PERMS } from '../helpers/fake-discord.js';
import { isCallback, isOriginalEdit, startHarness, type Harness } from '../helpers/bot-harness.js';
import { realArticle } from '../helpers/fixtures.js';

const { STRING, INTEGER, BOOLEAN } = OPTION;
const article = realArticle();

describe('the bot against a fake Discord', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Asks and returns the answer message as the fake stored it. */
  async function ask(question: string, opts: { private?: boolean } = {}) {
    const since = h.fake.requests.length;
    const options: any[] = [{ name: 'question', type: STRING, value: question }];
    if (opts.private) options.push({ name: 'private', type: BOOLEAN, value: true });
    const { token } = h.fake.slash('ask', options);
    await h.fake.waitFor(isOriginalEdit(token), { since });
    const message = h.fake.original(token);
    expect(message?.embeds).toHaveLength(1);
    return message;
  }

  const pins = (since: number) => h.fake.after(since, (r) => r.method === 'PUT' && r.path.includes('/pins/'));

  it('/summary returns a cited summary in article order', async () => {
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('summary', [{ name: 'length', type: STRING, value: 'short' }, { name: 'focus', type: STRING, value: 'sanctions' }]);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const embed = edit.body.embeds[0];
    expect(embed.title).toBe('Summary (short): sanctions');
    const lines = embed.description.split('\n');
    expect(lines).toHaveLength(3);
    const paras = lines.map((l: string) => Number(/\[¶(\d+)\]$/.exec(l)![1]));
    expect(paras).toEqual([...paras].sort((a, b) => a - b));
    for (const l of lines) expect(article.text.includes(l.replace(/^• /, '').replace(/ \[¶\d+\]$/, ''))).toBe(true);
  });

  it('/source shows a paragraph with its label, and explains a number out of range', async () => {
    let since = h.fake.requests.length;
    const ok = h.fake.slash('source', [{ name: 'paragraph', type: INTEGER, value: 6 }]);
    const edit = await h.fake.waitFor(isOriginalEdit(ok.token), { since });
    expect(edit.body.embeds[0].title).toBe('¶6 (photo caption)');
    expect(edit.body.embeds[0].description).toMatch(/Ukrainian soldiers walk/);
    expect(edit.body.embeds[0].description).toMatch(/Svet Jacqueline/);

    since = h.fake.requests.length;
    const bad = h.fake.slash('source', [{ name: 'paragraph', type: INTEGER, value: 99 }]);
    const cb = await h.fake.waitFor(isCallback(bad.id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/1 to 31/);
  });

  it('/source autocomplete finds paragraphs by words', async () => {
    const since = h.fake.requests.length;
    const { id } = h.fake.autocomplete('source', [{ name: 'paragraph', type: INTEGER, value: 'drone', focused: true }]);
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.type).toBe(8);
    expect(cb.body.data.choices.map((c: any) => c.value)).toEqual([25]);
    expect(cb.body.data.choices[0].name.length).toBeLessThanOrEqual(100);
  });

  it('/source autocomplete answers at once from memory with at most 25 choices, even for an empty box', async () => {
    const since = h.fake.requests.length;
    const { id } = h.fake.autocomplete('source', [{ name: 'paragraph', type: INTEGER, value: '', focused: true }]);
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.type).toBe(8); // the result itself: autocomplete can't be deferred
    expect(cb.body.data.choices).toHaveLength(25); // the article has 31 paragraphs
    // Nothing but the answer: no lookups against Discord before it.
    expect(h.fake.after(since).map((r) => `${r.method} ${r.path.split('/')[1]}`)).toEqual(['POST interactions']);
  });

  it('/help tells what Footnote knows', async () => {
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('help');
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const fields = Object.fromEntries(edit.body.embeds[0].fields.map((f: any) => [f.name, f.value]));
    expect(fields.Paragraphs).toBe('31');
    expect(fields['Embedding model']).toMatch(/minilm-embedder/);
  });

  it('answers a message that mentions the bot, in a reply, without the mention text', async () => {
    const since = h.fake.requests.length;
    const msg = h.fake.userMessage(`<@${IDS.bot}> Who is Maria Zakharova?`, { mentionBot: true });
    const reply = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    expect(reply.body.message_reference.message_id).toBe(msg.id);
    expect(reply.body.embeds[0].title).toBe('❓ Who is Maria Zakharova?');
    expect(reply.body.embeds[0].description).toMatch(/\[¶27\]/);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('answers a reply to Footnote that reads as a question, and quietly ignores a ping-only reply', async () => {
    const earlier = { id: '400000000000000001', channel_id: IDS.channel };
    let since = h.fake.requests.length;
    h.fake.userMessage('thanks, that helps!', { mentionBot: true, replyTo: earlier });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.after(since, (r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`)).toHaveLength(0);
    since = h.fake.requests.length;
    const follow = h.fake.userMessage('Who is Maria Zakharova?', { mentionBot: true, replyTo: earlier });
    const reply = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    expect(reply.body.message_reference.message_id).toBe(follow.id);
    expect(reply.body.embeds[0].title).toBe('❓ Who is Maria Zakharova?');
  });

  it('ignores messages that do not mention the bot', async () => {
    const since = h.fake.requests.length;
    h.fake.userMessage('Who is Maria Zakharova?');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.after(since, (r) => r.path.endsWith('/messages') && r.method === 'POST')).toHaveLength(0);
  });

  it('pins an answer when a moderator presses Pin, naming who pinned', async () => {
    const answer = await ask('Who is Steve Witkoff?');
    const since = h.fake.requests.length;
    const { id } = h.fake.button('fn:pin', answer, { userId: IDS.moderator });
    const pin = await h.fake.waitFor((r) => r.method === 'PUT' && r.path.includes('/pins/'), { since });
    expect(pin.path).toBe(`/channels/${IDS.channel}/messages/pins/${answer.id}`);
    const edited = h.fake.after(since, (r) => r.method === 'PATCH' && r.path === `/channels/${IDS.channel}/messages/${answer.id}`)[0]!;
    const fields = edited.body.embeds[0].fields;
    expect(fields.find((f: any) => f.name === 'Pinned by').value).toBe(`<@${IDS.moderator}>`);
    expect(fields.find((f: any) => f.name === 'Asked by').value).toBe(`<@${IDS.user}>`);
    await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes('original') && /Pinned/.test(r.body?.content ?? ''), { since });
    expect(h.fake.after(since, isCallback(id))[0]!.body.data.flags & 64).toBe(64);
  });

  it('says so when the answer is already pinned, without pinning again', async () => {
    const answer = await ask('Who is Steve Witkoff?');
    h.fake.messages.get(answer.id).pinned = true;
    const since = h.fake.requests.length;
    const { id } = h.fake.button('fn:pin', { ...answer, pinned: true }, { userId: IDS.moderator });
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.data.content).toMatch(/already pinned/);
    expect(pins(since)).toHaveLength(0);
  });

  it('refuses Pin from a member without Pin Messages, Manage Messages alone included, and pins nothing', async () => {
    for (const permissions of [PERMS.member, PERMS.manageOnly]) {
      const answer = await ask('Who is Steve Witkoff?');
      const since = h.fake.requests.length;
      const { id } = h.fake.button('fn:pin', answer, { userId: IDS.user, permissions });
      const cb = await h.fake.waitFor(isCallback(id), { since });
      expect(cb.body.data.flags & 64).toBe(64);
      expect(cb.body.data.content).toBe('Only moderators (members with Pin Messages in this channel) can pin answers.');
      await new Promise((r) => setTimeout(r, 200));
      expect(pins(since)).toHaveLength(0);
    }
  });

  it('lets a moderator with only Pin Messages pin', async () => {
    const answer = await ask('Who is Steve Witkoff?');
    const since = h.fake.requests.length;
    h.fake.button('fn:pin', answer, { userId: IDS.user, permissions: PERMS.pinOnly });
    const pin = await h.fake.waitFor((r) => r.method === 'PUT' && r.path.includes('/pins/'), { since });
    expect(pin.path).toBe(`/channels/${IDS.channel}/messages/pins/${answer.id}`);
  });

  it('tells the moderator which permission to grant when the bot cannot pin, Manage Messages alone included', async () => {
    for (const appPermissions of [PERMS.botNoPin, PERMS.botManageNoPin]) {
      const answer = await ask('Who is Steve Witkoff?');
      const since = h.fake.requests.length;
      const { id } = h.fake.button('fn:pin', answer, { userId: IDS.moderator, appPermissions });
      const cb = await h.fake.waitFor(isCallback(id), { since });
      expect(cb.body.data.content).toMatch(/Pin Messages/);
      expect(pins(since)).toHaveLength(0);
    }
  });

  it('explains the missing permission when Discord refuses the pin', async () => {
    const answer = await ask('Who is Steve Witkoff?');
    h.fake.pinError = { status: 403, code: 50013, message: 'Missing Permissions' };
    try {
      const since = h.fake.requests.length;
      h.fake.button('fn:pin', answer, { userId: IDS.moderator });
      const note = await h.fake.waitFor((r) => /Pin Messages/.test(r.body?.content ?? ''), { since });
      expect(note.method).toMatch(/PATCH|POST/);
    } finally {
      h.fake.pinError = undefined;
    }
  });

  it('posts a private answer publicly first, then pins it', async () => {
    const answer = await ask('Who is Steve Witkoff?', { private: true });
    expect(answer.flags & 64).toBe(64);
    const since = h.fake.requests.length;
    h.fake.button('fn:pin', answer, { userId: IDS.moderator });
    const pin = await h.fake.waitFor((r) => r.method === 'PUT' && r.path.includes('/pins/'), { since });
    const followUp = h.fake.after(since, (r) => r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path))[0]!;
    expect(followUp.body.flags ?? 0).toBe(0);
    expect(followUp.body.embeds[0].fields.some((f: any) => f.name === 'Pinned by')).toBe(true);
    expect(pin.path).not.toContain(answer.id);
  });

  it('pins from the message context menu, and refuses messages that are not Footnote answers', async () => {
    const answer = await ask('Who is Steve Witkoff?');
    let since = h.fake.requests.length;
    h.fake.messageCommand('Pin sourced answer', answer, { userId: IDS.moderator });
    await h.fake.waitFor((r) => r.method === 'PUT' && r.path.endsWith(`/pins/${answer.id}`), { since });

    const someone = h.fake.userMessage('just chatting');
    since = h.fake.requests.length;
    const { id } = h.fake.messageCommand('Pin sourced answer', someone, { userId: IDS.moderator });
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.data.content).toMatch(/Only Footnote/);
    expect(pins(since)).toHaveLength(0);
  });

  it('Post publicly sends the private answer to the channel', async () => {
    const answer = await ask('Who is Maria Zakharova?', { private: true });
    const since = h.fake.requests.length;
    h.fake.button('fn:public', answer);
    const post = await h.fake.waitFor((r) => r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path), { since });
    expect(post.body.flags ?? 0).toBe(0);
    expect(post.body.embeds[0].description).toBe(answer!.embeds[0]!.description);
    expect(post.body.embeds[0].description).toMatch(/\[¶\d+\]/);
    expect(post.body.components[0].components.map((b: any) => b.custom_id)).not.toContain('fn:public');
  });

  it('Show passages shows the full cited paragraphs, ephemerally', async () => {
    const answer = await ask('Who is Maria Zakharova?');
    const since = h.fake.requests.length;
    const { id, token } = h.fake.button('fn:passages', answer);
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    expect(edit.body.embeds[0].title).toMatch(/^¶27/);
    expect(edit.body.embeds[0].description).toBe(article.paragraphs[26]!.text);
  });

  it('records feedback once per user per answer in the store', async () => {
    const answer = await ask('Who is Maria Zakharova?');
    const vote = async (customId: string, userId: string) => {
      const since = h.fake.requests.length;
      const { id } = h.fake.button(customId, answer, { userId });
      return (await h.fake.waitFor(isCallback(id), { since })).body.data.content as string;
    };
    expect(await vote('fn:vote:up', IDS.user)).toMatch(/recorded/);
    expect(await vote('fn:vote:down', IDS.user)).toMatch(/already voted/);
    expect(await vote('fn:vote:down', IDS.moderator)).toMatch(/recorded/);
    const stats = await h.bot.ctx.store.stats(new Date(0));
    expect([stats.votesUp, stats.votesDown]).toEqual([1, 1]);
    // The 👎 is the one voted on: the answer shows among the voted-down questions, with its cited paragraph.
    const flagged = await h.bot.ctx.store.flagged(new Date(0), 0);
    expect(flagged.find((f) => f.id === answer.id)).toMatchObject({ question: 'Who is Maria Zakharova?', downVotes: 1, paragraphs: expect.arrayContaining([27]) });
  });
});

describe('cooldown and allowed channels', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ASK_COOLDOWN_SECONDS: '30', ALLOWED_CHANNEL_IDS: IDS.channel });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('asks a user to wait between questions, ephemerally', async () => {
    let since = h.fake.requests.length;
    const first = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Steve Witkoff?' }], { userId: IDS.moderator });
    await h.fake.waitFor(isOriginalEdit(first.token), { since });
    since = h.fake.requests.length;
    const second = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Maria Zakharova?' }], { userId: IDS.moderator });
    const cb = await h.fake.waitFor(isCallback(second.id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/ask again in \d+ s/);
  });

  it('makes /summary share the cooldown: spam gets ephemeral waits, and one summary', async () => {
    const spammer = '300000000000000001';
    let since = h.fake.requests.length;
    const first = h.fake.slash('summary', [], { userId: spammer });
    await h.fake.waitFor(isOriginalEdit(first.token), { since });
    for (let i = 0; i < 3; i++) {
      since = h.fake.requests.length;
      const again = h.fake.slash(i === 1 ? 'ask' : 'summary', i === 1 ? [{ name: 'question', type: STRING, value: 'Who is Steve Witkoff?' }] : [], { userId: spammer });
      const cb = await h.fake.waitFor(isCallback(again.id), { since });
      expect(cb.body.type).toBe(4); // a message, not a deferral: no work was started
      expect(cb.body.data.flags & 64).toBe(64);
      expect(cb.body.data.content).toMatch(/ask again in \d+ s/);
    }
  });

  it('tells a user who keeps pinging during the cooldown to wait once, then stays quiet', async () => {
    const pinger = '300000000000000002';
    let since = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> Who is Steve Witkoff?`, { mentionBot: true, userId: pinger });
    await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    since = h.fake.requests.length;
    for (let i = 0; i < 4; i++) h.fake.userMessage(`<@${IDS.bot}> Who is Maria Zakharova?`, { mentionBot: true, userId: pinger });
    const notice = await h.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`, { since });
    expect(notice.body.content).toMatch(/ask again in \d+ s/);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.fake.after(since, (r) => r.method === 'POST' && r.path === `/channels/${IDS.channel}/messages`)).toHaveLength(1);
  });

  it('points to the allowed channel elsewhere, and ignores mentions there', async () => {
    let since = h.fake.requests.length;
    const { id } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Steve Witkoff?' }], { channelId: IDS.otherChannel });
    const cb = await h.fake.waitFor(isCallback(id), { since });
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toContain(`<#${IDS.channel}>`);

    since = h.fake.requests.length;
    h.fake.userMessage(`<@${IDS.bot}> Who is Steve Witkoff?`, { mentionBot: true, channelId: IDS.otherChannel });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.after(since, (r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(0);
  });
});
