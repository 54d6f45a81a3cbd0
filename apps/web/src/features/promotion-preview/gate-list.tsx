import type { Gate } from '@flightdeck/contracts';
import { Link } from 'react-router';
import { formatMoment, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { GATE_KIND_LABEL, GATE_STATE_META, orderGates } from './gate-meta';
import './promotion-preview.css';

// Gates fail-first, each with its state as icon, colour and word, its kind and its sentence.
export function GateList({ gates, label = 'Gates' }: { gates: readonly Gate[]; label?: string }) {
  const now = useNow();
  return (
    <ul className="gate-list" aria-label={label}>
      {orderGates(gates).map((gate, index) => (
        <GateRow key={`${gate.kind}-${index}`} gate={gate} now={now} />
      ))}
    </ul>
  );
}

function GateRow({ gate, now }: { gate: Gate; now: number }) {
  const { tone, Icon, label } = GATE_STATE_META[gate.state];
  return (
    <li className="gate-row" data-state={gate.state} data-kind={gate.kind}>
      <span className="status-pill gate-state" data-tone={tone}>
        <Icon className="status-icon" size={13} strokeWidth={2.25} aria-hidden />
        <span className="status-label">{label}</span>
      </span>
      <span className="gate-kind">{GATE_KIND_LABEL[gate.kind]}</span>
      <span className="gate-message">
        {gate.message}
        {gate.until && gate.state !== 'pass' ? (
          <>
            {' '}
            <time className="muted" dateTime={gate.until} title={formatTimestamp(gate.until)}>
              (until {formatMoment(gate.until, now)})
            </time>
          </>
        ) : null}
        {gate.link ? (
          <>
            {' '}
            <Link to={gate.link.href}>{gate.link.label}</Link>
          </>
        ) : null}
      </span>
    </li>
  );
}

// The first thing a pending deployment waits for, in its own words: what a cell or a row can show.
export function firstBlocker(gates: readonly Gate[]): Gate | null {
  return orderGates(gates).find((gate) => gate.state !== 'pass') ?? null;
}
