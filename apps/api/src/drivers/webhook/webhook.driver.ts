import type { Server } from 'node:http';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { SecretBox } from '../../secrets/secret-box.js';
import type { DeployDriver, DriverContext, DriverStep } from '../driver.js';
import { openWebhookSecret, parseWebhookConfig, type WebhookStoredConfig } from './webhook-config.js';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

const MAX_BACKOFF_SECONDS = 60;
// A target may ask for more than our own backoff, within reason: the stage deadline still applies.
const MAX_RETRY_AFTER_SECONDS = 300;
const CANCEL_TIMEOUT_SECONDS = 5;
const SNIPPET_CHARS = 200;
const MAX_ANSWER_BYTES = 64 * 1024;

// Why one start attempt failed; kept per attempt so the final message can say what happened on all.
const failureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), status: z.number().int() }),
  z.object({ kind: z.literal('timeout') }),
  z.object({ kind: z.literal('network') }),
]);
type AttemptFailure = z.infer<typeof failureSchema>;

// Stored by the runner between calls, so attempts and the last error survive a restart.
const stateSchema = z.object({
  attempts: z.number().int().min(0).catch(0),
  failures: z.array(failureSchema).catch([]),
  lastError: z.string().nullable().catch(null),
  // The start of the target's last error answer, redacted.
  lastAnswer: z.string().nullable().catch(null),
  externalId: z.string().nullable().catch(null),
  url: z.string().nullable().catch(null),
  // The last status report or polling problem written to the event log, so polls do not repeat it.
  lastReport: z.string().nullable().catch(null),
});
type WebhookState = z.infer<typeof stateSchema>;

const EMPTY_STATE: WebhookState = {
  attempts: 0,
  failures: [],
  lastError: null,
  lastAnswer: null,
  externalId: null,
  url: null,
  lastReport: null,
};

function readState(raw: unknown): WebhookState {
  return raw && typeof raw === 'object' ? stateSchema.parse({ ...EMPTY_STATE, ...raw }) : EMPTY_STATE;
}

// What a target may answer to a start or a status request; anything else in it is ignored.
const answerSchema = z.object({
  externalId: z.string().min(1).max(200).optional().catch(undefined),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional()
    .catch(undefined),
  status: z.string().max(50).optional().catch(undefined),
  message: z.string().optional().catch(undefined),
});
type Answer = z.infer<typeof answerSchema>;

type Exchange =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly reason: string }
  // The process is shutting down: not the target's fault, so not an attempt.
  | { readonly kind: 'aborted' };

type Setup = { readonly config: WebhookStoredConfig; readonly secret: string } | { readonly problem: string };

function parseAnswer(text: string): Answer {
  try {
    const parsed = answerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

// A report of `succeeded` or `failed` ends the deployment (in a start's answer or a status answer).
function endedBy(
  status: string | undefined,
  message: string,
  state: WebhookState,
  refs: { externalId?: string | undefined; url?: string | undefined },
): DriverStep | null {
  if (status === 'succeeded') {
    return { outcome: 'succeeded', state, message: message || 'Webhook target reported success', ...refs };
  }
  if (status === 'failed') {
    return {
      outcome: 'failed',
      state,
      message: `Webhook target reported failure${message ? `: ${message}` : ''}`,
    };
  }
  return null;
}

export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : null);
  return typeof detail === 'string' && detail ? detail : 'connection failed';
}

function inParens(text: string): string {
  return text ? ` (${text})` : '';
}

// Seconds, or an HTTP date; null when absent or unreadable.
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

// 1 s, 2 s, 4 s … capped at a minute.
export function backoffSeconds(attempt: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, attempt - 1));
}

// Requests are signed like GitHub webhooks; the status report arrives by signed callback or is polled.
@Injectable()
export class WebhookDriver implements DeployDriver {
  readonly kind = 'webhook' as const;

  constructor(
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'host' | 'http'>,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {}

  async start(ctx: DriverContext): Promise<DriverStep> {
    const setup = this.setup(ctx);
    const state = readState(ctx.state);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    const { config, secret } = setup;
    const attempt = state.attempts + 1;
    // The stage's settings may have lowered maxAttempts since the last call.
    if (attempt > config.maxAttempts) return this.exhausted(config, state);
    // An earlier start's answer was lost: the target may have it already. Ask before sending again.
    if (ctx.intent?.resumed) {
      const known = await this.lookUp(ctx, config, secret, { ...state, attempts: attempt });
      if (known) return known;
    }

    const payload = {
      event: 'deployment.start',
      deploymentId: ctx.deployment.id,
      attempt,
      service: ctx.stage.serviceSlug,
      environment: ctx.stage.environmentSlug,
      kind: ctx.deployment.kind,
      release: {
        id: ctx.release.id,
        version: ctx.release.version,
        commitSha: ctx.release.commitSha,
        artifactRef: ctx.release.artifactRef,
      },
      requestedBy: ctx.deployment.requestedBy,
      reason: ctx.deployment.reason,
      callbackUrl: this.callbackUrl(ctx.deployment.id),
      sentAt: new Date().toISOString(),
    };
    const exchange = await this.send(
      'POST',
      config.url,
      Buffer.from(JSON.stringify(payload), 'utf8'),
      secret,
      { event: 'deployment.start', deploymentId: ctx.deployment.id, key: ctx.intent?.key },
      config.timeoutSeconds,
      ctx.signal,
    );
    if (exchange.kind === 'aborted') {
      return { outcome: 'progress', started: false, state, nextRunAt: ctx.now };
    }
    if (exchange.kind === 'response' && exchange.status >= 200 && exchange.status < 300) {
      return this.accepted(ctx, config, { ...state, attempts: attempt }, exchange);
    }
    if (exchange.kind === 'response' && !this.retryable(exchange.status)) {
      const answered = `answered ${exchange.status}${inParens(this.snippet(exchange.text, secret))}`;
      return {
        outcome: 'failed',
        state: { ...state, attempts: attempt, lastError: `target ${answered}` },
        message: `Webhook target refused the deployment: it ${answered}`,
      };
    }

    const failure: AttemptFailure =
      exchange.kind === 'response' ? { kind: 'status', status: exchange.status } : { kind: exchange.kind };
    const answer = exchange.kind === 'response' ? this.snippet(exchange.text, secret) : '';
    const reason =
      exchange.kind === 'response'
        ? `target answered ${exchange.status}${inParens(answer)}`
        : exchange.kind === 'timeout'
          ? `target did not answer within ${config.timeoutSeconds} s`
          : `could not reach the target (${exchange.reason})`;
    const next: WebhookState = {
      ...state,
      attempts: attempt,
      failures: [...state.failures, failure],
      lastError: reason,
      lastAnswer: answer || null,
    };
    if (attempt >= config.maxAttempts) return this.exhausted(config, next);
    const asked =
      exchange.kind === 'response'
        ? retryAfterSeconds(exchange.headers.get('retry-after'), new Date())
        : null;
    const delay = asked === null ? backoffSeconds(attempt) : Math.min(asked, MAX_RETRY_AFTER_SECONDS);
    return {
      outcome: 'progress',
      started: false,
      state: next,
      nextRunAt: new Date(Math.max(ctx.now.getTime(), Date.now()) + delay * 1000),
      message: `Attempt ${attempt} of ${config.maxAttempts}: ${reason}; retrying in ${delay} s`,
    };
  }

  async poll(ctx: DriverContext): Promise<DriverStep> {
    const setup = this.setup(ctx);
    const state = readState(ctx.state);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    const { config, secret } = setup;
    const nextRunAt = new Date(Math.max(ctx.now.getTime(), Date.now()) + config.pollIntervalSeconds * 1000);
    // Without a status URL the target reports by callback; the runner ends it at the stage deadline.
    if (!config.statusUrl) return { outcome: 'progress', started: true, state, nextRunAt };

    const exchange = await this.askStatus(ctx, config, config.statusUrl, secret, state);
    if (exchange.kind === 'aborted') return { outcome: 'progress', started: true, state, nextRunAt: ctx.now };

    if (exchange.kind === 'response' && exchange.status >= 200 && exchange.status < 300) {
      return this.reported(state, exchange, nextRunAt);
    }
    // Transient by assumption (a restart, a proxy hiccup, not known yet): keep polling until the deadline.
    const problem =
      exchange.kind === 'response'
        ? `answered ${exchange.status}${inParens(this.snippet(exchange.text, secret))}`
        : exchange.kind === 'timeout'
          ? `did not answer within ${config.timeoutSeconds} s`
          : `could not be reached (${exchange.reason})`;
    return this.pollProgress(
      { ...state, lastError: problem },
      nextRunAt,
      `Status check failed: the status URL ${problem}; checking again every ${config.pollIntervalSeconds} s`,
      {},
    );
  }

  // After a lost answer: a target that reports on this deployment (2xx at its status URL) has it, and
  // is followed from there. Anything else (no status URL, 404, an error) means send the start again,
  // with the same idempotency key, which the contract asks targets to treat as the same deployment.
  private async lookUp(
    ctx: DriverContext,
    config: WebhookStoredConfig,
    secret: string,
    state: WebhookState,
  ): Promise<DriverStep | null> {
    if (!config.statusUrl) return null;
    const exchange = await this.askStatus(ctx, config, config.statusUrl, secret, state);
    if (exchange.kind !== 'response' || exchange.status < 200 || exchange.status >= 300) return null;
    const nextRunAt = new Date(Math.max(ctx.now.getTime(), Date.now()) + config.pollIntervalSeconds * 1000);
    const step = this.reported(state, exchange, nextRunAt);
    const found = "Webhook target already has this deployment (an earlier start's answer was lost)";
    return { ...step, message: step.message ? `${found}; ${step.message}` : found };
  }

  private askStatus(
    ctx: DriverContext,
    config: WebhookStoredConfig,
    statusUrl: string,
    secret: string,
    state: WebhookState,
  ): Promise<Exchange> {
    const url = statusUrl
      .replaceAll('{deploymentId}', encodeURIComponent(ctx.deployment.id))
      .replaceAll('{externalId}', encodeURIComponent(state.externalId ?? ''));
    return this.send(
      'GET',
      url,
      Buffer.alloc(0),
      secret,
      { event: 'deployment.status', deploymentId: ctx.deployment.id },
      config.timeoutSeconds,
      ctx.signal,
    );
  }

  // A 2xx status report: succeeded or failed ends the deployment, anything else keeps it running.
  private reported(
    state: WebhookState,
    exchange: Extract<Exchange, { kind: 'response' }>,
    nextRunAt: Date,
  ): DriverStep {
    const answer = parseAnswer(exchange.text);
    const message = answer.message?.slice(0, 2000) ?? '';
    const refs = {
      externalId: answer.externalId ?? state.externalId ?? undefined,
      url: answer.url ?? state.url ?? undefined,
    };
    const next: WebhookState = {
      ...state,
      externalId: refs.externalId ?? null,
      url: refs.url ?? null,
    };
    const ended = endedBy(answer.status, message, next, refs);
    if (ended) return ended;
    const report = `Webhook target reports ${answer.status ?? 'running'}${message ? `: ${message}` : ''}`;
    return this.pollProgress(next, nextRunAt, report, refs);
  }

  async cancel(ctx: DriverContext): Promise<void> {
    const setup = this.setup(ctx);
    // Nothing was sent unless an attempt was recorded or a start's answer was lost.
    if ('problem' in setup || (readState(ctx.state).attempts === 0 && !ctx.intent)) return;
    const body = Buffer.from(
      JSON.stringify({
        event: 'deployment.cancel',
        deploymentId: ctx.deployment.id,
        sentAt: new Date().toISOString(),
      }),
      'utf8',
    );
    // Best effort: the deployment ends cancelled whatever the target answers.
    await this.send(
      'POST',
      setup.config.url,
      body,
      setup.secret,
      { event: 'deployment.cancel', deploymentId: ctx.deployment.id },
      Math.min(CANCEL_TIMEOUT_SECONDS, setup.config.timeoutSeconds),
      ctx.signal,
    );
  }

  // Where targets report back: the public URL when configured, else the address this process listens on.
  callbackUrl(deploymentId: string): string {
    return `${this.baseUrl()}/api/v1/hooks/deployments/${deploymentId}`;
  }

  private baseUrl(): string {
    if (this.config.http.publicUrl) return this.config.http.publicUrl;
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as Server | undefined;
    const address = server?.address();
    const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? 'localhost' : this.config.host;
    const bracketed = host.includes(':') ? `[${host}]` : host;
    return address && typeof address === 'object'
      ? `http://${bracketed}:${address.port}`
      : `http://${bracketed}`;
  }

  private setup(ctx: DriverContext): Setup {
    const config = parseWebhookConfig(ctx.stage.driverConfig);
    if (!config)
      return { problem: "The stage's webhook settings are invalid; save them again in the stage settings" };
    try {
      const secret = openWebhookSecret(this.secrets, ctx.stage.id, config);
      if (secret === null)
        return { problem: 'The webhook stage has no secret; set one in the stage settings' };
      return { config, secret };
    } catch {
      return {
        problem:
          'The webhook secret could not be decrypted (was FLIGHTDECK_SECRET_KEY changed?); set it again in the stage settings',
      };
    }
  }

  private accepted(
    ctx: DriverContext,
    config: WebhookStoredConfig,
    state: WebhookState,
    exchange: Extract<Exchange, { kind: 'response' }>,
  ): DriverStep {
    const answer = parseAnswer(exchange.text);
    const message = answer.message?.slice(0, 2000) ?? '';
    const refs = { externalId: answer.externalId, url: answer.url };
    const next: WebhookState = {
      ...state,
      lastError: null,
      externalId: answer.externalId ?? null,
      url: answer.url ?? null,
    };
    const ended = endedBy(answer.status, message, next, refs);
    if (ended) return ended;
    return {
      outcome: 'progress',
      started: true,
      state: next,
      nextRunAt: new Date(Math.max(ctx.now.getTime(), Date.now()) + config.pollIntervalSeconds * 1000),
      message: `Webhook target accepted the deployment (${exchange.status})${message ? `: ${message}` : ''}`,
      ...refs,
    };
  }

  private exhausted(config: WebhookStoredConfig, state: WebhookState): DriverStep {
    const n = state.failures.length || state.attempts;
    const onAll = n === 1 ? 'on its only attempt' : `on all ${n} attempts`;
    if (state.failures.length > 0 && state.failures.every((f) => f.kind === 'timeout')) {
      return {
        outcome: 'timed_out',
        state,
        message: `Webhook target did not answer within ${config.timeoutSeconds} s ${n === 1 ? 'on its only attempt' : `on any of ${n} attempts`}`,
      };
    }
    const first = state.failures[0];
    const sameStatus =
      first?.kind === 'status' &&
      state.failures.every((f) => f.kind === 'status' && f.status === first.status);
    const last = state.lastError ?? 'unknown error';
    return {
      outcome: 'failed',
      state,
      message: sameStatus
        ? `Webhook target answered ${first.status} ${onAll}${state.lastAnswer ? `: ${state.lastAnswer}` : ''}`
        : `Webhook target failed ${onAll}; last: ${last}`,
    };
  }

  private pollProgress(
    state: WebhookState,
    nextRunAt: Date,
    report: string,
    refs: { externalId?: string; url?: string },
  ): DriverStep {
    const changed = report !== state.lastReport;
    return {
      outcome: 'progress',
      started: true,
      state: { ...state, lastReport: report },
      nextRunAt,
      ...(changed ? { message: report } : {}),
      ...refs,
    };
  }

  private retryable(status: number): boolean {
    return status === 408 || status === 429 || status >= 500;
  }

  // The first characters of an answer, for people; a target that echoes our secret or signature does not
  // get it into the event log.
  private snippet(text: string, secret: string): string {
    const flat = text.replace(/\s+/g, ' ').trim();
    const redacted = flat
      .replaceAll(secret, '[redacted]')
      .replace(/sha256=[0-9a-f]{64}/gi, 'sha256=[redacted]');
    return redacted.length > SNIPPET_CHARS ? `${redacted.slice(0, SNIPPET_CHARS)}…` : redacted;
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    body: Buffer,
    secret: string,
    about: { event: string; deploymentId: string; key?: string | undefined },
    timeoutSeconds: number,
    shutdown: AbortSignal,
  ): Promise<Exchange> {
    if (shutdown.aborted) return { kind: 'aborted' };
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    const signal = AbortSignal.any([shutdown, timeout]);
    try {
      const response = await fetch(url, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          accept: 'application/json',
          'user-agent': 'Flightdeck',
          'x-flightdeck-event': about.event,
          'x-flightdeck-delivery': about.deploymentId,
          'idempotency-key': about.key ?? about.deploymentId,
          [SIGNATURE_HEADER]: signWebhookBody(secret, body),
        },
        body: method === 'POST' ? body : undefined,
        // A redirect would resend a signed body somewhere nobody configured.
        redirect: 'manual',
        signal,
      });
      const text = await readCapped(response);
      return { kind: 'response', status: response.status, headers: response.headers, text };
    } catch (error) {
      if (shutdown.aborted) return { kind: 'aborted' };
      if (timeout.aborted) return { kind: 'timeout' };
      return { kind: 'network', reason: networkReason(error) };
    }
  }
}

// Answers are read up to a limit: a target streaming megabytes does not fill memory or the event log.
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total >= MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}
