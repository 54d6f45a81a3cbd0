import type { Gate } from '@flightdeck/contracts';
import { approvalsGate, waitGate, type ApprovalFacts } from '../approvals/approval-rules.js';
import { incidentGate, type IncidentGateFacts } from '../incidents/incident-gate.js';
import { policyWindowGate, type PolicyWindowFacts } from '../approvals/policy-windows.js';
import { checksGate, type ChecksGateFacts } from '../integrations/github/checks-gate.js';

export interface GateInput {
  readonly now: Date;
  // Rollbacks go through freezes and outside deployment windows: going back to a known good release
  // is what those exist to allow.
  readonly action: 'promote' | 'rollback' | 'redeploy' | 'record';
  readonly environmentSlug: string;
  readonly candidate: {
    readonly id: string;
    readonly version: string;
    readonly quarantine: { readonly by: string; readonly reason: string; readonly at: Date } | null;
  };
  readonly lock: { readonly by: string; readonly reason: string; readonly at: Date } | null;
  readonly hold: { readonly releaseId: string; readonly reason: string | null } | null;
  readonly freezes: ReadonlyArray<{ readonly reason: string; readonly scope: string; readonly until: Date }>;
  // The environment's deployment windows: null when it has none (deploys may start any time).
  readonly windows: {
    readonly open: { readonly name: string; readonly until: Date } | null;
    readonly next: { readonly name: string; readonly at: Date } | null;
  } | null;
  // Another deployment queued or running on the stage now.
  readonly busy: { readonly version: string; readonly status: string; readonly requestedBy: string } | null;
  // One entry per upstream stage: when the candidate last succeeded there, and whether it is on its way.
  readonly upstreams: ReadonlyArray<{
    readonly environmentSlug: string;
    readonly soakSeconds: number;
    readonly succeededAt: Date | null;
    readonly inProgress: boolean;
  }>;
  // The stage's approval policy and, once the deployment exists, its request and decisions.
  readonly approvals?: ApprovalFacts | null;
  // The allow and deny windows of the stage's approval policy (null when it has none).
  readonly policyWindows?: PolicyWindowFacts | null;
  // Open incidents that freeze production for the stage's service (null outside production).
  readonly incidents?: IncidentGateFacts | null;
  // The stage's checklist: how many items, and how many the requester confirmed (null before the
  // deployment exists).
  readonly checklist?: { readonly total: number; readonly confirmed: number | null } | null;
  // The stage's required CI checks and the candidate commit's results as last fetched from GitHub.
  readonly checks?: ChecksGateFacts | null;
}

// "12:40 UTC" today, "Nov 24 12:40 UTC" otherwise: sentences people read under stress.
function when(date: Date, now: Date): string {
  const time = date.toISOString().slice(11, 16);
  const sameDay = date.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay
    ? `${time} UTC`
    : `${date.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' })} ${time} UTC`;
}

function duration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 6) / 10;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

const pass = (kind: Gate['kind'], message: string): Gate => ({ kind, state: 'pass', message, until: null });

// The one evaluator of what stands between a release and a stage. Pure: the caller loads the facts.
export function evaluateGates(input: GateInput): Gate[] {
  const { now, environmentSlug: env, candidate } = input;
  const gates: Gate[] = [];

  gates.push(
    input.lock
      ? {
          kind: 'lock',
          state: 'fail',
          message: `${env} is locked by ${input.lock.by} since ${when(input.lock.at, now)}: ${input.lock.reason}`,
          until: null,
        }
      : pass('lock', `${env} is not locked`),
  );

  if (input.freezes.length === 0) {
    gates.push(pass('freeze', `No freeze covers ${env}`));
  } else {
    for (const freeze of input.freezes) {
      const message = `Frozen (${freeze.scope === 'all' ? 'everything' : freeze.scope}) until ${when(freeze.until, now)}: ${freeze.reason}`;
      gates.push(
        input.action === 'rollback'
          ? pass('freeze', `${message}; rollbacks may go through`)
          : { kind: 'freeze', state: 'fail', message, until: freeze.until.toISOString() },
      );
    }
  }

  const incident = incidentGate(input.incidents, input.action);
  if (incident) gates.push(incident);

  gates.push(windowGate(input, env, now));
  const policyWindow = policyWindowGate(input.policyWindows ?? null, input.action);
  if (policyWindow) gates.push(policyWindow);

  gates.push(
    input.hold?.releaseId === candidate.id
      ? {
          kind: 'hold',
          state: 'fail',
          message: `${candidate.version} was rolled back from ${env} and is held there${input.hold.reason ? `: ${input.hold.reason}` : ''}`,
          until: null,
        }
      : pass('hold', `No hold on ${candidate.version} in ${env}`),
  );

  gates.push(
    candidate.quarantine
      ? {
          kind: 'quarantine',
          state: 'fail',
          message: `${candidate.version} is quarantined by ${candidate.quarantine.by} since ${when(candidate.quarantine.at, now)}: ${candidate.quarantine.reason}`,
          until: null,
        }
      : pass('quarantine', `${candidate.version} is not quarantined`),
  );

  if (input.busy) {
    gates.push({
      kind: 'busy',
      state: 'waiting',
      message: `${input.busy.version} is ${input.busy.status} on ${env} (requested by ${input.busy.requestedBy}); this starts after it`,
      until: null,
    });
  }

  for (const upstream of input.upstreams) {
    if (!upstream.succeededAt) {
      gates.push(
        upstream.inProgress
          ? {
              kind: 'upstream',
              state: 'waiting',
              message: `${candidate.version} is deploying to ${upstream.environmentSlug} now`,
              until: null,
            }
          : {
              kind: 'upstream',
              state: 'fail',
              message: `${candidate.version} has not succeeded in ${upstream.environmentSlug}; promote it there first`,
              until: null,
            },
      );
      continue;
    }
    gates.push(
      pass(
        'upstream',
        `${candidate.version} succeeded in ${upstream.environmentSlug} at ${when(upstream.succeededAt, now)}`,
      ),
    );
    if (upstream.soakSeconds > 0) {
      const soakedAt = new Date(upstream.succeededAt.getTime() + upstream.soakSeconds * 1000);
      gates.push(
        soakedAt > now
          ? {
              kind: 'soak',
              state: 'waiting',
              message: `Soaking in ${upstream.environmentSlug} for ${duration(soakedAt.getTime() - now.getTime())} more (until ${when(soakedAt, now)})`,
              until: soakedAt.toISOString(),
            }
          : pass(
              'soak',
              `Soaked in ${upstream.environmentSlug} for ${duration(upstream.soakSeconds * 1000)}`,
            ),
      );
    }
  }
  if (input.approvals && input.action === 'rollback' && !input.approvals.policy.approveRollbacks) {
    gates.push(pass('approvals', `Rollbacks to ${env} go without approval (the policy says so); audited`));
  } else if (input.approvals) {
    const wait = waitGate(input.approvals, now);
    if (wait) gates.push(wait);
    const approvals = approvalsGate(input.approvals, now);
    if (approvals) gates.push(approvals);
  }
  const checklist = checklistGate(input);
  if (checklist) gates.push(checklist);
  const checks = checksGate(input.checks, input.action, now);
  if (checks) gates.push(checks);
  return gates;
}

function checklistGate(input: GateInput): Gate | null {
  const { checklist } = input;
  if (!checklist || checklist.total === 0) return null;
  const items = `${checklist.total} checklist item${checklist.total === 1 ? '' : 's'}`;
  // Going back to a known good release is what a checklist before going forward should not delay.
  if (input.action === 'rollback') return pass('checklist', `Rollbacks skip the ${items}`);
  if (checklist.confirmed === null) {
    return {
      kind: 'checklist',
      state: 'waiting',
      message: `${items} to confirm after requesting`,
      until: null,
    };
  }
  if (checklist.confirmed >= checklist.total) {
    return pass('checklist', `All ${items} confirmed by the requester`);
  }
  return {
    kind: 'checklist',
    state: 'waiting',
    message: `${checklist.confirmed} of ${items} confirmed by the requester`,
    until: null,
  };
}

function windowGate(input: GateInput, env: string, now: Date): Gate {
  const { windows } = input;
  if (!windows) return pass('window', `${env} has no deployment windows: deploys may start any time`);
  if (input.action === 'rollback' && !windows.open) {
    return pass('window', `Outside ${env}'s deployment windows; rollbacks may go at any time`);
  }
  if (windows.open) {
    return pass(
      'window',
      `Inside ${env}'s deployment window ${windows.open.name} (open until ${when(windows.open.until, now)})`,
    );
  }
  return windows.next
    ? {
        kind: 'window',
        state: 'waiting',
        message: `Outside ${env}'s deployment windows; ${windows.next.name} opens at ${when(windows.next.at, now)}`,
        until: windows.next.at.toISOString(),
      }
    : {
        kind: 'window',
        state: 'fail',
        message: `Outside ${env}'s deployment windows, and none opens again`,
        until: null,
      };
}

// One sentence for the button: the first thing in the way, or what would happen.
export function summarize(gates: readonly Gate[], action: string): string {
  const blocking =
    gates.find((gate) => gate.state === 'fail') ?? gates.find((gate) => gate.state === 'waiting');
  return blocking ? `${blocking.state === 'fail' ? 'Blocked' : 'Waiting'}: ${blocking.message}` : action;
}
