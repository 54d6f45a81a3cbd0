import type { z } from 'zod';
import {
  type ArgoApplication,
  argoApplicationSchema,
  argoErrorSchema,
  type ArgoPatchRequest,
  type ArgoRollbackRequest,
  type ArgoSyncRequest,
  type ArgoSyncWindows,
  argoSyncWindowsSchema,
} from './argocd-api.js';

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const SNIPPET_CHARS = 300;

// What went wrong talking to Argo CD, sorted by what the caller should do about it.
export type ArgoCdErrorKind =
  // The token is missing, expired or wrong (401).
  | 'unauthorized'
  // The token may not do this (403); `permission` names the Argo CD RBAC action it needs.
  | 'forbidden'
  // No such application (404).
  | 'not_found'
  // "another operation is already in progress": wait for it and try again.
  | 'busy'
  // A sync window does not allow syncing now.
  | 'window'
  // Argo refused the request as such (400, 409 …): `message` says why.
  | 'refused'
  // Worth retrying: 5xx, 408, 429, a timeout, a connection failure, an unreadable answer.
  | 'unavailable'
  | 'timeout'
  // This process is shutting down.
  | 'aborted';

export type ArgoPermission = 'get' | 'sync' | 'update';

export class ArgoCdError extends Error {
  override readonly name = 'ArgoCdError';

  constructor(
    readonly kind: ArgoCdErrorKind,
    message: string,
    readonly status: number | null = null,
    // Argo's own message (from its error answer), when it gave one.
    readonly argoMessage: string = '',
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'timeout' || this.kind === 'busy';
  }
}

export interface ArgoCdClientOptions {
  // e.g. https://argocd.example.com (no trailing /api).
  readonly serverUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
  // Aborted when the process shuts down.
  readonly signal?: AbortSignal;
  // Applications outside Argo CD's own namespace are addressed with their namespace.
  readonly appNamespace?: string | null;
  readonly project?: string | null;
}

const BUSY = /another operation is already in progress/i;
const WINDOW = /blocked by sync window|sync window/i;

// A port on one Argo CD server, bound to its token at construction. Every call has a timeout; errors
// come out as ArgoCdError with a kind the caller can act on.
export class ArgoCdClient {
  private readonly base: string;

  constructor(private readonly options: ArgoCdClientOptions) {
    this.base = options.serverUrl.replace(/\/+$/, '');
  }

  getApplication(name: string, options: { refresh?: 'normal' | 'hard' } = {}): Promise<ArgoApplication> {
    return this.call('GET', this.appPath(name), {
      permission: 'get',
      app: name,
      query: { ...this.scope(), ...(options.refresh ? { refresh: options.refresh } : {}) },
      schema: argoApplicationSchema,
    });
  }

  // Starts a sync operation; the answer is the application with the requested operation.
  sync(name: string, request: Omit<ArgoSyncRequest, 'name' | 'appNamespace' | 'project'>) {
    const body: ArgoSyncRequest = { name, ...this.scopeBody(), ...request };
    return this.call('POST', `${this.appPath(name)}/sync`, {
      permission: 'sync',
      app: name,
      body,
      schema: argoApplicationSchema,
    });
  }

  // Redeploys the source of one history entry (Argo refuses while auto-sync is on).
  rollback(name: string, request: Omit<ArgoRollbackRequest, 'name' | 'appNamespace' | 'project'>) {
    const body: ArgoRollbackRequest = { name, ...this.scopeBody(), ...request };
    return this.call('POST', `${this.appPath(name)}/rollback`, {
      permission: 'sync',
      app: name,
      body,
      schema: argoApplicationSchema,
    });
  }

  // A JSON merge patch of the Application (its target revision, Helm parameters, kustomize images).
  patch(name: string, mergePatch: Record<string, unknown>) {
    const body: ArgoPatchRequest = {
      name,
      ...this.scopeBody(),
      patch: JSON.stringify(mergePatch),
      patchType: 'merge',
    };
    return this.call('PATCH', this.appPath(name), {
      permission: 'update',
      app: name,
      body,
      schema: argoApplicationSchema,
    });
  }

  async terminateOperation(name: string): Promise<void> {
    await this.call('DELETE', `${this.appPath(name)}/operation`, {
      permission: 'sync',
      app: name,
      query: this.scope(),
      schema: null,
    });
  }

  syncWindows(name: string): Promise<ArgoSyncWindows> {
    return this.call('GET', `${this.appPath(name)}/syncwindows`, {
      permission: 'get',
      app: name,
      query: this.scope(),
      schema: argoSyncWindowsSchema,
    });
  }

  // Where people look at the application in Argo CD's UI.
  applicationUrl(name: string): string {
    const ns = this.options.appNamespace;
    return `${this.base}/applications/${ns ? `${encodeURIComponent(ns)}/` : ''}${encodeURIComponent(name)}`;
  }

  private appPath(name: string): string {
    return `/api/v1/applications/${encodeURIComponent(name)}`;
  }

  private scope(): Record<string, string> {
    return {
      ...(this.options.appNamespace ? { appNamespace: this.options.appNamespace } : {}),
      ...(this.options.project ? { project: this.options.project } : {}),
    };
  }

  private scopeBody(): { appNamespace?: string; project?: string } {
    return {
      ...(this.options.appNamespace ? { appNamespace: this.options.appNamespace } : {}),
      ...(this.options.project ? { project: this.options.project } : {}),
    };
  }

  private async call<S extends z.ZodType | null>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    request: {
      permission: ArgoPermission;
      app: string;
      query?: Record<string, string>;
      body?: unknown;
      schema: S;
    },
  ): Promise<S extends z.ZodType ? z.output<S> : undefined> {
    const shutdown = this.options.signal;
    if (shutdown?.aborted) throw new ArgoCdError('aborted', 'Flightdeck is shutting down');
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = shutdown ? AbortSignal.any([shutdown, timeout]) : timeout;
    const query = new URLSearchParams(request.query ?? {}).toString();
    const url = `${this.base}${path}${query ? `?${query}` : ''}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
          'user-agent': 'Flightdeck',
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
        // A redirect would carry the token somewhere nobody configured.
        redirect: 'manual',
        signal,
      });
      status = response.status;
      text = await readCapped(response);
    } catch (error) {
      if (shutdown?.aborted) throw new ArgoCdError('aborted', 'Flightdeck is shutting down');
      if (timeout.aborted) {
        throw new ArgoCdError(
          'timeout',
          `Argo CD did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`,
        );
      }
      throw new ArgoCdError('unavailable', `Argo CD could not be reached (${networkReason(error)})`);
    }
    if (status >= 200 && status < 300) {
      if (request.schema === null) return undefined as never;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        throw new ArgoCdError(
          'unavailable',
          `Argo CD answered ${status} with something other than JSON`,
          status,
        );
      }
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) {
        throw new ArgoCdError('unavailable', `Argo CD answered ${status} with an unexpected shape`, status);
      }
      return parsed.data as never;
    }
    throw this.failure(status, text, request.permission, request.app);
  }

  private failure(status: number, text: string, permission: ArgoPermission, app: string): ArgoCdError {
    const argo = argoMessage(text, this.options.token);
    const said = argo ? `: ${argo}` : '';
    if (BUSY.test(argo))
      return new ArgoCdError('busy', `Another Argo CD operation is in progress on ${app}`, status, argo);
    if (status === 401) {
      return new ArgoCdError(
        'unauthorized',
        `Argo CD rejected the stage's token (401${said}); set a valid token in the stage settings`,
        status,
        argo,
      );
    }
    if (status === 403 && WINDOW.test(argo)) {
      return new ArgoCdError('window', `Argo CD refused the sync (403${said})`, status, argo);
    }
    if (status === 403) {
      const project = this.options.project ?? '<project>';
      return new ArgoCdError(
        'forbidden',
        `The Argo CD token may not ${permission} application ${app} (403${said}); grant it the "applications, ${permission}, ${project}/${app}" permission in Argo CD's RBAC`,
        status,
        argo,
      );
    }
    if (status === 404) {
      return new ArgoCdError(
        'not_found',
        `Argo CD has no application ${app}${this.options.appNamespace ? ` in namespace ${this.options.appNamespace}` : ''} (404${said})`,
        status,
        argo,
      );
    }
    if (status === 408 || status === 429 || status >= 500) {
      return new ArgoCdError('unavailable', `Argo CD answered ${status}${said}`, status, argo);
    }
    if (status === 409) return new ArgoCdError('busy', `Argo CD answered 409${said}`, status, argo);
    return new ArgoCdError('refused', `Argo CD refused the request (${status}${said})`, status, argo);
  }
}

// Argo's message from a runtimeError answer, or the start of whatever it sent; never the token.
function argoMessage(text: string, token: string): string {
  let message = '';
  try {
    const parsed = argoErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) message = parsed.data.message ?? parsed.data.error ?? '';
  } catch {
    message = text;
  }
  const flat = message.replace(/\s+/g, ' ').trim().replaceAll(token, '[redacted]');
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : null);
  return typeof detail === 'string' && detail ? detail : 'connection failed';
}

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
  return Buffer.concat(chunks).toString('utf8');
}
