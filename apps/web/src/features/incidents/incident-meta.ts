import type { IncidentStatus, IncidentSummary, TimelineEntry } from '@flightdeck/contracts';
import {
  ArrowRightLeft,
  CircleCheck,
  Eye,
  Flame,
  HeartPulse,
  Lock,
  MessageSquare,
  Pause,
  Rocket,
  Search,
  ShieldCheck,
  Siren,
  Snowflake,
  Undo2,
  Link2,
  type LucideIcon,
} from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

export const STATUS_META: Record<IncidentStatus, { tone: Tone; Icon: LucideIcon; label: string }> = {
  investigating: { tone: 'danger', Icon: Search, label: 'Investigating' },
  identified: { tone: 'warning', Icon: Flame, label: 'Identified' },
  monitoring: { tone: 'info', Icon: Eye, label: 'Monitoring' },
  resolved: { tone: 'success', Icon: CircleCheck, label: 'Resolved' },
};

// The button that moves an incident to each status.
export const STATUS_ACTION: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Mark identified',
  monitoring: 'Start monitoring',
  resolved: 'Resolve',
};

// Rank 0 and 1 are the urgent ones; the scheme is configurable, so tone follows rank, not key.
export function severityTone(severity: IncidentSummary['severity']): Tone {
  if (severity.rank <= 0) return 'danger';
  if (severity.rank === 1) return 'warning';
  if (severity.rank === 2) return 'info';
  return 'neutral';
}

export const TIMELINE_META: Record<TimelineEntry['kind'], { Icon: LucideIcon; label: string; tone: Tone }> = {
  declared: { Icon: Siren, label: 'Declared', tone: 'danger' },
  status: { Icon: ArrowRightLeft, label: 'Status', tone: 'info' },
  note: { Icon: MessageSquare, label: 'Note', tone: 'neutral' },
  deployment: { Icon: Rocket, label: 'Deployment', tone: 'info' },
  rollback: { Icon: Undo2, label: 'Rollback', tone: 'warning' },
  approval: { Icon: ShieldCheck, label: 'Approval', tone: 'neutral' },
  freeze: { Icon: Snowflake, label: 'Freeze', tone: 'info' },
  hold: { Icon: Pause, label: 'Hold', tone: 'warning' },
  lock: { Icon: Lock, label: 'Lock', tone: 'warning' },
  health: { Icon: HeartPulse, label: 'Health', tone: 'danger' },
  link: { Icon: Link2, label: 'Linked', tone: 'neutral' },
};
