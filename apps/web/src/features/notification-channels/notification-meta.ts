import type { NotificationDeliveryState, NotificationEventType } from '@flightdeck/contracts';
import { CircleCheck, CircleX, Clock, type LucideIcon, OctagonX } from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

// Delivery states by colour, icon and text together.
export const DELIVERY_STATE_META: Record<
  NotificationDeliveryState,
  { tone: Tone; Icon: LucideIcon; label: string; hint: string }
> = {
  pending: { tone: 'info', Icon: Clock, label: 'Pending', hint: 'Waiting for its next attempt' },
  succeeded: { tone: 'success', Icon: CircleCheck, label: 'Delivered', hint: 'The receiver answered 2xx' },
  failed: {
    tone: 'danger',
    Icon: CircleX,
    label: 'Refused',
    hint: 'The receiver refused it (a 4xx); it is not retried by itself',
  },
  dead: { tone: 'danger', Icon: OctagonX, label: 'Gave up', hint: 'Every attempt failed' },
};

export const EVENT_TYPE_LABELS: Record<NotificationEventType, string> = {
  'deployment.started': 'Deployment started',
  'deployment.succeeded': 'Deployment succeeded',
  'deployment.failed': 'Deployment failed',
  'approval.requested': 'Approval requested',
  'approval.decided': 'Approval decided',
  'rollback.requested': 'Rollback requested',
  'hold.set': 'Hold set',
  'incident.opened': 'Incident opened',
  'incident.changed': 'Incident changed',
  test: 'Test',
};
