/**
 * Moderators pin sourced answers. Since 2026-02-23 Discord lets only members (and bots) with the Pin
 * Messages permission pin; Manage Messages alone no longer does. So pinning is allowed only to members
 * with Pin Messages in the channel (checked here from the interaction, not only by the command's default
 * permissions), needs Pin Messages for the bot too, and is only for Footnote's own answers. A private answer is posted publicly first; the pinned message names who asked and who pinned.
 */
import {
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ButtonInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { UserError, type BotContext } from './context.js';
import { NO_PINGS } from './respond.js';
import { copyConversation, installedInServer } from './conversation.js';
import { answerButtons, isFootnoteAnswer, picksOfMessage, PINNED_BY, questionOf, withField } from './render.js';
import { lessonOfEmbed, teach } from './teach.js';

const BOT_PERMISSION_HELP =
  'I need the **Pin Messages** permission in this channel to pin answers (Server Settings → Roles → Footnote, or the channel’s permission overrides).';

export async function pinAnswer(interaction: ButtonInteraction | MessageContextMenuCommandInteraction, message: Message, ctx: BotContext): Promise<void> {
  if (!installedInServer(interaction)) {
    throw new UserError('Pinning works only in a server that has added Footnote: here it is only installed for you, so answers stay private.');
  }
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.PinMessages)) {
    throw new UserError('Only moderators (members with Pin Messages in this channel) can pin answers.');
  }
  const embed = message.embeds[0]?.toJSON();
  if (message.author.id !== interaction.client.user.id || !isFootnoteAnswer(embed)) {
    throw new UserError('Only Footnote’s own sourced answers can be pinned this way.');
  }
  if (message.pinned) throw new UserError('That answer is already pinned.');
  const app = interaction.appPermissions;
  if (!app?.has(PermissionFlagsBits.PinMessages)) {
    throw new UserError(BOT_PERMISSION_HELP);
  }

  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const card = withField(embed!, PINNED_BY, `<@${interaction.user.id}>`);
  const isPrivate = message.flags.has(MessageFlags.Ephemeral);
  let target: Message;
  if (isPrivate) {
    // Ephemeral messages can't be pinned: post it for everyone first (a follow-up needs no channel permission).
    target = await interaction.followUp({ embeds: [card], components: answerButtons({ isPrivate: false, pinnable: false }), allowedMentions: NO_PINGS });
    await copyConversation(ctx, message.id, target.id);
  } else {
    // Pinned in place: the same answer, so its "This answers it" buttons stay.
    target = await message.edit({ embeds: [card], components: answerButtons({ isPrivate: false, pinnable: false, picks: picksOfMessage(message.components) }), allowedMentions: NO_PINGS });
  }
  try {
    await interaction.client.rest.put(Routes.channelMessagesPin(target.channelId, target.id));
  } catch (err) {
    if (err instanceof DiscordAPIError && (err.code === 50013 || err.code === 50001)) throw new UserError(BOT_PERMISSION_HELP);
    if (err instanceof DiscordAPIError && err.code === 30003) throw new UserError('This channel has reached Discord’s limit of pinned messages; unpin one first.');
    throw err;
  }
  ctx.metrics.pins.inc();
  ctx.logger.info({ message: target.id, channel: target.channelId, by: interaction.user.id }, 'answer pinned');
  // A pinned answer is taught: its question gets this answer next time, in any words.
  const lesson = lessonOfEmbed(embed!, ctx.footnote);
  let taught = '';
  if (lesson) {
    // The pin is done: a lesson that can't be taught is said, not raised.
    try {
      await teach(ctx, [questionOf(embed!)], lesson, { how: 'pin', scope: interaction.guildId!, by: interaction.user.id, channelId: target.channelId });
      taught = ' Taught: whoever asks this next, in any words, gets this answer.';
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      taught = ` Not taught: ${err.message}`;
    }
  }
  await interaction.editReply({ content: `${isPrivate ? 'Posted publicly and pinned. 📌' : 'Pinned. 📌'}${taught}`, allowedMentions: NO_PINGS });
}
