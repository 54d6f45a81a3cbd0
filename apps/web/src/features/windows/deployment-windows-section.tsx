import type { DeploymentWindow } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { CalendarCheck, CalendarClock, CalendarX, Clock, Plus } from 'lucide-react';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { StatusPill } from '../../components/ui/status-pill';
import { TableState } from '../../components/ui/table-state';
import { describeError } from '../../lib/errors';
import { formatMoment, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import { environmentListQueryOptions } from '../freezes/freeze-queries';
import { AddWindowDialog } from './add-window-dialog';
import {
  describeSchedule,
  environmentStatus,
  formatUntil,
  groupByEnvironment,
  statusOf,
  type EnvironmentWindows,
} from './window-model';
import { useDeleteWindow, windowsQueryOptions } from './window-queries';
import './windows.css';

// When deployments may start, per environment; the freezes above say when they may not.
export function DeploymentWindowsSection() {
  const windows = useQuery(windowsQueryOptions());
  const environments = useQuery(environmentListQueryOptions());
  const canWrite = useCan('freezes:write');
  const [adding, setAdding] = useState<{ environment?: string } | null>(null);
  const [removing, setRemoving] = useState<DeploymentWindow | null>(null);
  const remove = useDeleteWindow();
  const groups = groupByEnvironment(environments.data?.items ?? [], windows.data?.items ?? []);

  return (
    <div className="windows-section">
      <div className="windows-header">
        <div>
          <h2 className="windows-title">Deployment windows</h2>
          <p className="muted windows-lead">
            When deployments may start. An environment without windows takes them any time; one with windows
            only while one is open.
          </p>
        </div>
        {canWrite ? (
          <button type="button" className="button" onClick={() => setAdding({})}>
            <Plus size={15} aria-hidden />
            Add window
          </button>
        ) : (
          <p className="muted windows-note">Only approvers and admins can add or remove windows.</p>
        )}
      </div>
      <TableState
        query={windows}
        errorTitle="Deployment windows could not be loaded"
        isEmpty={false}
        empty={null}
        loadingLabel="Loading deployment windows…"
      >
        {groups.map((group) => (
          <EnvironmentWindowsTable
            key={group.slug}
            group={group}
            canWrite={canWrite}
            onAdd={() => setAdding({ environment: group.slug })}
            onRemove={setRemoving}
          />
        ))}
      </TableState>
      {adding ? <AddWindowDialog environment={adding.environment} onClose={() => setAdding(null)} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title="Remove this window?"
        confirmLabel="Remove window"
        busyLabel="Removing…"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        {removing ? <RemoveConsequence window={removing} windows={windows.data?.items ?? []} /> : null}
      </ConfirmDialog>
    </div>
  );
}

function RemoveConsequence({ window, windows }: { window: DeploymentWindow; windows: DeploymentWindow[] }) {
  const others = windows.filter(
    (entry) => entry.environmentSlug === window.environmentSlug && entry.id !== window.id,
  );
  return (
    <p>
      “{window.name}” ({describeSchedule(window)}) is removed from {window.environmentSlug} for good.{' '}
      {others.length === 0
        ? `With no window left, ${window.environmentSlug} takes deployments any time.`
        : `Deployments there still wait for its ${others.length === 1 ? 'other window' : `${others.length} other windows`}.`}{' '}
      The audit log keeps a record.
    </p>
  );
}

interface EnvironmentWindowsTableProps {
  group: EnvironmentWindows;
  canWrite: boolean;
  onAdd: () => void;
  onRemove: (window: DeploymentWindow) => void;
}

function EnvironmentWindowsTable({ group, canWrite, onAdd, onRemove }: EnvironmentWindowsTableProps) {
  const now = useNow();
  const headingId = useId();
  return (
    <div className="windows-environment">
      <div className="windows-environment-header">
        <h3 id={headingId} className="windows-environment-title">
          {group.name}
        </h3>
        <EnvironmentSummary windows={group.windows} now={now} />
        {canWrite ? (
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={`Add a window to ${group.name}`}
            onClick={onAdd}
          >
            <Plus size={13} aria-hidden />
            Add
          </button>
        ) : null}
      </div>
      {group.windows.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Status</th>
                <th scope="col">Created by</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {group.windows.map((window) => (
                <tr key={window.id}>
                  <th scope="row" className="cell-strong">
                    {window.name}
                  </th>
                  <td>
                    <span className="windows-schedule">
                      <span>{describeSchedule(window)}</span>
                      <code className="muted">{window.cron}</code>
                    </span>
                  </td>
                  <td>
                    <WindowStatusPill window={window} now={now} />
                  </td>
                  <td>
                    {window.createdBy}
                    <br />
                    <time className="muted" dateTime={window.createdAt}>
                      {formatTimestamp(window.createdAt)}
                    </time>
                  </td>
                  {canWrite ? (
                    <td className="cell-actions">
                      <button
                        type="button"
                        className="button button-small button-danger-ghost"
                        aria-label={`Remove window “${window.name}” from ${group.name}`}
                        onClick={() => onRemove(window)}
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function EnvironmentSummary({ windows, now }: { windows: DeploymentWindow[]; now: number }) {
  const status = environmentStatus(windows);
  if (status.kind === 'unrestricted') {
    return (
      <StatusPill tone="neutral" Icon={Clock} quiet label="No windows: deployments may start any time" />
    );
  }
  if (status.kind === 'open') {
    return (
      <StatusPill
        tone="success"
        Icon={CalendarCheck}
        quiet
        title={formatTimestamp(status.until)}
        label={`Deployments may start until ${formatUntil(status.until, now)}`}
      />
    );
  }
  return (
    <StatusPill
      tone="warning"
      Icon={CalendarX}
      quiet
      title={status.opens ? formatTimestamp(status.opens) : undefined}
      label={
        status.opens
          ? `Closed: deployments wait until ${formatMoment(status.opens, now)}`
          : 'Closed: no window opens again'
      }
    />
  );
}

function WindowStatusPill({ window, now }: { window: DeploymentWindow; now: number }) {
  const status = statusOf(window);
  if (status.kind === 'open') {
    return (
      <StatusPill
        tone="success"
        Icon={CalendarCheck}
        title={`${formatTimestamp(window.current!.start)} → ${formatTimestamp(status.until)}`}
        label={`Open now until ${formatUntil(status.until, now)}`}
      />
    );
  }
  if (status.kind === 'closed') {
    return (
      <StatusPill
        tone="neutral"
        Icon={CalendarClock}
        title={`${formatTimestamp(status.opens)} → ${formatTimestamp(window.next!.end)}`}
        label={`Next opens ${formatMoment(status.opens, now)}`}
      />
    );
  }
  return <StatusPill tone="neutral" Icon={CalendarX} label="Never opens again" />;
}
