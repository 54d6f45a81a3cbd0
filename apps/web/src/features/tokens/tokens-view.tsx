import { endpoints, type ApiToken } from '@flightdeck/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { RelativeTime } from '../../components/ui/relative-time';
import { CreateTokenDialog } from './create-token-dialog';
import { TokenStatus } from './token-status';
import { myTokensQueryOptions } from './tokens-query';

export function TokensView() {
  const query = useQuery(myTokensQueryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const queryClient = useQueryClient();

  const revoke = useMutation({
    mutationFn: (id: string) => api.request(endpoints.revokeMyToken, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens.mine() });
    },
  });

  const tokens = query.data?.items ?? [];

  return (
    <div className="page">
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and CI act as you through the API. Each one carries only the scopes you give it."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            <Plus size={15} aria-hidden />
            Create token
          </button>
        }
      />
      <TableState
        query={query}
        errorTitle="Your tokens could not be loaded"
        isEmpty={tokens.length === 0}
        empty={
          <EmptyState icon={<KeyRound size={22} aria-hidden />} title="No API tokens yet">
            <p>Create one for a CI pipeline or a script. You will see its secret once, when you create it.</p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-label="Your API tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} data-revoked={token.revokedAt ? true : undefined}>
                  <th scope="row" className="cell-strong">
                    {token.name}
                  </th>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>
                    <span className="badge-row">
                      {token.scopes.map((scope) => (
                        <Badge key={scope} tone={scope === 'admin' ? 'warning' : 'neutral'} variant="outline">
                          {scope}
                        </Badge>
                      ))}
                    </span>
                  </td>
                  <td>
                    <TokenStatus token={token} />
                  </td>
                  <td>
                    <RelativeTime iso={token.createdAt} />
                  </td>
                  <td>
                    {token.expiresAt ? (
                      <RelativeTime iso={token.expiresAt} />
                    ) : (
                      <span className="muted">Never</span>
                    )}
                  </td>
                  <td>
                    {token.lastUsedAt ? (
                      <RelativeTime iso={token.lastUsedAt} />
                    ) : (
                      <span className="muted">Never used</span>
                    )}
                  </td>
                  <td className="cell-actions">
                    {token.revokedAt ? null : (
                      <button
                        type="button"
                        className="button button-small button-danger-ghost"
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => {
                          revoke.reset();
                          setRevoking(token);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </TableState>
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        tone="danger"
        busy={revoke.isPending}
        error={revoke.error ? describeError(revoke.error).message : null}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        <p>
          Anything using <code>{revoking?.prefix}…</code> stops working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
