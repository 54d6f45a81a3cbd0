import type { BoardRow, DeploymentDetail } from '@flightdeck/contracts';
import { useQueries } from '@tanstack/react-query';
import { deploymentQueryOptions } from '../deployments/deployment-queries';
import { firstBlocker } from '../promotion-preview/gate-list';

// What a pending deployment waits for, by deployment id: the board row does not carry its gates. Few
// deployments are pending at once; each detail polls until it ends and live events refresh it
// (features/live invalidates every deployment query).
export function usePendingReasons(rows: readonly BoardRow[]): ReadonlyMap<string, string> {
  const ids = rows.flatMap((row) =>
    Object.values(row.cells).flatMap((cell) =>
      cell.lastDeployment?.status === 'pending' ? [cell.lastDeployment.id] : [],
    ),
  );
  return useQueries({
    queries: ids.map((id) => deploymentQueryOptions(id)),
    combine: reasonsById,
  });
}

// At module level: a stable combine is re-run only when a result changes, not on every render.
function reasonsById(
  results: readonly { data?: DeploymentDetail | undefined }[],
): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const { data } of results) {
    const blocker = data?.status === 'pending' ? firstBlocker(data.gates) : null;
    if (data && blocker) map.set(data.id, blocker.message);
  }
  return map;
}
