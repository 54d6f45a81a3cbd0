import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractExchange } from './fake-argocd-contract.js';

// A fake Argo CD API server over real HTTP on loopback, following Argo CD's REST contract (the
// vendored swagger document) and its refusals: applications with history and an operation that
// progresses over time, auto-sync, sync windows, and fault modes.

type Json = Record<string, unknown>;

export interface FakeArgoSource {
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  helm?: { parameters?: Array<{ name: string; value: string }> };
  kustomize?: { images?: string[] };
}

export interface FakeArgoSyncWindow {
  readonly kind: 'allow' | 'deny';
  readonly schedule: string;
  readonly duration: string;
  readonly manualSync?: boolean;
  // Whether the window is open now (the fake does not evaluate cron).
  readonly active: boolean;
}

export type FakeArgoFault =
  // The next `times` requests (of any kind, for this application) answer 500.
  | { readonly kind: 'error500'; readonly times: number }
  // Requests hang without an answer (until the server closes or the fault is cleared).
  | { readonly kind: 'hang' }
  // Requests are answered after `delayMs`.
  | { readonly kind: 'slow'; readonly delayMs: number }
  // Operations start and then stay Running until terminated.
  | { readonly kind: 'stuck' }
  // Operations end Failed with this message.
  | { readonly kind: 'syncFails'; readonly message: string };

export interface FakeArgoAppOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly project?: string;
  readonly source?: FakeArgoSource;
  readonly autoSync?: boolean;
  // Earlier deployments, oldest first: they become history ids 1, 2, …; the last one is live.
  readonly history?: ReadonlyArray<{ revision: string; source?: FakeArgoSource }>;
  // How long a requested operation waits before it runs, runs, and how long health stays Progressing.
  readonly pickupMs?: number;
  readonly syncMs?: number;
  readonly healthDelayMs?: number;
  // The health an application reaches after a successful sync.
  readonly healthAfterSync?: 'Healthy' | 'Degraded' | 'Missing';
  readonly healthMessage?: string;
  readonly windows?: FakeArgoSyncWindow[];
}

interface RunningOp {
  readonly kind: 'sync' | 'rollback' | 'other';
  readonly revision: string;
  readonly source: FakeArgoSource;
  readonly info: Array<{ name: string; value: string }>;
  readonly initiatedBy: string;
  readonly requestedAt: number;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly syncOptions: string[];
  startedAt: number | null;
  terminatingAt: number | null;
  durationMs: number | null;
}

export interface FakeArgoApp {
  readonly name: string;
  readonly namespace: string;
  readonly project: string;
  spec: { source: FakeArgoSource; syncPolicy?: { automated?: { enabled?: boolean; prune?: boolean } } };
  history: Array<{
    id: number;
    revision: string;
    deployedAt: string;
    deployStartedAt: string;
    source: FakeArgoSource;
  }>;
  operation: RunningOp | null;
  operationState: Json | null;
  health: { status: string; message: string };
  healthAfter: { at: number; status: string; message: string } | null;
  sync: { status: string; revision: string };
  windows: FakeArgoSyncWindow[];
  fault: FakeArgoFault | null;
  pickupMs: number;
  syncMs: number;
  healthDelayMs: number;
  healthAfterSync: 'Healthy' | 'Degraded' | 'Missing';
  healthMessage: string;
}

export interface FakeArgoRequest extends ContractExchange {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | null;
  readonly receivedAt: Date;
}

export interface FakeArgoCd {
  readonly url: string;
  readonly token: string;
  readonly requests: FakeArgoRequest[];
  addApplication(options: FakeArgoAppOptions): FakeArgoApp;
  app(name: string): FakeArgoApp;
  setFault(name: string, fault: FakeArgoFault | null): void;
  setAutoSync(name: string, on: boolean): void;
  setWindows(name: string, windows: FakeArgoSyncWindow[]): void;
  // Sets the live health (as the application controller would after a change in the cluster).
  setHealth(name: string, status: string, message?: string): void;
  // Someone else's operation (a CLI user, an auto-sync) runs for `durationMs`.
  startForeignOperation(name: string, durationMs: number): void;
  // What a git tag or branch resolves to (else a revision is its own commit, or a hash of itself).
  setRevision(ref: string, sha: string): void;
  // Requests for one application, optionally of one kind: 'sync', 'rollback', 'operation', 'syncwindows'…
  requestsFor(name: string, action?: string): FakeArgoRequest[];
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const GRPC = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  failedPrecondition: 9,
  internal: 13,
  unauthenticated: 16,
};

export async function startFakeArgoCd(options: { token?: string } = {}): Promise<FakeArgoCd> {
  const token = options.token ?? 'argocd-test-token';
  const apps = new Map<string, FakeArgoApp>();
  const refs = new Map<string, string>();
  const requests: FakeArgoRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const resolve = (ref: string): string =>
    refs.get(ref) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : createHash('sha1').update(ref).digest('hex'));
  const iso = (ms: number) => new Date(ms).toISOString();
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  function app(name: string): FakeArgoApp {
    const found = apps.get(name);
    if (!found) throw new Error(`fake Argo CD has no application ${name}`);
    return found;
  }

  function autoSyncOn(a: FakeArgoApp): boolean {
    const automated = a.spec.syncPolicy?.automated;
    return automated !== undefined && automated.enabled !== false;
  }

  // Moves the application's operation and health along the clock.
  function advance(a: FakeArgoApp, now = Date.now()): void {
    const op = a.operation;
    if (op && op.startedAt === null && now >= op.requestedAt + a.pickupMs) {
      op.startedAt = now;
      a.operationState = {
        operation: operationOf(op),
        phase: 'Running',
        message: 'one or more tasks are running',
        startedAt: iso(now),
      };
    }
    if (op && op.startedAt !== null && op.terminatingAt !== null && now >= op.terminatingAt + 200) {
      a.operationState = {
        ...a.operationState,
        phase: 'Failed',
        message: 'Operation terminated',
        finishedAt: iso(now),
      };
      a.operation = null;
    } else if (op && op.startedAt !== null && op.terminatingAt === null) {
      const duration = op.durationMs ?? a.syncMs;
      const stuck = a.fault?.kind === 'stuck' && op.kind !== 'other';
      if (!stuck && now >= op.startedAt + duration) finish(a, op, now);
    }
    if (a.healthAfter && now >= a.healthAfter.at) {
      a.health = { status: a.healthAfter.status, message: a.healthAfter.message };
      a.healthAfter = null;
    }
  }

  function operationOf(op: RunningOp): Json {
    return {
      sync: {
        revision: op.revision,
        prune: op.prune,
        dryRun: op.dryRun,
        ...(op.syncOptions.length ? { syncOptions: op.syncOptions } : {}),
        ...(op.kind === 'rollback' ? { source: op.source } : {}),
      },
      ...(op.info.length ? { info: op.info } : {}),
      initiatedBy: { username: op.initiatedBy },
    };
  }

  function finish(a: FakeArgoApp, op: RunningOp, now: number): void {
    a.operation = null;
    if (a.fault?.kind === 'syncFails' && op.kind !== 'other') {
      a.operationState = {
        ...a.operationState,
        phase: 'Failed',
        message: a.fault.message,
        finishedAt: iso(now),
      };
      return;
    }
    const revision = resolve(op.revision);
    a.operationState = {
      ...a.operationState,
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      finishedAt: iso(now),
      syncResult: { revision, source: clone(op.source) },
    };
    if (op.dryRun) return;
    const id = (a.history.at(-1)?.id ?? 0) + 1;
    a.history.push({
      id,
      revision,
      deployedAt: iso(now),
      deployStartedAt: iso(op.startedAt ?? now),
      source: clone(op.source),
    });
    const target = resolve(a.spec.source.targetRevision ?? 'HEAD');
    a.sync = { status: target === revision ? 'Synced' : 'OutOfSync', revision };
    a.health = {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: 1 old replicas are pending termination',
    };
    a.healthAfter = { at: now + a.healthDelayMs, status: a.healthAfterSync, message: a.healthMessage };
  }

  function view(a: FakeArgoApp): Json {
    advance(a);
    return {
      metadata: {
        name: a.name,
        namespace: a.namespace,
        uid: createHash('md5').update(a.name).digest('hex'),
        resourceVersion: String(requests.length),
      },
      spec: {
        project: a.project,
        source: clone(a.spec.source),
        destination: { server: 'https://kubernetes.default.svc', namespace: a.name },
        ...(a.spec.syncPolicy ? { syncPolicy: clone(a.spec.syncPolicy) } : {}),
      },
      ...(a.operation && a.operation.startedAt === null ? { operation: operationOf(a.operation) } : {}),
      status: {
        health: { status: a.health.status, ...(a.health.message ? { message: a.health.message } : {}) },
        sync: {
          status: a.sync.status,
          revision: a.sync.revision,
          comparedTo: {
            source: clone(a.spec.source),
            destination: { server: 'https://kubernetes.default.svc', namespace: a.name },
          },
        },
        history: clone(a.history),
        ...(a.operationState ? { operationState: clone(a.operationState) } : {}),
        reconciledAt: iso(Date.now()),
        sourceType: a.spec.source.helm ? 'Helm' : a.spec.source.kustomize ? 'Kustomize' : 'Directory',
      },
    };
  }

  function syncWindows(a: FakeArgoApp): Json {
    const strip = ({ active: _active, ...w }: FakeArgoSyncWindow) => ({
      ...w,
      manualSync: w.manualSync ?? false,
    });
    const active = a.windows.filter((w) => w.active);
    const denyActive = active.some((w) => w.kind === 'deny' && !w.manualSync);
    const allows = a.windows.filter((w) => w.kind === 'allow');
    const allowOpen = allows.length === 0 || active.some((w) => w.kind === 'allow');
    return {
      assignedWindows: a.windows.map(strip),
      activeWindows: active.map(strip),
      canSync: !denyActive && allowOpen,
    };
  }

  function request(
    a: FakeArgoApp,
    kind: RunningOp['kind'],
    fields: Partial<RunningOp> & { revision: string; source: FakeArgoSource },
  ): void {
    a.operation = {
      kind,
      info: [],
      initiatedBy: 'flightdeck',
      requestedAt: Date.now(),
      prune: false,
      dryRun: false,
      syncOptions: [],
      startedAt: null,
      terminatingAt: null,
      durationMs: null,
      ...fields,
    };
  }

  type Answer = { status: number; body: unknown };
  const error = (status: number, code: number, message: string): Answer => ({
    status,
    body: { error: message, code, message, details: [] },
  });

  function handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Json | undefined,
    auth: string | null,
  ): Answer {
    if (auth !== `Bearer ${token}`)
      return error(401, GRPC.unauthenticated, 'invalid session: token signature is invalid');
    const match = /^\/api\/v1\/applications\/([^/]+)(\/[a-z]+)?$/.exec(path);
    if (!match) return error(404, GRPC.notFound, 'Not Found');
    const name = decodeURIComponent(match[1]!);
    const action = match[2] ?? '';
    const a = apps.get(name);
    const ns = query.get('appNamespace') ?? (body?.appNamespace as string | undefined);
    if (!a || (ns && ns !== a.namespace))
      return error(404, GRPC.notFound, `applications.argoproj.io "${name}" not found`);
    const project = query.get('project') ?? (body?.project as string | undefined);
    if (project && project !== a.project)
      return error(403, GRPC.permissionDenied, `permission denied: applications, get, ${project}/${name}`);
    advance(a);
    const busy = a.operation !== null;
    if (method === 'GET' && action === '') return { status: 200, body: view(a) };
    if (method === 'GET' && action === '/syncwindows') return { status: 200, body: syncWindows(a) };
    if (method === 'PATCH' && action === '') {
      if (body?.patchType !== 'merge' || typeof body.patch !== 'string')
        return error(400, GRPC.invalidArgument, `Patch type '${String(body?.patchType)}' is not supported`);
      const patch = JSON.parse(body.patch) as { spec?: Json };
      if (patch.spec) a.spec = mergePatch(a.spec, patch.spec) as FakeArgoApp['spec'];
      return { status: 200, body: view(a) };
    }
    if (method === 'POST' && action === '/sync') {
      if (busy) return error(400, GRPC.failedPrecondition, 'another operation is already in progress');
      if (!(syncWindows(a).canSync as boolean))
        return error(403, GRPC.permissionDenied, 'cannot sync: blocked by sync window');
      const target = a.spec.source.targetRevision ?? 'HEAD';
      const revision = (body?.revision as string | undefined) || target;
      if (autoSyncOn(a) && body?.revision && body.revision !== target && body.dryRun !== true) {
        return error(
          400,
          GRPC.failedPrecondition,
          `Cannot sync to ${revision}: auto-sync currently set to ${target}`,
        );
      }
      const options = body?.syncOptions as { items?: string[] } | undefined;
      request(a, 'sync', {
        revision,
        source: { ...clone(a.spec.source), targetRevision: revision },
        info: ((body?.infos as Array<{ name: string; value: string }> | undefined) ?? []).map((i) => ({
          name: i.name,
          value: i.value,
        })),
        prune: body?.prune === true,
        dryRun: body?.dryRun === true,
        syncOptions: options?.items ?? [],
      });
      return { status: 200, body: view(a) };
    }
    if (method === 'POST' && action === '/rollback') {
      if (autoSyncOn(a) && body?.dryRun !== true)
        return error(400, GRPC.failedPrecondition, 'rollback cannot be initiated when auto-sync is enabled');
      if (busy) return error(400, GRPC.failedPrecondition, 'another operation is already in progress');
      const id = Number(body?.id);
      const entry = a.history.find((h) => h.id === id);
      if (!entry)
        return error(
          400,
          GRPC.invalidArgument,
          `application ${name} does not have deployment with id ${String(body?.id)}`,
        );
      request(a, 'rollback', {
        revision: entry.revision,
        source: clone(entry.source),
        prune: body?.prune === true,
        dryRun: body?.dryRun === true,
      });
      return { status: 200, body: view(a) };
    }
    if (method === 'DELETE' && action === '/operation') {
      if (!a.operation)
        return error(400, GRPC.invalidArgument, 'Unable to terminate operation. No operation is in progress');
      if (a.operation.startedAt === null) {
        a.operation = null;
      } else {
        a.operation.terminatingAt = Date.now();
        a.operationState = { ...a.operationState, phase: 'Terminating', message: 'Terminating' };
      }
      return { status: 200, body: {} };
    }
    return error(404, GRPC.notFound, 'Not Found');
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Json | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Json) : undefined;
      } catch {
        body = undefined;
      }
      const match = /^\/api\/v1\/applications\/([^/]+)/.exec(url.pathname);
      const target = match ? apps.get(decodeURIComponent(match[1]!)) : undefined;
      const fault = target?.fault ?? null;
      const record = (status: number, responseBody: unknown) =>
        requests.push({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          path: url.pathname,
          query: url.searchParams,
          requestBody: body,
          status,
          responseBody,
          authorization: req.headers.authorization ?? null,
          receivedAt: new Date(),
        });
      if (fault?.kind === 'hang') {
        hanging.add(res);
        record(0, undefined);
        return;
      }
      const answer = (): void => {
        let result: Answer;
        if (target && fault?.kind === 'error500' && fault.times > 0) {
          target.fault = fault.times > 1 ? { kind: 'error500', times: fault.times - 1 } : null;
          result = error(500, GRPC.internal, 'rpc error: code = Unavailable desc = connection refused');
        } else {
          try {
            result = handle(
              req.method ?? 'GET',
              url.pathname,
              url.searchParams,
              body,
              req.headers.authorization ?? null,
            );
          } catch (e) {
            result = error(500, GRPC.internal, e instanceof Error ? e.message : 'internal error');
          }
        }
        record(result.status, result.body);
        res.writeHead(result.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result.body));
      };
      if (fault?.kind === 'slow') setTimeout(answer, fault.delayMs);
      else answer();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addApplication(o) {
      const now = Date.now();
      const source: FakeArgoSource = clone(
        o.source ?? { repoURL: 'https://git.example.com/deploy.git', path: o.name, targetRevision: 'HEAD' },
      );
      const history = (o.history ?? []).map((h, i) => ({
        id: i + 1,
        revision: resolve(h.revision),
        deployedAt: iso(now - (o.history!.length - i) * 60_000),
        deployStartedAt: iso(now - (o.history!.length - i) * 60_000 - 5_000),
        source: clone(h.source ?? { ...source, targetRevision: h.revision }),
      }));
      const live = history.at(-1);
      const a: FakeArgoApp = {
        name: o.name,
        namespace: o.namespace ?? 'argocd',
        project: o.project ?? 'default',
        spec: {
          source,
          ...(o.autoSync ? { syncPolicy: { automated: { enabled: true, prune: true } } } : {}),
        },
        history,
        operation: null,
        operationState: live
          ? {
              operation: { sync: { revision: live.revision }, initiatedBy: { username: 'admin' } },
              phase: 'Succeeded',
              message: 'successfully synced (all tasks run)',
              startedAt: live.deployStartedAt,
              finishedAt: live.deployedAt,
              syncResult: { revision: live.revision, source: clone(live.source) },
            }
          : null,
        health: { status: live ? 'Healthy' : 'Missing', message: '' },
        healthAfter: null,
        sync: { status: live ? 'Synced' : 'OutOfSync', revision: live?.revision ?? '' },
        windows: o.windows ?? [],
        fault: null,
        pickupMs: o.pickupMs ?? 50,
        syncMs: o.syncMs ?? 300,
        healthDelayMs: o.healthDelayMs ?? 300,
        healthAfterSync: o.healthAfterSync ?? 'Healthy',
        healthMessage: o.healthMessage ?? '',
      };
      apps.set(o.name, a);
      return a;
    },
    // The application as it is now (its operation and health moved along the clock).
    app(name) {
      const a = app(name);
      advance(a);
      return a;
    },
    setFault(name, fault) {
      app(name).fault = fault;
      if (fault?.kind !== 'hang') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    setAutoSync(name, on) {
      const a = app(name);
      a.spec.syncPolicy = on ? { automated: { enabled: true, prune: true } } : {};
    },
    setWindows(name, windows) {
      app(name).windows = windows;
    },
    setHealth(name, status, message = '') {
      const a = app(name);
      a.health = { status, message };
      a.healthAfter = null;
    },
    startForeignOperation(name, durationMs) {
      const a = app(name);
      advance(a);
      const revision = a.sync.revision || 'HEAD';
      request(a, 'other', { revision, source: clone(a.spec.source), initiatedBy: 'ci-bot', durationMs });
      a.operation!.startedAt = Date.now();
      a.operationState = {
        operation: operationOf(a.operation!),
        phase: 'Running',
        message: 'one or more tasks are running',
        startedAt: iso(Date.now()),
      };
    },
    setRevision(ref, sha) {
      refs.set(ref, sha);
    },
    requestsFor(name, action) {
      const base = `/api/v1/applications/${encodeURIComponent(name)}`;
      return requests.filter((r) =>
        action === undefined
          ? r.path === base || r.path.startsWith(`${base}/`)
          : r.path === (action ? `${base}/${action}` : base),
      );
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error('fake Argo CD: condition not met in time');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

// RFC 7386 JSON merge patch.
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Json =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
