import type { NotificationDeliveryState } from '@flightdeck/contracts';
import { retryAfterSeconds } from '../drivers/webhook/webhook.driver.js';

export type Exchange =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter: string | null }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'network'; readonly reason: string };

export interface Outcome {
  readonly state: NotificationDeliveryState;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly nextAttemptAt: Date | null;
}

const BASE_SECONDS = 1;
const MAX_BACKOFF_SECONDS = 600;
// A receiver may ask for more than our own backoff, within reason.
const MAX_RETRY_AFTER_SECONDS = 3_600;

// Exponential with "equal jitter": half the step fixed, half random, so many deliveries failing
// together do not come back together. 0.5–1 s, 1–2 s, 2–4 s … capped at 10 minutes.
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_BACKOFF_SECONDS, BASE_SECONDS * 2 ** Math.max(0, attempt - 1)) * 1000;
  return Math.round(step / 2 + (random() * step) / 2);
}

// 408, 429 and 5xx say "later"; other refusals will not change by themselves.
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

// What one attempt means for its delivery: done, try again when, or give up.
export function outcomeOf(
  exchange: Exchange,
  attempt: number,
  maxAttempts: number,
  now: Date,
  random: () => number = Math.random,
): Outcome {
  if (exchange.kind === 'response' && exchange.status >= 200 && exchange.status < 300) {
    return { state: 'succeeded', statusCode: exchange.status, error: null, nextAttemptAt: null };
  }
  const statusCode = exchange.kind === 'response' ? exchange.status : null;
  const error =
    exchange.kind === 'response'
      ? `The receiver answered HTTP ${exchange.status}`
      : exchange.kind === 'timeout'
        ? `No answer within ${exchange.seconds} s`
        : `Could not reach the receiver (${exchange.reason})`;
  if (exchange.kind === 'response' && !retryable(exchange.status)) {
    return { state: 'failed', statusCode, error, nextAttemptAt: null };
  }
  if (attempt >= maxAttempts) {
    return {
      state: 'dead',
      statusCode,
      error: `${error}; gave up after ${attempt} attempts`,
      nextAttemptAt: null,
    };
  }
  const asked = exchange.kind === 'response' ? retryAfterSeconds(exchange.retryAfter, now) : null;
  const wait = Math.max(backoffMs(attempt, random), Math.min(asked ?? 0, MAX_RETRY_AFTER_SECONDS) * 1000);
  return { state: 'pending', statusCode, error, nextAttemptAt: new Date(now.getTime() + wait) };
}
