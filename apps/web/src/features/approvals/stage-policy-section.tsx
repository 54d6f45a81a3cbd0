import { useQuery } from '@tanstack/react-query';
import { Layers, ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { InlineError } from '../../components/ui/field';
import { Skeleton } from '../../components/ui/skeleton';
import { useCan } from '../auth/use-auth';
import { describePolicy } from './approval-meta';
import { stagePolicyQueryOptions, useStagePolicy } from './approval-queries';
import './approvals.css';
import { PolicyDialog } from './policy-dialog';

interface StagePolicySectionProps {
  serviceSlug: string;
  serviceName: string;
  stageId: string;
  environmentName: string;
}

// Which approval policy applies to one stage (its own, or its environment's), and for admins the
// override: create it from the inherited one, edit it, or remove it to inherit again.
export function StagePolicySection({
  serviceSlug,
  serviceName,
  stageId,
  environmentName,
}: StagePolicySectionProps) {
  const query = useQuery(stagePolicyQueryOptions(serviceSlug, stageId));
  const { save, remove } = useStagePolicy(serviceSlug, stageId);
  const isAdmin = useCan('admin');
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const policy = query.data;
  const own = policy?.source === 'stage';

  return (
    <section className="fieldset stage-policy" aria-label="Approval policy">
      <div className="policy-source">
        <h3 className="field-label">Approval policy</h3>
        {policy ? (
          own ? (
            <Badge tone="accent" icon={<Layers size={12} aria-hidden />}>
              Stage override
            </Badge>
          ) : (
            <Badge tone="neutral" variant="outline" icon={<ShieldCheck size={12} aria-hidden />}>
              {policy.source === 'environment'
                ? `Inherits ${environmentName} policy`
                : `${environmentName} has no policy`}
            </Badge>
          )
        ) : null}
        {policy && isAdmin ? (
          <span className="policy-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                save.reset();
                setEditing(true);
              }}
            >
              {own ? 'Edit override' : 'Override for this stage'}
            </button>
            {own ? (
              <button
                type="button"
                className="button button-small button-danger-ghost"
                onClick={() => {
                  remove.reset();
                  setRemoving(true);
                }}
              >
                Remove override
              </button>
            ) : null}
          </span>
        ) : null}
      </div>
      {policy ? (
        <ul className="approval-policy">
          {describePolicy(policy).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : query.error ? (
        <InlineError title="The approval policy could not be loaded">
          <p>{query.error.message}</p>
        </InlineError>
      ) : (
        <Skeleton height="34px" />
      )}
      {editing && policy ? (
        <PolicyDialog
          title={`${serviceName} in ${environmentName}: approval policy`}
          lead={
            own
              ? `This stage's own policy, in place of the ${environmentName} policy. The change is audited.`
              : `Starts from the ${environmentName} policy; once saved, this stage keeps its own until you remove it. The change is audited.`
          }
          policy={policy}
          save={save}
          onClose={() => setEditing(false)}
        />
      ) : null}
      <ConfirmDialog
        open={removing}
        title="Remove the stage override?"
        confirmLabel="Remove override"
        busyLabel="Removing…"
        tone="danger"
        busy={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setRemoving(false) })}
        onClose={() => setRemoving(false)}
      >
        <p>
          {serviceName} in {environmentName} will follow the {environmentName} policy again. Pending
          deployments there are re-checked against it.
        </p>
      </ConfirmDialog>
    </section>
  );
}
