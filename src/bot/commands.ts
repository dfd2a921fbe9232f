/** Loads one command per file from `commands/`, and checks each before the bot uses it. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CommandInteraction } from 'discord.js';
import type { Command } from './context.js';

export const COMMANDS_DIR = new URL('../../commands/', import.meta.url).pathname;

export class CommandLoadError extends Error {
  override readonly name = 'CommandLoadError';
}

/** Checks a module's default export is `{ data: { name, toJSON() }, execute() [, autocomplete()] }`. */
export function checkCommand(value: unknown, file: string): Command<CommandInteraction> {
  const c = value as Partial<Command<CommandInteraction>> | undefined;
  if (!c || typeof c !== 'object') throw new CommandLoadError(`${file}: no default export`);
  if (!c.data || typeof c.data.name !== 'string' || typeof c.data.toJSON !== 'function') {
    throw new CommandLoadError(`${file}: "data" must be a command builder with a name`);
  }
  if (typeof c.execute !== 'function') throw new CommandLoadError(`${file}: "execute" must be a function`);
  if (c.autocomplete !== undefined && typeof c.autocomplete !== 'function') throw new CommandLoadError(`${file}: "autocomplete" must be a function`);
  return c as Command<CommandInteraction>;
}

export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, Command<CommandInteraction>>> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const commands = new Map<string, Command<CommandInteraction>>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    const command = checkCommand(mod.default, file);
    if (commands.has(command.data.name)) throw new CommandLoadError(`${file}: a command named "${command.data.name}" is already loaded`);
    commands.set(command.data.name, command);
  }
  if (commands.size === 0) throw new CommandLoadError(`no commands found in ${dir}`);
  return commands;
}
