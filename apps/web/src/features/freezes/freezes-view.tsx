import type { Freeze } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Plus, Repeat, Snowflake } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { InlineNote } from '../../components/ui/field';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { describeError } from '../../lib/errors';
import { formatMoment, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import { CreateFreezeDialog } from './create-freeze-dialog';
import { describeScope, formatDuration, groupFreezes, presetOf } from './freeze-model';
import { freezesQueryOptions, useDeleteFreeze } from './freeze-queries';
import './freezes.css';

// `children` lets the page add related sections (deployment windows) under the freezes.
export function FreezesView({ children }: { children?: ReactNode }) {
  const query = useQuery(freezesQueryOptions());
  const canWrite = useCan('freezes:write');
  const [creating, setCreating] = useState(false);
  const [lifting, setLifting] = useState<Freeze | null>(null);
  const remove = useDeleteFreeze();
  const freezes = query.data?.items ?? [];
  const groups = groupFreezes(freezes);

  return (
    <div className="page">
      <PageHeader
        title="Freezes"
        description="Windows in which no deployment reaches the stages they cover: one-off (a launch, a holiday) or recurring (nights, weekends)."
        actions={
          canWrite ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <Plus size={15} aria-hidden />
              Create freeze
            </button>
          ) : null
        }
      />
      {canWrite ? null : (
        <InlineNote>
          Only approvers and admins can create or lift freezes. You can see every freeze here.
        </InlineNote>
      )}
      <TableState
        query={query}
        errorTitle="Freezes could not be loaded"
        isEmpty={freezes.length === 0}
        loadingLabel="Loading freezes…"
        empty={
          <EmptyState icon={<Snowflake size={22} aria-hidden />} title="No freezes">
            <p>Deployments flow whenever their gates allow. Create a freeze to hold them for a while.</p>
          </EmptyState>
        }
      >
        <FreezeSection
          title="Active now"
          freezes={groups.active}
          empty="Nothing is frozen right now."
          canWrite={canWrite}
          onLift={setLifting}
        />
        <FreezeSection
          title="Upcoming and recurring"
          freezes={groups.upcoming}
          empty="No freeze is scheduled."
          canWrite={canWrite}
          onLift={setLifting}
        />
        {groups.past.length > 0 ? (
          <FreezeSection title="Past" freezes={groups.past} canWrite={canWrite} onLift={setLifting} />
        ) : null}
      </TableState>
      {children}
      {creating ? <CreateFreezeDialog onClose={() => setCreating(false)} /> : null}
      <ConfirmDialog
        open={lifting !== null}
        title="Lift this freeze?"
        confirmLabel="Lift freeze"
        busyLabel="Lifting…"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onClose={() => setLifting(null)}
        onConfirm={() => lifting && remove.mutate(lifting.id, { onSuccess: () => setLifting(null) })}
      >
        {lifting ? (
          <p>
            “{lifting.reason}” ({describeScope(lifting).toLowerCase()}) is removed for good
            {lifting.current ? ': deployments can reach those stages again at once' : ''}. The audit log keeps
            a record.
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

interface FreezeSectionProps {
  title: string;
  freezes: readonly Freeze[];
  empty?: string;
  canWrite: boolean;
  onLift: (freeze: Freeze) => void;
}

function FreezeSection({ title, freezes, empty, canWrite, onLift }: FreezeSectionProps) {
  const now = useNow();
  return (
    <section className="freeze-section" aria-label={title}>
      <h2 className="freeze-section-title">
        {title} <span className="muted">({freezes.length})</span>
      </h2>
      {freezes.length === 0 ? (
        <p className="muted freeze-section-empty">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={`${title} freezes`}>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">Applies to</th>
                <th scope="col">Window</th>
                <th scope="col">When</th>
                <th scope="col">Created by</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {freezes.map((freeze) => (
                <tr key={freeze.id}>
                  <th scope="row" className="cell-strong freeze-reason">
                    {freeze.reason}
                  </th>
                  <td>
                    <Badge tone={freeze.scope === 'all' ? 'warning' : 'neutral'} variant="outline">
                      {describeScope(freeze)}
                    </Badge>
                  </td>
                  <td>
                    <FreezeWindow freeze={freeze} now={now} />
                  </td>
                  <td>
                    <FreezeWhen freeze={freeze} now={now} />
                  </td>
                  <td>
                    {freeze.createdBy}
                    <br />
                    <time className="muted" dateTime={freeze.createdAt}>
                      {formatTimestamp(freeze.createdAt)}
                    </time>
                  </td>
                  {canWrite ? (
                    <td className="cell-actions">
                      <button
                        type="button"
                        className="button button-small button-danger-ghost"
                        aria-label={`Lift freeze “${freeze.reason}”`}
                        onClick={() => onLift(freeze)}
                      >
                        Lift
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FreezeWindow({ freeze, now }: { freeze: Freeze; now: number }) {
  const window = freeze.window;
  if (window.kind === 'oneoff') {
    return (
      <span title={`${formatTimestamp(window.startsAt)} → ${formatTimestamp(window.endsAt)}`}>
        Once: {formatMoment(window.startsAt, now)} → {formatMoment(window.endsAt, now)}
      </span>
    );
  }
  const preset = presetOf(window.cron, window.durationMinutes);
  return (
    <span className="freeze-window">
      <Repeat size={13} aria-hidden />
      <span>
        {preset ? preset.label : <code>{window.cron}</code>}
        {preset ? null : ` for ${formatDuration(window.durationMinutes)}`}
        <span className="muted"> · {window.timezone}</span>
      </span>
    </span>
  );
}

function FreezeWhen({ freeze, now }: { freeze: Freeze; now: number }) {
  if (freeze.current) {
    return (
      <span className="status-pill" data-tone="info" title={formatTimestamp(freeze.current.end)}>
        <Snowflake className="status-icon" size={13} strokeWidth={2.25} aria-hidden />
        <span className="status-label">Frozen until {formatMoment(freeze.current.end, now)}</span>
      </span>
    );
  }
  if (freeze.next) {
    return (
      <span title={`${formatTimestamp(freeze.next.start)} → ${formatTimestamp(freeze.next.end)}`}>
        Next: {formatMoment(freeze.next.start, now)} → {formatMoment(freeze.next.end, now)}
      </span>
    );
  }
  const ended = freeze.window.kind === 'oneoff' ? freeze.window.endsAt : null;
  return <span className="muted">{ended ? `Ended ${formatTimestamp(ended)}` : 'No window ahead'}</span>;
}
