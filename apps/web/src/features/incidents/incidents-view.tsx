import { formatIncidentDuration } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Siren, Snowflake } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { formatMoment, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { DeclareIncidentButton } from './declare-incident-button';
import { IncidentStatusPill, SeverityPill } from './incident-pills';
import { incidentPath } from './incident-paths';
import { incidentsQueryOptions } from './incident-queries';
import './incidents.css';

// Every incident with its severity, status and how long it lasted (or has lasted so far).
export function IncidentsView() {
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const query = useQuery(incidentsQueryOptions(status));
  const now = useNow();
  const incidents = query.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader
        title="Incidents"
        description="What went wrong, who runs it, and which deployments caused and fixed it. Severe open incidents freeze promotions to production for their services."
        actions={<DeclareIncidentButton className="button button-primary" />}
      />
      <div className="incident-filter" role="group" aria-label="Show">
        {(['open', 'all'] as const).map((value) => (
          <button
            key={value}
            type="button"
            className="button button-small"
            aria-pressed={status === value}
            onClick={() => setStatus(value)}
          >
            {value === 'open' ? 'Open' : 'All'}
          </button>
        ))}
      </div>
      <TableState
        query={query}
        errorTitle="Incidents could not be loaded"
        isEmpty={incidents.length === 0}
        loadingLabel="Loading incidents…"
        empty={
          <EmptyState
            icon={<Siren size={22} aria-hidden />}
            title={status === 'open' ? 'No open incidents' : 'No incidents'}
          >
            <p>Declare one from here, a stage or a deployment when something breaks.</p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-label="Incidents">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Affected</th>
                <th scope="col">Detected</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => (
                <tr key={incident.id}>
                  <th scope="row" className="cell-strong">
                    <Link to={incidentPath(incident.id)}>
                      {incident.reference} · {incident.title}
                    </Link>
                    {incident.freezingProduction ? (
                      <span className="incident-freezing">
                        <Snowflake size={13} aria-hidden /> Freezing production
                      </span>
                    ) : null}
                  </th>
                  <td>
                    <SeverityPill severity={incident.severity} />
                  </td>
                  <td>
                    <IncidentStatusPill status={incident.status} />
                  </td>
                  <td>
                    {formatIncidentDuration(incident.durationSeconds)}
                    {incident.resolvedAt ? '' : ' so far'}
                  </td>
                  <td>
                    {incident.stages.length === 0
                      ? '—'
                      : incident.stages
                          .map((stage) => `${stage.serviceSlug}/${stage.environmentSlug}`)
                          .join(', ')}
                  </td>
                  <td>
                    <time dateTime={incident.detectedAt} title={formatTimestamp(incident.detectedAt)}>
                      {formatMoment(incident.detectedAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </TableState>
    </div>
  );
}
