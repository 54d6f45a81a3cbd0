import type { IncidentSeverity } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Plus, Siren } from 'lucide-react';
import { useState } from 'react';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { FreezesProductionPill } from './freezes-production-pill';
import { SeverityPill } from './incident-pills';
import { severitiesQueryOptions } from './incident-queries';
import { SeverityDialog } from './severity-dialog';

export function SeveritiesView() {
  const severities = useQuery(severitiesQueryOptions());
  const [editing, setEditing] = useState<IncidentSeverity | 'new' | null>(null);
  const items = severities.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Incident severities"
        description="The scheme incidents are declared with, most severe first: how fast someone must respond, and whether an open incident holds promotions to production."
        actions={
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            <Plus size={15} aria-hidden />
            Add severity
          </button>
        }
      />
      <TableState
        query={severities}
        errorTitle="Severities could not be loaded"
        isEmpty={items.length === 0}
        loadingLabel="Loading severities…"
        empty={
          <EmptyState icon={<Siren size={22} aria-hidden />} title="No severities yet">
            <p>Add at least one severity before anyone can declare an incident.</p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-label="Incident severities">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Rank</th>
                <th scope="col">Respond within</th>
                <th scope="col">Production</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((severity) => (
                <tr key={severity.key}>
                  <th scope="row">
                    <SeverityPill severity={severity} />
                  </th>
                  <td>{severity.rank}</td>
                  <td>{severity.expectedResponseMinutes} min</td>
                  <td>
                    <FreezesProductionPill severity={severity} />
                  </td>
                  <td className="muted">{severity.description}</td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Edit ${severity.key} ${severity.name}`}
                      onClick={() => setEditing(severity)}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </TableState>
      {editing ? (
        <SeverityDialog severity={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}
