/**
 * Where each command can be used (Discord's `integration_types` and `contexts`). Footnote can be added by
 * a server (a bot in it) or by a user (their commands, anywhere). Questions, summaries, passages and help
 * work in both installs and in every context; where the server hasn't installed Footnote, answers are
 * private (`installedInServer`). Pinning and the moderator views need the bot in a server: server
 * installs and server channels only.
 */
import { ApplicationIntegrationType, InteractionContextType, PermissionFlagsBits } from 'discord.js';

interface Scopable<T> {
  setIntegrationTypes(...types: ApplicationIntegrationType[]): T;
  setContexts(...contexts: InteractionContextType[]): T;
}

/** Server and user installs; servers, DMs with the bot, and group or private DMs. */
export function everywhere<T extends Scopable<T>>(builder: T): T {
  return builder
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel);
}

/** Server installs, in servers only. */
export function serverOnly<T extends Scopable<T>>(builder: T): T {
  return builder.setIntegrationTypes(ApplicationIntegrationType.GuildInstall).setContexts(InteractionContextType.Guild);
}

/**
 * The bot's permissions in the invite link: View Channels, Send Messages, Embed Links, Read Message
 * History, Pin Messages, and for follow-ups Create Public Threads and Send Messages in Threads.
 */
export const INVITE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.PinMessages |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;
