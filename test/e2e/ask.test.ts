import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, OPTION } from '../helpers/fake-discord.js';
import { isCallback, isOriginalEdit, startHarness, type Harness } from '../helpers/bot-harness.js';
import { realArticle } from '../helpers/fixtures.js';

const { STRING, BOOLEAN } = OPTION;
const article = realArticle();

describe('/ask against a fake Discord', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('defers at once, then edits in a sure, cited answer whose quotes are exact article text', async () => {
    const since = h.fake.requests.length;
    const { id, token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Will Trump impose new sanctions on Russia?' }]);
    const callback = await h.fake.waitFor(isCallback(id), { since });
    expect(callback.body.type).toBe(5); // deferred channel message
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const embed = edit.body.embeds[0];
    expect(embed.description).toMatch(/\[¶14\]/);
    // Each cited sentence appears once, in the description, followed by its marker; a Sources field names the paragraphs.
    const quotes = (embed.description as string).split(/ \[¶\d+\]/).map((q) => q.trim().replace(/\*\*/g, '')).filter(Boolean);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(article.text.includes(quote)).toBe(true);
    expect(embed.fields.find((f: any) => f.name === 'Sources').value).toMatch(/^¶14\b/);
    expect(embed.fields.find((f: any) => f.name === 'Confidence').value).toMatch(/^sure \(0\.\d\d\)$/);
    for (const f of embed.fields) if (f.name !== 'Sources') expect(quotes.some((q) => f.value.includes(q))).toBe(false);
    expect(embed.fields.find((f: any) => f.name === 'Asked by').value).toBe(`<@${IDS.user}>`);
    expect(embed.footer.text).toMatch(/Wall Street Journal/);
    const buttons = edit.body.components.flatMap((row: any) => row.components.map((b: any) => b.custom_id));
    expect(buttons).toEqual(['fn:passages', 'fn:followup', 'fn:pin', 'fn:correct', 'fn:vote:up', 'fn:vote:down']);
  });

  it('says the article doesn’t say, with closest passages, for an off-topic question', async () => {
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'How do I bake sourdough bread?' }]);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const embed = edit.body.embeds[0];
    expect(embed.description).toMatch(/The article doesn't say/);
    expect(embed.description).toMatch(/not\*\* an answer/);
    expect(embed.fields.some((f: any) => f.name.startsWith('Closest: ¶'))).toBe(true);
    expect(embed.fields.some((f: any) => /^¶/.test(f.name))).toBe(false);
  });

  it('defers ephemerally for a private question and offers Post publicly', async () => {
    const since = h.fake.requests.length;
    const { id, token } = h.fake.slash('ask', [
      { name: 'question', type: STRING, value: 'What advice did Trump give the Ukrainian president?' },
      { name: 'private', type: BOOLEAN, value: true },
    ]);
    const callback = await h.fake.waitFor(isCallback(id), { since });
    expect(callback.body.data.flags & 64).toBe(64);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    expect(edit.body.components[0].components.map((b: any) => b.custom_id)).toContain('fn:public');
  });

  it('escapes @everyone, mentions and markdown in a question and never pings', async () => {
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: '@everyone <@123456789012345678> **Who** is Steve Witkoff?' }]);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since });
    const text = JSON.stringify(edit.body);
    expect(text).not.toMatch(/@everyone/);
    expect(text).not.toMatch(/<@123456789012345678>/);
    expect(edit.body.embeds[0].title).not.toMatch(/\*\*/);
    expect(edit.body.allowed_mentions.parse).toEqual([]);
  });

  it('answers a 3,000-character question with a short ephemeral message and no answer', async () => {
    const since = h.fake.requests.length;
    const { id } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'why '.repeat(750) }]);
    const callback = await h.fake.waitFor(isCallback(id), { since });
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags & 64).toBe(64);
    expect(callback.body.data.content).toMatch(/too long/);
    expect(callback.body.data.content.length).toBeLessThan(200);
  });

  it('keeps answering after a handler throws, gives the user a reference id, and counts the error', async () => {
    const count = async (name: string, labels: string) =>
      Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(await h.bot.ctx.metrics.registry.metrics())?.[1] ?? 0);
    const errorsBefore = await count('footnote_questions_total', 'outcome="error",via="slash"');
    const handlerBefore = await count('footnote_errors_total', 'handler="/ask"');
    const footnote = h.bot.ctx.footnote;
    const original = footnote.ask.bind(footnote);
    footnote.ask = async () => {
      throw new Error('boom');
    };
    let since = h.fake.requests.length;
    const failed = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Steve Witkoff?' }]);
    const note = await h.fake.waitFor((r) => r.method === 'POST' && r.path.includes(failed.token) && r.body?.content, { since });
    footnote.ask = original;
    const ref = /Reference: `([0-9a-f]+)`/.exec(note.body.content)?.[1];
    expect(ref).toBeDefined();
    expect(note.body.flags & 64).toBe(64);
    expect(h.logs.some((l) => l.ref === ref && l.handler === '/ask' && l.level === 50)).toBe(true);
    expect(await count('footnote_questions_total', 'outcome="error",via="slash"')).toBe(errorsBefore + 1);
    expect(await count('footnote_errors_total', 'handler="/ask"')).toBe(handlerBefore + 1);

    since = h.fake.requests.length;
    const next = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Steve Witkoff?' }]);
    const edit = await h.fake.waitFor(isOriginalEdit(next.token), { since });
    expect(edit.body.embeds[0].description).toMatch(/Witkoff/);
  });
  it('lands the answer after Discord answers its edit with 500, then 429 with retry_after', async () => {
    h.fake.editFailures.push({ status: 500 }, { status: 429, retryAfter: 0.3 });
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Maria Zakharova?' }]);
    const deadline = Date.now() + 20_000;
    while (!h.fake.original(token)?.embeds?.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.original(token).embeds[0].description).toMatch(/\[¶27\]/);
    const edits = h.fake.after(since, (r) => r.method === 'PATCH' && r.path.includes(token));
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(h.fake.editFailures).toHaveLength(0);
  });

  it('re-identifies after the gateway connection drops, then answers', async () => {
    const before = h.fake.identifies;
    h.fake.dropGateway();
    const deadline = Date.now() + 30_000;
    while (h.fake.identifies === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.identifies).toBeGreaterThan(before);
    await new Promise((r) => setTimeout(r, 200)); // READY and GUILD_CREATE reach the client
    const since = h.fake.requests.length;
    const { token } = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Who is Maria Zakharova?' }]);
    const edit = await h.fake.waitFor(isOriginalEdit(token), { since, timeout: 20_000 });
    expect(edit.body.embeds[0].description).toMatch(/\[¶27\]/);
  }, 60_000);
});
