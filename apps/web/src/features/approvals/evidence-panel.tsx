import type { DeploymentEvidence, EvidenceCheck, Release, UpstreamResult } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { CircleCheck, CircleDashed, CircleX, Flame, Info, ScanSearch, TriangleAlert } from 'lucide-react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { RelativeTime } from '../../components/ui/relative-time';
import { StatusPill } from '../../components/ui/status-pill';
import type { Tone } from '../../components/ui/tone';
import { shortSha } from '../../lib/time';
import { incidentPath } from '../incidents/incident-paths';
import { ChangelogBody } from '../promotion-preview/changelog-section';
import { deploymentEvidenceQueryOptions } from './evidence-queries';
import './evidence.css';

const UPSTREAM_META = {
  passed: { label: 'Verification passed', tone: 'success', Icon: CircleCheck },
  failed: { label: 'Verification failed', tone: 'danger', Icon: CircleX },
  running: { label: 'Verifying', tone: 'info', Icon: ScanSearch },
  none: { label: 'No verification checks', tone: 'neutral', Icon: CircleDashed },
} as const satisfies Record<UpstreamResult['verification'], { label: string; tone: Tone; Icon: unknown }>;

const CHECK_META = {
  success: { label: 'Passed', tone: 'success', Icon: CircleCheck },
  failure: { label: 'Failed', tone: 'danger', Icon: CircleX },
  pending: { label: 'Pending', tone: 'info', Icon: CircleDashed },
} as const satisfies Record<EvidenceCheck['state'], { label: string; tone: Tone; Icon: unknown }>;

const SIGNAL_ICON = { success: CircleCheck, warning: TriangleAlert, danger: CircleX } as const;

export function formatSoak(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

// What an approver weighs, on one screen, next to the approval panel.
export function EvidencePanel({ deploymentId }: { deploymentId: string }) {
  const { data: evidence } = useQuery(deploymentEvidenceQueryOptions(deploymentId));
  if (!evidence) return null;
  return (
    <section className="panel evidence-panel" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading" className="section-title">
        Evidence
      </h2>
      <Changes evidence={evidence} />
      <section aria-labelledby="evidence-commits">
        <h3 id="evidence-commits" className="evidence-title">
          Commits and pull requests
        </h3>
        <ChangelogBody changelog={evidence.changelog} />
      </section>
      <Upstream evidence={evidence} />
      <section aria-labelledby="evidence-risks">
        <h3 id="evidence-risks" className="evidence-title">
          Risk signals
        </h3>
        <ul className="evidence-signals">
          {evidence.risks.signals.map((signal) => (
            <li key={signal.kind}>
              <StatusPill tone={signal.tone} Icon={SIGNAL_ICON[signal.tone]} label={signal.message} />
            </li>
          ))}
        </ul>
      </section>
      <CiChecks evidence={evidence} />
      <Incidents evidence={evidence} />
    </section>
  );
}

function Changes({ evidence }: { evidence: DeploymentEvidence }) {
  const { changes, current } = evidence;
  const heading = changes.direction === 'backward' ? 'What it reverts' : 'What changes';
  return (
    <section aria-labelledby="evidence-changes">
      <h3 id="evidence-changes" className="evidence-title">
        {heading}
      </h3>
      <p className="muted small">
        {current ? (
          <>
            {evidence.stage.environmentSlug} runs {current.version} now
          </>
        ) : (
          <>Nothing runs on {evidence.stage.environmentSlug} yet</>
        )}
      </p>
      {changes.releases.length > 0 ? (
        <ol className="evidence-changes" aria-label="Releases">
          {changes.releases.map((release) => (
            <ChangeRow key={release.id} release={release} />
          ))}
        </ol>
      ) : (
        <p className="muted">No release in between.</p>
      )}
    </section>
  );
}

function ChangeRow({ release }: { release: Release }) {
  return (
    <li className="evidence-change">
      <div>
        <span className="cell-strong">{release.version}</span>{' '}
        <span className="mono small">{shortSha(release.commitSha)}</span>{' '}
        <span className="muted small">
          {release.author ?? 'author unknown'} · <RelativeTime iso={release.createdAt} />
        </span>
        {release.quarantine ? (
          <Badge tone="danger" className="evidence-badge">
            Quarantined
          </Badge>
        ) : null}
      </div>
      {release.notes ? (
        <details className="evidence-notes">
          <summary>Release notes</summary>
          <p>{release.notes}</p>
        </details>
      ) : null}
    </li>
  );
}

function Upstream({ evidence }: { evidence: DeploymentEvidence }) {
  return (
    <section aria-labelledby="evidence-upstream">
      <h3 id="evidence-upstream" className="evidence-title">
        Upstream results for {evidence.candidate.version}
      </h3>
      {evidence.upstream.length === 0 ? (
        <p className="muted">This stage has no upstream stage.</p>
      ) : (
        <ul className="evidence-upstream">
          {evidence.upstream.map((result) => {
            const meta = UPSTREAM_META[result.verification];
            return (
              <li key={result.stageId} aria-label={result.environmentSlug}>
                <span className="cell-strong">{result.environmentSlug}</span>{' '}
                {result.succeededAt ? (
                  <>
                    <span className="muted small">
                      succeeded <RelativeTime iso={result.succeededAt} />
                    </span>{' '}
                    <StatusPill tone={meta.tone} Icon={meta.Icon} label={meta.label} />{' '}
                    <span className="small">
                      {result.runsNow && result.soakedSeconds !== null
                        ? `Soaked ${formatSoak(result.soakedSeconds)}${
                            result.soakRequiredSeconds > 0
                              ? ` of ${formatSoak(result.soakRequiredSeconds)} required`
                              : ''
                          }`
                        : 'No longer runs there'}
                    </span>
                  </>
                ) : (
                  <StatusPill tone="warning" Icon={TriangleAlert} label="Never succeeded there" />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Unavailable({ title, reason }: { title: string; reason: string }) {
  return (
    <section className="evidence-unavailable" aria-label={title}>
      <h3 className="evidence-title">{title}</h3>
      <p className="muted">
        <Info size={14} aria-hidden className="evidence-info" /> Not available: {reason}
      </p>
    </section>
  );
}

function CiChecks({ evidence }: { evidence: DeploymentEvidence }) {
  const ci = evidence.ciChecks;
  if (!ci.available) return <Unavailable title="CI checks" reason={ci.reason} />;
  return (
    <section aria-labelledby="evidence-ci">
      <h3 id="evidence-ci" className="evidence-title">
        CI checks
      </h3>
      <p className="muted small">
        {ci.repository} at <span className="mono">{shortSha(ci.commitSha)}</span>, checked{' '}
        <RelativeTime iso={ci.fetchedAt} />
        {ci.required.length > 0
          ? ` · required: ${ci.required.map((r) => r.name).join(', ')}`
          : ' · the stage requires none'}
      </p>
      {ci.checks.length === 0 ? (
        <p className="muted">GitHub reports no check for this commit.</p>
      ) : (
        <ul className="evidence-upstream" aria-label="Checks">
          {ci.checks.map((check, index) => {
            const meta = CHECK_META[check.state];
            return (
              <li key={`${check.source}:${check.name}:${index}`} aria-label={check.name}>
                <StatusPill tone={meta.tone} Icon={meta.Icon} label={meta.label} />{' '}
                {check.url ? (
                  <a href={check.url} target="_blank" rel="noreferrer" className="cell-strong">
                    {check.name}
                  </a>
                ) : (
                  <span className="cell-strong">{check.name}</span>
                )}
                {check.conclusion ? <span className="muted small"> {check.conclusion}</span> : null}
                {check.required ? (
                  <Badge tone="neutral" className="evidence-badge">
                    Required
                  </Badge>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Incidents({ evidence }: { evidence: DeploymentEvidence }) {
  const { open } = evidence.incidents;
  return (
    <section aria-labelledby="evidence-incidents">
      <h3 id="evidence-incidents" className="evidence-title">
        Open incidents
      </h3>
      {open.length === 0 ? (
        <p className="muted">No open incident on {evidence.stage.serviceSlug}.</p>
      ) : (
        <ul className="evidence-upstream" aria-label="Incidents">
          {open.map((incident) => (
            <li key={incident.id}>
              <StatusPill
                tone={incident.freezesProduction ? 'danger' : 'warning'}
                Icon={incident.freezesProduction ? Flame : TriangleAlert}
                label={incident.severityName}
              />{' '}
              <Link to={incidentPath(incident.id)} className="cell-strong">
                {incident.reference} {incident.title}
              </Link>{' '}
              <span className="muted small">
                {incident.status} · detected <RelativeTime iso={incident.detectedAt} />
                {incident.freezesProduction ? ' · freezes production' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
