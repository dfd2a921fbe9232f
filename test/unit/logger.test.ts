import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/logger.js';

const TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkFCQ0RFRkdISUpLTE1OT1BR';

function capture() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger('info', stream), text: () => out };
}

describe('logger redaction', () => {
  it('scrubs interaction tokens from URLs in messages, errors and stacks', () => {
    expect(redactUrl(`PATCH /webhooks/123456789012345678/${TOKEN}/messages/@original`)).toBe('PATCH /webhooks/123456789012345678/[redacted]/messages/@original');
    const { logger, text } = capture();
    const err = Object.assign(new Error(`Request to /interactions/123456789012345678/${TOKEN}/callback failed`), {
      url: `https://discord.com/api/v10/webhooks/1/${TOKEN}/messages/@original`,
      requestBody: { json: { content: 'x' } },
    });
    logger.error({ err }, `edit of /webhooks/1/${TOKEN}/messages/@original failed`);
    expect(text()).not.toContain(TOKEN);
    expect(text()).toContain('[redacted]');
    expect(text()).not.toContain('requestBody');
  });

  it('never logs a token field', () => {
    const { logger, text } = capture();
    logger.info({ token: 'secret-bot-token', config: { discord: { token: 'secret-bot-token' } } }, 'starting');
    expect(text()).not.toContain('secret-bot-token');
  });
});
