/** Registers the commands in `commands/` for one guild (DISCORD_GUILD_ID) or globally. */
import { REST, Routes } from 'discord.js';
import { loadCommands } from './commands.js';

export async function deployCommands(opts: { token: string; clientId: string; guildId?: string; apiUrl: string }): Promise<number> {
  const commands = await loadCommands();
  const body = [...commands.values()].map((c) => c.data.toJSON());
  const rest = new REST({ api: opts.apiUrl }).setToken(opts.token);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.clientId, opts.guildId) : Routes.applicationCommands(opts.clientId);
  const result = (await rest.put(route, { body })) as unknown[];
  return result.length;
}
