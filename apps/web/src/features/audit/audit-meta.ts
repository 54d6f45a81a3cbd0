import type { AuditEvent } from '@flightdeck/contracts';
import {
  Bot,
  CircleCheck,
  CircleHelp,
  CircleX,
  KeyRound,
  ShieldAlert,
  User,
  type LucideIcon,
} from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

type Outcome = AuditEvent['outcome'];
type ActorType = AuditEvent['actor']['type'];

export const OUTCOME_META: Record<Outcome, { label: string; tone: Tone; Icon: LucideIcon }> = {
  success: { label: 'Success', tone: 'success', Icon: CircleCheck },
  denied: { label: 'Denied', tone: 'warning', Icon: ShieldAlert },
  failure: { label: 'Failed', tone: 'danger', Icon: CircleX },
};

export const ACTOR_META: Record<ActorType, { label: string; Icon: LucideIcon }> = {
  user: { label: 'User', Icon: User },
  token: { label: 'API token', Icon: KeyRound },
  system: { label: 'System', Icon: Bot },
  anonymous: { label: 'Anonymous', Icon: CircleHelp },
};
