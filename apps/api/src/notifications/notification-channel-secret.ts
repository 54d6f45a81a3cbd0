import type { SecretBox } from '../secrets/secret-box.js';

// Associated data binds a sealed value to its channel and its purpose: copied to another row or
// column, it does not open.
export function channelSecretAad(channelId: string): string {
  return `notification-channel:${channelId}:secret`;
}

export function channelUrlAad(channelId: string): string {
  return `notification-channel:${channelId}:url`;
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

// A Slack incoming-webhook URL is itself a credential, so the URL is sealed like the secret and only
// its origin and a hint are kept in the clear. Writing it clears any legacy plain value.
export function sealChannelUrl(box: SecretBox, channelId: string, url: string) {
  return { url: null, urlSealed: box.seal(url, channelUrlAad(channelId)), urlHint: urlHint(url) };
}

// Channels written before URLs were sealed keep a plain `url` until they are saved again.
// Throws SecretBoxError like openChannelSecret.
export function openChannelUrl(
  box: SecretBox,
  channel: { readonly id: string; readonly url: string | null; readonly urlSealed: string | null },
): string {
  if (channel.urlSealed !== null) return box.open(channel.urlSealed, channelUrlAad(channel.id));
  if (channel.url !== null) return channel.url;
  throw new Error('notification channel has no URL');
}

// The origin and the last four characters: enough to recognise a URL, not to use it.
export function urlHint(url: string): string {
  return `${new URL(url).origin}/…/${url.slice(-4)}`;
}

export function storedUrlHint(channel: {
  readonly url: string | null;
  readonly urlHint: string | null;
}): string {
  return channel.urlHint ?? (channel.url === null ? '' : urlHint(channel.url));
}

export function storedUrlOrigin(channel: {
  readonly url: string | null;
  readonly urlHint: string | null;
}): string {
  return storedUrlHint(channel).split('/…/')[0] ?? '';
}
