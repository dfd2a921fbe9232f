import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, PERMS } from '../helpers/fake-discord.js';
import { askRecorded, isCallback, prepareHarness, type Harness } from '../helpers/bot-harness.js';
import { realArticle, tempDir } from '../helpers/fixtures.js';

const article = realArticle();
const TAUGHT_QUESTION = 'what did trump tell zelensky';
const REWORDING = 'what was trumps advice to zelensky';
/** The sentence a moderator teaches for it. */
const ADVICE = 'offered advice to Zelensky';

const buttonsOf = (message: any) => message.components.flatMap((row: any) => row.components);
const confirmed = (message: any) => message.embeds[0].fields.find((f: any) => f.name === '✅ Answer confirmed by the moderators');

describe('moderators teach Footnote through the fake Discord', () => {
  let h: Harness;
  const dataDir = tempDir('fn-taught-');
  const indexDir = tempDir('fn-taught-index-');
  const env = { DATA_DIR: dataDir, INDEX_DIR: indexDir };
  beforeAll(async () => {
    h = await (await prepareHarness(env)).start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The bot's reply to a component or command interaction (its callback), and later edits of it. */
  async function callback(started: { id: string }, since: number) {
    return (await h.fake.waitFor(isCallback(started.id), { since })).body;
  }

  async function correctFromButton(answer: any, userId: string) {
    const since = h.fake.requests.length;
    const started = h.fake.button('fn:correct', answer, { userId });
    return callback(started, since);
  }

  it('lets a moderator correct an answer through another paragraph; another member asking a rewording gets the taught passage, marked as confirmed', async () => {
    const before = await askRecorded(h, REWORDING);
    expect(confirmed(before)).toBeUndefined();
    const answer = await askRecorded(h, TAUGHT_QUESTION);
    expect(buttonsOf(answer).some((b: any) => b.custom_id === 'fn:correct')).toBe(true);
    // The menu, privately: the passages shown, "the article doesn't say", another paragraph.
    const menu = await correctFromButton(answer, IDS.moderator);
    expect(menu.data.flags & 64).toBe(64);
    const select = menu.data.components[0].components[0];
    const values = select.options.map((o: any) => o.value);
    expect(values).toContain('refuse');
    expect(values).toContain('para');
    // "Another paragraph…" opens a form (a modal), then that paragraph's sentences.
    let since = h.fake.requests.length;
    const menuMessage = { id: '1', channel_id: IDS.channel, flags: 64, components: menu.data.components, embeds: [], author: { id: IDS.bot } };
    const picked = h.fake.select(select.custom_id, ['para'], menuMessage, { userId: IDS.moderator });
    const modal = await callback(picked, since);
    expect(modal.type).toBe(9);
    const token = select.custom_id.slice('fn:teach:'.length);
    const paragraph = article.paragraphs.find((p) => p.text.includes(ADVICE))!.n;
    since = h.fake.requests.length;
    const submitted = h.fake.modalSubmit(`fn:teach-para:${token}`, { paragraph: String(paragraph) }, menuMessage, { userId: IDS.moderator });
    const sentences = await callback(submitted, since);
    const sentenceMenu = sentences.data.components[0].components[0];
    const advice = sentenceMenu.options.find((o: any) => o.label.includes('Make a deal'));
    expect(advice).toBeDefined();
    since = h.fake.requests.length;
    const chosen = h.fake.select(sentenceMenu.custom_id, [advice.value], menuMessage, { userId: IDS.moderator });
    await callback(chosen, since);
    const done = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(chosen.token), { since });
    expect(done.body.content).toMatch(new RegExp(`^Taught: whoever asks this next, in any words, gets ¶${paragraph}\\.`));
    // Another member, other words: the taught passage, confirmed by the moderators.
    const after = await askRecorded(h, REWORDING);
    expect(after.embeds[0].description).toContain(ADVICE);
    expect(confirmed(after).value).toBe(`Taught as “${TAUGHT_QUESTION}” (a correction)`);
    expect(after.embeds[0].fields.find((f: any) => f.name === 'Confidence').value).toMatch(/^sure/);
    // The same question again, in other capitals, gets it too; a swap (another person) is not captured.
    expect(confirmed(await askRecorded(h, 'What did Trump tell Zelensky?'))).toBeDefined();
    const swap = await askRecorded(h, 'what did trump tell putin');
    expect(confirmed(swap)).toBeUndefined();
    // /taught lists it, with a Forget button.
    since = h.fake.requests.length;
    const list = h.fake.slash('taught', [], { userId: IDS.moderator });
    const listed = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(list.token), { since });
    expect(listed.body.embeds[0].description).toContain(`“${TAUGHT_QUESTION}”** → ¶${paragraph}`);
    expect(listed.body.components[0].components[0].custom_id).toMatch(/^fn:forget:[0-9a-f]+:0$/);
    // /stats counts it.
    since = h.fake.requests.length;
    const stats = h.fake.slash('stats', [], { userId: IDS.moderator });
    const shown = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(stats.token), { since });
    expect(shown.body.embeds[0].fields.find((f: any) => f.name === 'Taught').value).toMatch(/^1 answer taught by this server’s moderators/);
  });

  it('shows the question escaped in a correction menu, and pings no one', async () => {
    const answer = await askRecorded(h, 'who is heather conley (aei)');
    const menu = await correctFromButton(answer, IDS.moderator);
    expect(menu.data.content).toContain('“who is heather conley \\(aei\\)”');
    expect(menu.data.allowed_mentions).toMatchObject({ parse: [] });
  });

  it('does not let a member without Pin Messages or Manage Messages teach, by the button, the context menu or /taught', async () => {
    const answer = await askRecorded(h, 'Who is Heather Conley?');
    const byButton = await correctFromButton(answer, IDS.user);
    expect(byButton.data.content).toMatch(/^Only moderators/);
    expect(byButton.data.flags & 64).toBe(64);
    const since = h.fake.requests.length;
    const started = h.fake.messageCommand('Correct this answer', answer, { userId: IDS.user, permissions: PERMS.member });
    expect((await callback(started, since)).data.content).toMatch(/^Only moderators/);
    const s2 = h.fake.requests.length;
    const listed = h.fake.slash('taught', [], { userId: IDS.user });
    expect((await callback(listed, s2)).data.content).toMatch(/^Only moderators/);
    // Nothing was taught by them: only the first test's correction is there.
    expect(await h.bot.ctx.store.taught(IDS.guild)).toHaveLength(1);
  });

  it('answers a correction of a deleted answer, or of a message that is not Footnote’s, with a short private message', async () => {
    const answer = await askRecorded(h, 'Who is Heather Conley?');
    h.fake.messages.delete(answer.id);
    const gone = await correctFromButton(answer, IDS.moderator);
    expect(gone.data.content).toMatch(/^That answer is gone/);
    const someone = { id: '77', channel_id: IDS.channel, author: { id: IDS.user, username: 'member', discriminator: '0' }, content: 'hello', embeds: [], components: [], flags: 0, type: 0, timestamp: new Date().toISOString(), attachments: [], mentions: [], mention_roles: [], pinned: false, tts: false, mention_everyone: false };
    const since = h.fake.requests.length;
    const started = h.fake.messageCommand('Correct this answer', someone, { userId: IDS.moderator });
    const reply = await callback(started, since);
    expect(reply.data.content).toBe('Only Footnote’s own answers can be corrected.');
    expect(reply.data.flags & 64).toBe(64);
  });

  it('teaches a pinned answer: a rewording gets it, marked as taught from a pinned answer', async () => {
    const answer = await askRecorded(h, 'Who is Heather Conley?');
    expect(answer.embeds[0].description).toContain('Heather Conley');
    const since = h.fake.requests.length;
    h.fake.button('fn:pin', answer, { userId: IDS.moderator });
    const done = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes('original') && /Pinned/.test(r.body?.content ?? ''), { since });
    expect(done.body.content).toBe('Pinned. 📌 Taught: whoever asks this next, in any words, gets this answer.');
    const after = await askRecorded(h, 'who is conley');
    expect(confirmed(after).value).toBe('Taught as “Who is Heather Conley?” (a pinned answer)');
    expect(after.embeds[0].description).toContain('Heather Conley');
  });

  it('closes a gap in two clicks from /gaps: Teach, then "the article doesn’t say", for every wording of the group', async () => {
    const wordings = ['How do I bake sourdough bread?', 'how do you make sourdough bread', 'sourdough bread recipe?'];
    for (const q of wordings) await askRecorded(h, q);
    let since = h.fake.requests.length;
    const gaps = h.fake.slash('gaps', [{ name: 'days', type: 4, value: 1 }], { userId: IDS.moderator });
    const listed = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(gaps.token), { since });
    const rank = (listed.body.embeds[0].description as string).split('\n\n').findIndex((g: string) => /sourdough/.test(g));
    expect(rank).toBeGreaterThanOrEqual(0);
    const teachButton = listed.body.components[0].components[rank];
    expect(teachButton.label).toBe(`Teach ${rank + 1}`);
    // Click 1: Teach.
    since = h.fake.requests.length;
    const clicked = h.fake.button(teachButton.custom_id, h.fake.original(gaps.token), { userId: IDS.moderator });
    const menu = await callback(clicked, since);
    expect(menu.data.content).toMatch(/and its 2 other wordings/);
    const select = menu.data.components[0].components[0];
    // Click 2: the article doesn't say.
    since = h.fake.requests.length;
    const menuMessage = { id: '2', channel_id: IDS.channel, flags: 64, components: menu.data.components, embeds: [], author: { id: IDS.bot } };
    const chosen = h.fake.select(select.custom_id, ['refuse'], menuMessage, { userId: IDS.moderator });
    const done = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(chosen.token), { since });
    expect(done.body.content).toMatch(/^Taught \(3 wordings\): whoever asks this next, in any words, gets “The article doesn’t say\.”/);
    const again = await askRecorded(h, 'how do you make sourdough bread');
    expect(again.embeds[0].description).toMatch(/^\*\*The article doesn't say\.\*\* The moderators confirmed/);
    expect(confirmed(again)).toBeDefined();
    // /gaps now says the gap was taught since.
    since = h.fake.requests.length;
    const later = h.fake.slash('gaps', [{ name: 'days', type: 4, value: 1 }], { userId: IDS.moderator });
    const relisted = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(later.token), { since });
    const group = (relisted.body.embeds[0].description as string).split('\n\n').find((g: string) => /sourdough/.test(g))!;
    expect(group).toMatch(/✅ taught since \(a correction, \d{4}-\d\d-\d\d\)/);
  });

  it('teaches a passage that three members picked under likely answers to one question, not before', async () => {
    const question = 'What did Zakharova write on Telegram?';
    const answer = await askRecorded(h, question);
    const pickButton = answer.components.flatMap((row: any) => row.components).find((b: any) => String(b.custom_id).startsWith('fn:pick:'));
    expect(pickButton).toBeDefined();
    const members = ['900000000000000031', '900000000000000032', '900000000000000033'];
    const replies: string[] = [];
    for (const [i, userId] of members.entries()) {
      if (i === 2) {
        // Before the third pick: a moderator's Correct menu lists the picked passage first, with its count.
        const menu = await correctFromButton(answer, IDS.moderator);
        const [paragraph] = pickButton.custom_id.split(':').slice(2);
        expect(menu.data.components[0].components[0].options[0].label).toMatch(new RegExp(`^¶${paragraph} · picked by 2 · `));
      }
      const since = h.fake.requests.length;
      const pressed = h.fake.button(pickButton.custom_id, answer, { userId });
      await callback(pressed, since);
      replies.push((await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(pressed.token), { since })).body.content);
    }
    expect(replies[0]).not.toMatch(/gets this passage/);
    expect(replies[1]).not.toMatch(/gets this passage/);
    expect(replies[2]).toMatch(/3 members picked it, so whoever asks this next gets this passage/);
    const after = await askRecorded(h, question, '900000000000000034');
    expect(confirmed(after).value).toBe(`Taught as “${question}” (askers’ picks)`);
    expect(after.embeds[0].fields.find((f: any) => f.name === 'Confidence').value).toMatch(/^sure/);
  });

  it('forgets a taught answer from /taught: the question gets the model’s answer again', async () => {
    let since = h.fake.requests.length;
    const list = h.fake.slash('taught', [], { userId: IDS.moderator });
    const listed = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(list.token), { since });
    const entries = (listed.body.embeds[0].description as string).split('\n\n');
    const at = entries.findIndex((e: string) => e.includes('“Who is Heather Conley?”'));
    const forget = listed.body.components[0].components.find((b: any) => b.label === `Forget ${at + 1}`);
    expect(forget).toBeDefined();
    since = h.fake.requests.length;
    const pressed = h.fake.button(forget.custom_id, h.fake.original(list.token), { userId: IDS.moderator });
    await callback(pressed, since);
    const updated = await h.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(pressed.token), { since });
    expect(updated.body.content).toMatch(/^Forgot `[0-9a-f]+`: that question gets the model’s answer again\./);
    expect(updated.body.embeds[0].description).not.toContain('“Who is Heather Conley?”');
    const after = await askRecorded(h, 'who is conley');
    expect(confirmed(after)).toBeUndefined();
  });

  it('still answers with the taught passage after a restart, and says at start-up how many taught answers no longer match the article', async () => {
    // A taught answer whose quote the article no longer holds (as after an edit of the article).
    const [kept] = await h.bot.ctx.store.taught(IDS.guild);
    await h.bot.ctx.store.teach({ ...kept!, id: '', question: 'who took the photo of the market fire', refuse: false, units: [{ paragraph: 26, start: 10, end: 40, quote: 'A sentence the article no longer has.' }] });
    await h.stop();
    h = await (await prepareHarness(env)).start();
    const line = h.logs.find((l) => /^taught answers: \d+ in use/.test(l.msg ?? ''));
    expect(line.msg).toMatch(/; 1 no longer match the article \(their quotes changed\) and are not used$/);
    expect(line.stale).toBe(1);
    const stale = await askRecorded(h, 'who took the photo of the market fire');
    expect(confirmed(stale)).toBeUndefined();
    const after = await askRecorded(h, REWORDING);
    expect(after.embeds[0].description).toContain(ADVICE);
    expect(confirmed(after)).toBeDefined();
  });
});

