import { useQuery } from '@tanstack/react-query';
import { GateList } from '../promotion-preview/gate-list';
import { promotionPreviewQueryOptions } from '../promotion-preview/preview-queries';

interface RequiredChecksStatusProps {
  stageId: string;
  // The checks as saved: the server's gate knows nothing of unsaved rows.
  savedChecks: readonly string[];
}

// How the saved checks stand on the release that would deploy here next, as the promotion gate says.
export function RequiredChecksStatus({ stageId, savedChecks }: RequiredChecksStatusProps) {
  const preview = useQuery({
    ...promotionPreviewQueryOptions(stageId, null),
    enabled: savedChecks.length > 0,
  });
  const candidate = preview.data?.candidate ?? null;
  const gate = preview.data?.gates.find((g) => g.kind === 'checks') ?? null;
  if (!candidate || !gate) return null;
  return (
    <div className="required-checks-status">
      <p className="field-hint">
        On the next candidate, <code>{candidate.version}</code>:
      </p>
      <GateList gates={[gate]} label="CI checks of the next candidate" />
    </div>
  );
}
