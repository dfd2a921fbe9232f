/** `npm run deploy-commands`: registers the commands in `commands/` for one guild (DISCORD_GUILD_ID) or globally. */
import { loadConfig } from '../config.js';
import { deployCommands } from './deploy.js';

async function main(): Promise<void> {
  try {
    const config = loadConfig();
    const { token, clientId, guildId, apiUrl } = config.discord;
    if (!token) throw new Error('DISCORD_TOKEN is missing: put DISCORD_TOKEN=<your bot token> in .env (see .env.example).');
    if (!clientId) throw new Error('DISCORD_CLIENT_ID is missing: put your application id in .env (see .env.example).');
    const count = await deployCommands({ token, clientId, guildId, apiUrl });
    process.stdout.write(`Registered ${count} commands ${guildId ? `in guild ${guildId}` : 'globally (may take up to an hour to appear)'}.\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

await main();
