/** What every handler gets: the core, config, logger, the store and metrics. Also the Command shape. */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  CommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.js';
import type { Footnote } from '../footnote.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Cooldown } from './cooldown.js';
import type { BotMetrics } from './metrics.js';
import type { ArticleMeta } from './render.js';

export interface BotContext {
  footnote: Footnote;
  config: Config;
  logger: Logger;
  cooldown: Cooldown;
  /** Questions' outcomes, votes and conversations (SQLite or PostgreSQL). */
  store: Store;
  metrics: BotMetrics;
  meta: ArticleMeta;
}

export interface Command<I extends CommandInteraction = ChatInputCommandInteraction> {
  /** A discord.js builder (anything with a name and toJSON()). */
  data: { name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  execute(interaction: I, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** A problem the user can fix; its message is safe to show them (ephemerally). */
export class UserError extends Error {
  override readonly name = 'UserError';
}
