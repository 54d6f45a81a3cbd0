import type { NotificationChannelKind, NotificationEventType } from '@flightdeck/contracts';
import { SIGNATURE_HEADER, signWebhookBody } from '../drivers/webhook/webhook-signature.js';
import { networkReason } from '../drivers/webhook/webhook.driver.js';
import type { Exchange } from './delivery-outcome.js';
import { slackBody, webhookBody, type RenderedNotification } from './notification-messages.js';

export const SEND_TIMEOUT_SECONDS = 10;

export interface OutgoingNotification {
  readonly channel: { readonly kind: NotificationChannelKind; readonly url: string };
  // The channel's signing secret, opened just for this request.
  readonly secret: string | null;
  readonly deliveryId: string;
  readonly event: { id: string; type: NotificationEventType; occurredAt: Date; payload: unknown };
  readonly message: RenderedNotification;
}

// The exact bytes we send, so the signature covers what the receiver reads.
export function bodyFor(outgoing: OutgoingNotification): Buffer {
  const body =
    outgoing.channel.kind === 'slack'
      ? slackBody(outgoing.message)
      : webhookBody(outgoing.event, outgoing.deliveryId, outgoing.message);
  return Buffer.from(JSON.stringify(body), 'utf8');
}

// One POST. Generic webhooks are signed exactly like the webhook deploy driver's requests, so one
// verifier serves both; the delivery id lets a receiver drop a repeat.
export async function sendNotification(
  outgoing: OutgoingNotification,
  shutdown: AbortSignal,
): Promise<Exchange> {
  const body = bodyFor(outgoing);
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_SECONDS * 1000);
  try {
    const response = await fetch(outgoing.channel.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Flightdeck',
        'x-flightdeck-event': outgoing.event.type,
        'x-flightdeck-delivery': outgoing.deliveryId,
        ...(outgoing.secret ? { [SIGNATURE_HEADER]: signWebhookBody(outgoing.secret, body) } : {}),
      },
      body,
      // A redirect would resend a signed body somewhere nobody configured.
      redirect: 'manual',
      signal: AbortSignal.any([shutdown, timeout]),
    });
    // The answer is not kept (it may echo anything); only its status and Retry-After matter.
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    if (timeout.aborted) return { kind: 'timeout', seconds: SEND_TIMEOUT_SECONDS };
    return { kind: 'network', reason: shutdown.aborted ? 'shutting down' : networkReason(error) };
  }
}
