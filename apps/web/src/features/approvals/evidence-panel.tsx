import type { DeploymentEvidence, Release, UpstreamResult } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { CircleCheck, CircleDashed, CircleX, Info, ScanSearch, TriangleAlert } from 'lucide-react';
import { Badge } from '../../components/ui/badge';
import { RelativeTime } from '../../components/ui/relative-time';
import { StatusPill } from '../../components/ui/status-pill';
import type { Tone } from '../../components/ui/tone';
import { shortSha } from '../../lib/time';
import { deploymentEvidenceQueryOptions } from './evidence-queries';
import './evidence.css';

const UPSTREAM_META = {
  passed: { label: 'Verification passed', tone: 'success', Icon: CircleCheck },
  failed: { label: 'Verification failed', tone: 'danger', Icon: CircleX },
  running: { label: 'Verifying', tone: 'info', Icon: ScanSearch },
  none: { label: 'No verification checks', tone: 'neutral', Icon: CircleDashed },
} as const satisfies Record<UpstreamResult['verification'], { label: string; tone: Tone; Icon: unknown }>;

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
      <Unavailable title="CI checks" reason={evidence.ciChecks.reason} />
      <Unavailable title="Open incidents" reason={evidence.incidents.reason} />
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
