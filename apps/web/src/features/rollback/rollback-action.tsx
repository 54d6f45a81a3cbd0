import { Undo2 } from 'lucide-react';
import { Tooltip } from '../../components/ui/tooltip';
import type { RollbackTarget } from './rollback-target';

// The board cell's "Roll back…" action. Out of the Tab order: the grid keeps one tab stop, and R on the
// cell does the same.
export function RollbackAction({
  stage,
  onOpen,
}: {
  stage: RollbackTarget;
  onOpen: (stage: RollbackTarget) => void;
}) {
  return (
    <Tooltip content="Roll back…">
      <button
        type="button"
        className="icon-button cell-action"
        tabIndex={-1}
        aria-label={`Roll back ${stage.serviceName} in ${stage.environmentName}…`}
        onClick={() => onOpen(stage)}
      >
        <Undo2 size={13} aria-hidden />
      </button>
    </Tooltip>
  );
}
