import { lazy, Suspense, useState, type ReactNode } from 'react';
import { ReleaseHoldDialog } from './release-hold-dialog';
import type { HoldTarget, RollbackTarget } from './rollback-target';

// The dialog (and the preview it reuses) loads on first use: the pages that offer it do not need it to render.
const RollbackDialog = lazy(() =>
  import('./rollback-dialog').then((module) => ({ default: module.RollbackDialog })),
);

interface RollbackLauncher {
  openRollback: (target: RollbackTarget) => void;
  openReleaseHold: (target: HoldTarget) => void;
  // Render once, anywhere in the page: the open dialog, if any.
  dialogs: ReactNode;
}

// The rollback and release-hold dialogs for a page that offers them (board, service page, deployment page).
export function useRollbackLauncher(): RollbackLauncher {
  const [rollback, setRollback] = useState<RollbackTarget | null>(null);
  const [hold, setHold] = useState<HoldTarget | null>(null);
  const openReleaseHold = (target: HoldTarget) => {
    setRollback(null);
    setHold(target);
  };
  const dialogs = (
    <>
      {rollback ? (
        <Suspense fallback={null}>
          <RollbackDialog
            key={rollback.stageId}
            target={rollback}
            onClose={() => setRollback(null)}
            onReleaseHold={openReleaseHold}
          />
        </Suspense>
      ) : null}
      {hold ? <ReleaseHoldDialog key={hold.stageId} target={hold} onClose={() => setHold(null)} /> : null}
    </>
  );
  return { openRollback: setRollback, openReleaseHold, dialogs };
}
