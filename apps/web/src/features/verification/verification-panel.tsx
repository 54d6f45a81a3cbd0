import type { CheckResult, VerificationStatus } from '@flightdeck/contracts';
import { StatusPill } from '../../components/ui/status-pill';
import { formatAge, formatMoment, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { CHECK_STATE_META, VERIFICATION_OUTCOME_META } from '../status/status-meta';
import './verification.css';

const CHECK_KIND_LABEL: Record<CheckResult['kind'], string> = {
  driver: 'Driver health',
  http: 'HTTP',
  metric: 'Metric',
};

// The checks after the driver reported done: the window, the outcome and each check as it last went.
// The deployment page refetches on live events and polls until the deployment is terminal.
export function VerificationPanel({ verification }: { verification: VerificationStatus }) {
  const now = useNow();
  const outcome = VERIFICATION_OUTCOME_META[verification.outcome];
  const running = verification.outcome === 'running';
  return (
    <section className="panel verification" aria-labelledby="verification-heading">
      <div className="verification-head">
        <h2 id="verification-heading" className="section-title">
          Verification
        </h2>
        <StatusPill tone={outcome.tone} Icon={outcome.Icon} label={outcome.label} />
        <p className="verification-window small">
          {running ? (
            <>
              Watching until{' '}
              <time dateTime={verification.until} title={formatTimestamp(verification.until)}>
                {formatMoment(verification.until, now)}
              </time>
            </>
          ) : (
            <>
              Window <time dateTime={verification.startedAt}>{formatTimestamp(verification.startedAt)}</time>{' '}
              to <time dateTime={verification.until}>{formatTimestamp(verification.until)}</time>
            </>
          )}
        </p>
      </div>
      {verification.checks.length === 0 ? (
        <p className="muted">No checks on this stage: the window only waits.</p>
      ) : (
        <ul className="verification-checks" aria-label="Verification checks">
          {verification.checks.map((check) => {
            const meta = CHECK_STATE_META[check.state];
            return (
              <li key={`${check.kind}:${check.name}`} className="verification-check" data-state={check.state}>
                <StatusPill tone={meta.tone} Icon={meta.Icon} label={meta.label} />
                <span className="verification-check-name">
                  {check.name}
                  {check.name !== CHECK_KIND_LABEL[check.kind] ? (
                    <span className="verification-check-kind">{CHECK_KIND_LABEL[check.kind]}</span>
                  ) : null}
                </span>
                <span className="verification-check-message">
                  {check.message || <span className="muted">No result yet</span>}
                  {check.checkedAt ? (
                    <>
                      {' '}
                      <time
                        className="muted"
                        dateTime={check.checkedAt}
                        title={formatTimestamp(check.checkedAt)}
                      >
                        · {formatAge(check.checkedAt, Math.max(now, Date.parse(check.checkedAt)))}
                      </time>
                    </>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
