import { formatIncidentDuration, type Incident } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Download, Snowflake } from 'lucide-react';
import { Link } from 'react-router';
import { InlineError } from '../../components/ui/field';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { describeError } from '../../lib/errors';
import { formatTimestamp } from '../../lib/time';
import { useCan, useMe } from '../auth/use-auth';
import { servicePath } from '../service/service-paths';
import { IncidentStatusPill, SeverityPill } from './incident-pills';
import { STATUS_ACTION } from './incident-meta';
import { incidentMarkdownPath, INCIDENTS_ROUTE } from './incident-paths';
import {
  incidentQueryOptions,
  timelineQueryOptions,
  useAcknowledgeIncident,
  useTransitionIncident,
} from './incident-queries';
import { IncidentTimeline } from './incident-timeline';
import { PostmortemPanel } from './postmortem-panel';
import { SuspectList } from './suspect-list';
import './incidents.css';

export function IncidentView({ id }: { id: string }) {
  const query = useQuery(incidentQueryOptions(id));
  const incident = query.data;
  return (
    <div className="page incident-page">
      <TableState
        query={query}
        errorTitle="The incident could not be loaded"
        isEmpty={false}
        empty={null}
        loadingLabel="Loading the incident…"
      >
        {incident ? <IncidentDetail incident={incident} /> : null}
      </TableState>
    </div>
  );
}

function IncidentDetail({ incident }: { incident: Incident }) {
  const timeline = useQuery(timelineQueryOptions(incident.id));
  return (
    <>
      <p className="muted">
        <Link to={INCIDENTS_ROUTE}>Incidents</Link> / {incident.reference}
      </p>
      <PageHeader
        title={`${incident.reference}: ${incident.title}`}
        actions={
          <a className="button" href={incidentMarkdownPath(incident.id)} download>
            <Download size={15} aria-hidden /> Export Markdown
          </a>
        }
      >
        <div className="incident-badges">
          <SeverityPill severity={incident.severity} />
          <IncidentStatusPill status={incident.status} />
          {incident.freezingProduction ? (
            <span className="incident-freezing" role="status">
              <Snowflake size={13} aria-hidden /> Promotions to production of{' '}
              {[...new Set(incident.stages.map((stage) => stage.serviceSlug))].join(', ')} wait until this is
              resolved (rollbacks go through)
            </span>
          ) : null}
        </div>
      </PageHeader>
      <StatusControls incident={incident} />
      <div className="incident-layout">
        <div className="incident-main">
          <SuspectList incidentId={incident.id} reference={incident.reference} />
          <TableState
            query={timeline}
            errorTitle="The timeline could not be loaded"
            isEmpty={false}
            empty={null}
            loadingLabel="Loading the timeline…"
          >
            {timeline.data ? <IncidentTimeline incidentId={incident.id} timeline={timeline.data} /> : null}
          </TableState>
        </div>
        <aside className="incident-side">
          <IncidentFacts incident={incident} />
          <PostmortemPanel incident={incident} />
        </aside>
      </div>
    </>
  );
}

// Acknowledge and move forward; only the commander or an approver may move it (the server says so too).
function StatusControls({ incident }: { incident: Incident }) {
  const me = useMe();
  const mayApprove = useCan('approvals:decide');
  const canWrite = useCan('deployments:write');
  const transition = useTransitionIncident(incident.id);
  const acknowledge = useAcknowledgeIncident(incident.id);
  const mayRun = mayApprove || incident.commander?.id === me.id;
  if (!canWrite || incident.status === 'resolved') return null;
  const error = transition.error ?? acknowledge.error;
  return (
    <div className="incident-controls" role="group" aria-label="Incident status">
      {incident.acknowledgedAt ? null : (
        <button
          type="button"
          className="button"
          disabled={acknowledge.isPending}
          onClick={() => acknowledge.mutate()}
        >
          Acknowledge{incident.commander ? '' : ' and take command'}
        </button>
      )}
      {incident.nextStatuses.map((status) => (
        <button
          key={status}
          type="button"
          className={status === 'resolved' ? 'button button-primary' : 'button'}
          disabled={!mayRun || transition.isPending}
          title={mayRun ? undefined : 'Only the commander or an approver can change the status'}
          onClick={() => transition.mutate({ status })}
        >
          {STATUS_ACTION[status]}
        </button>
      ))}
      {error ? <InlineError title="Not changed">{describeError(error).message}</InlineError> : null}
    </div>
  );
}

function IncidentFacts({ incident }: { incident: Incident }) {
  const rows: Array<[string, string | null]> = [
    ['Detected', incident.detectedAt],
    ['Acknowledged', incident.acknowledgedAt],
    ['Identified', incident.identifiedAt],
    ['Monitoring', incident.monitoringAt],
    ['Resolved', incident.resolvedAt],
  ];
  return (
    <section className="incident-panel" aria-label="Details">
      <h2 className="incident-panel-title">Details</h2>
      <dl className="incident-facts">
        <dt>Commander</dt>
        <dd>{incident.commander ? incident.commander.name : 'Nobody yet'}</dd>
        <dt>Declared by</dt>
        <dd>{incident.declaredBy}</dd>
        {rows.map(([label, at]) => (
          <div key={label} className="incident-fact">
            <dt>{label}</dt>
            <dd>{at ? <time dateTime={at}>{formatTimestamp(at)}</time> : '—'}</dd>
          </div>
        ))}
        <dt>MTTA</dt>
        <dd>
          {incident.mttaSeconds === null ? '—' : formatIncidentDuration(incident.mttaSeconds)}
          {incident.responseOverdue ? (
            <span className="incident-overdue">
              {' '}
              (later than {incident.severity.expectedResponseMinutes}m)
            </span>
          ) : null}
        </dd>
        <dt>MTTR</dt>
        <dd>{incident.mttrSeconds === null ? '—' : formatIncidentDuration(incident.mttrSeconds)}</dd>
        <dt>Affected</dt>
        <dd>
          {incident.stages.length === 0 ? 'No stage' : null}
          <ul className="incident-stage-list">
            {incident.stages.map((stage) => (
              <li key={stage.stageId}>
                <Link to={servicePath(stage.serviceSlug)}>{stage.serviceSlug}</Link>/{stage.environmentSlug}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {incident.summary ? <p className="incident-summary">{incident.summary}</p> : null}
    </section>
  );
}
