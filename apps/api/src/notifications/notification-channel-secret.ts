import type { SecretBox } from '../secrets/secret-box.js';

// Associated data binds a sealed secret to its channel: copied to another row, it does not open.
export function channelSecretAad(channelId: string): string {
  return `notification-channel:${channelId}:secret`;
}

export function sealChannelSecret(box: SecretBox, channelId: string, secret: string): string {
  return box.seal(secret, channelSecretAad(channelId));
}

// Throws SecretBoxError when the value was altered or sealed under another key or channel.
export function openChannelSecret(
  box: SecretBox,
  channel: { readonly id: string; readonly secretSealed: string | null },
): string | null {
  return channel.secretSealed === null ? null : box.open(channel.secretSealed, channelSecretAad(channel.id));
}
