/**
 * Interaction responses outside the bot's global rate limit.
 *
 * Discord's global rate limit (50 requests per second per bot) binds requests made with the bot token.
 * Interaction responses (the callback, and edits and follow-ups on the interaction's webhook, sent with
 * the interaction token and no bot token) are not bound by it (Discord API docs, "Rate Limits → Global
 * Rate Limit"). @discordjs/rest counts every request against one preemptive global budget, so a busy bot
 * would answer at most about 50 questions a second whatever its CPU can do. Requests to the interaction
 * webhook go through a second REST manager with its own global budget instead; per-route buckets, 429
 * retries and timeouts work exactly as before.
 */
import { REST, type InternalRequest } from 'discord.js';

/** `/webhooks/{application id}/{interaction token}…` sent without the bot token. */
export function isInteractionWebhook(request: Pick<InternalRequest, 'fullRoute' | 'auth'>): boolean {
  return request.auth === false && /^\/webhooks\/\d{17,20}\/[^/]+(?:\/|$)/.test(request.fullRoute);
}

/** Interaction webhooks have no global budget on Discord's side; this keeps the client's from throttling them. */
const INTERACTION_WEBHOOK_BUDGET = 1_000_000;
/**
 * Each interaction token gets its own rate-limit handler, idle once answered: sweep idle ones every 10 s
 * (the library's default is an hour, which at 100 questions a second keeps 360,000 of them).
 */
const HANDLER_SWEEP_MS = 10_000;

/** Routes interaction-webhook requests of `rest` through their own manager; `close()` stops its sweepers. */
export function exemptInteractionWebhooks(rest: REST): { close(): void } {
  const webhooks = new REST({ ...rest.options, globalRequestsPerSecond: INTERACTION_WEBHOOK_BUDGET, handlerSweepInterval: HANDLER_SWEEP_MS });
  const queue = rest.queueRequest.bind(rest);
  rest.queueRequest = (request) => (isInteractionWebhook(request) ? webhooks.queueRequest(request) : queue(request));
  return {
    close() {
      webhooks.clearHandlerSweeper();
      webhooks.clearHashSweeper();
    },
  };
}
