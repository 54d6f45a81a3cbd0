import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { BoardFilters } from './board-model';

// Filters live in the URL (`?q=&team=`) so a filtered board can be shared and survives reloads.
export function useBoardFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const team = searchParams.get('team') ?? '';
  const filters = useMemo<BoardFilters>(() => ({ q, team }), [q, team]);

  const update = useCallback(
    (patch: Partial<BoardFilters>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(patch)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        // Typing must not flood the history with one entry per keystroke.
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const clear = useCallback(() => update({ q: '', team: '' }), [update]);
  const active = Boolean(q || team);

  return { filters, update, clear, active };
}
