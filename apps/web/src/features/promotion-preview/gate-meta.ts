import type { Gate, PromotionPreview } from '@flightdeck/contracts';
import { CircleCheck, CircleX, Hourglass, type LucideIcon } from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

export const GATE_KIND_LABEL: Record<Gate['kind'], string> = {
  lock: 'Lock',
  freeze: 'Freeze',
  window: 'Deployment window',
  upstream: 'Upstream',
  soak: 'Soak time',
  approvals: 'Approvals',
  checks: 'CI checks',
  hold: 'Hold',
  quarantine: 'Quarantine',
  incident: 'Incident',
  checklist: 'Checklist',
  busy: 'Stage busy',
};

export const GATE_STATE_META: Record<Gate['state'], { tone: Tone; Icon: LucideIcon; label: string }> = {
  fail: { tone: 'danger', Icon: CircleX, label: 'Blocked' },
  waiting: { tone: 'warning', Icon: Hourglass, label: 'Waiting' },
  pass: { tone: 'success', Icon: CircleCheck, label: 'Passed' },
};

const STATE_ORDER: Record<Gate['state'], number> = { fail: 0, waiting: 1, pass: 2 };

// What needs a person first, then what clears by itself, then what is fine; stable within a state.
export function orderGates(gates: readonly Gate[]): Gate[] {
  return gates
    .map((gate, index) => ({ gate, index }))
    .sort((a, b) => STATE_ORDER[a.gate.state] - STATE_ORDER[b.gate.state] || a.index - b.index)
    .map(({ gate }) => gate);
}

// The verdict of the whole preview, from its worst gate.
export function previewState(preview: PromotionPreview): Gate['state'] {
  if (preview.ready) return 'pass';
  return preview.gates.some((gate) => gate.state === 'fail') ? 'fail' : 'waiting';
}
