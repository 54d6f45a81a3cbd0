import type {
  CheckResult,
  DeploymentKind,
  DeploymentStatus,
  HealthStatus,
  VerificationStatus,
} from '@flightdeck/contracts';
import {
  Ban,
  CalendarX,
  CircleCheck,
  CircleDashed,
  CircleHelp,
  CirclePause,
  CircleSlash,
  CircleX,
  Clock,
  HeartPulse,
  Hourglass,
  LoaderCircle,
  RefreshCw,
  ScanSearch,
  SkipForward,
  TimerOff,
  TriangleAlert,
  type LucideIcon,
} from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

export interface StatusMeta {
  label: string;
  tone: Tone;
  Icon: LucideIcon;
  spinning?: boolean;
  // The expected steady state renders without a filled background, so anything else stands out.
  quiet?: boolean;
}

// Records are exhaustive: a status added to the contract fails the typecheck here until it has a look.
export const DEPLOYMENT_STATUS_META: Record<DeploymentStatus, StatusMeta> = {
  pending: { label: 'Pending', tone: 'warning', Icon: Clock },
  queued: { label: 'Queued', tone: 'info', Icon: Hourglass },
  running: { label: 'Running', tone: 'info', Icon: LoaderCircle, spinning: true },
  verifying: { label: 'Verifying', tone: 'info', Icon: ScanSearch },
  succeeded: { label: 'Succeeded', tone: 'success', Icon: CircleCheck, quiet: true },
  failed: { label: 'Failed', tone: 'danger', Icon: CircleX },
  timed_out: { label: 'Timed out', tone: 'danger', Icon: TimerOff },
  rejected: { label: 'Rejected', tone: 'danger', Icon: Ban },
  cancelled: { label: 'Cancelled', tone: 'neutral', Icon: CircleSlash },
  superseded: { label: 'Superseded', tone: 'neutral', Icon: SkipForward },
  expired: { label: 'Expired', tone: 'neutral', Icon: CalendarX },
};

export const HEALTH_STATUS_META: Record<HealthStatus, StatusMeta> = {
  healthy: { label: 'Healthy', tone: 'success', Icon: HeartPulse, quiet: true },
  progressing: { label: 'Progressing', tone: 'info', Icon: RefreshCw },
  degraded: { label: 'Degraded', tone: 'warning', Icon: TriangleAlert },
  suspended: { label: 'Suspended', tone: 'neutral', Icon: CirclePause },
  missing: { label: 'Missing', tone: 'warning', Icon: CircleDashed },
  unknown: { label: 'Unknown', tone: 'neutral', Icon: CircleHelp },
};

export const DEPLOYMENT_KIND_LABEL: Record<DeploymentKind, string> = {
  promote: 'Promotion',
  rollback: 'Rollback',
  redeploy: 'Redeploy',
  record: 'Recorded deploy',
};

// A deployment's verification window as a whole, and each check in it.
export const VERIFICATION_OUTCOME_META: Record<VerificationStatus['outcome'], StatusMeta> = {
  running: { label: 'Verifying', tone: 'info', Icon: ScanSearch },
  passed: { label: 'Passed', tone: 'success', Icon: CircleCheck },
  failed: { label: 'Failed', tone: 'danger', Icon: CircleX },
};

export const CHECK_STATE_META: Record<CheckResult['state'], StatusMeta> = {
  pending: { label: 'Pending', tone: 'neutral', Icon: CircleDashed },
  passing: { label: 'Passing', tone: 'success', Icon: CircleCheck },
  // Failing now, within what the check allows: it fails verification if it keeps failing.
  failing: { label: 'Failing', tone: 'warning', Icon: TriangleAlert },
  failed: { label: 'Failed', tone: 'danger', Icon: CircleX },
};
