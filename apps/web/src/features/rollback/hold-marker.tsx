import type { BoardCell } from '@flightdeck/contracts';
import { PauseCircle } from 'lucide-react';
import { Tooltip } from '../../components/ui/tooltip';
import './rollback.css';

interface HoldMarkerProps {
  hold: NonNullable<BoardCell['hold']>;
  // Present for users who may release it.
  onRelease?: (() => void) | undefined;
}

export function holdSentence(hold: NonNullable<BoardCell['hold']>): string {
  return `Held: ${hold.release.version} may not come back here until the hold is released${
    hold.reason ? `. Reason: ${hold.reason}` : ''
  }`;
}

// A rollback's hold on a board cell: the release it backed out, the reason on hover or focus, and the
// action that lets it come back.
export function HoldMarker({ hold, onRelease }: HoldMarkerProps) {
  return (
    <Tooltip className="cell-marker-wrap" content={holdSentence(hold)}>
      <span className="cell-marker hold-marker" data-kind="hold">
        <PauseCircle size={12} aria-hidden />
        <span className="truncate">
          Held: <span className="mono">{hold.release.version}</span>
        </span>
        {onRelease ? (
          // Out of the Tab order like the cell's other actions; the rollback dialog offers it too.
          <button
            type="button"
            className="hold-marker-release"
            tabIndex={-1}
            aria-label={`Release the hold on ${hold.release.version}…`}
            onClick={onRelease}
          >
            Release
          </button>
        ) : null}
      </span>
    </Tooltip>
  );
}
