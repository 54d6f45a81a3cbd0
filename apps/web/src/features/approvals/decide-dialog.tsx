import { ApiError, approveBodySchema, rejectBodySchema, type ApprovalRequest } from '@flightdeck/contracts';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { fieldErrorsFromApi, fieldErrorsFromZod } from '../../lib/form-errors';
import { pushToast } from '../notifications/toast-store';
import { deploymentPath } from '../service/service-paths';
import { progressLabel } from './approval-meta';
import { useDecide, type Decision } from './approval-queries';

interface DecideDialogProps {
  request: ApprovalRequest;
  decision: Decision;
  onClose: () => void;
}

const FORM_ID = 'decide-approval-form';

// Approve or reject with a comment: the dialog is the confirmation, and a 403 or 409 stays in it with the
// server's sentence (someone else decided, it expired, it is no longer pending).
export function DecideDialog({ request, decision, onClose }: DecideDialogProps) {
  const { deployment, policy } = request;
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>();
  const decide = useDecide(deployment.id);
  const approving = decision === 'approve';
  const commentRequired = !approving || policy.reasonRequiredToApprove;
  const target = `${deployment.serviceSlug} ${deployment.release.version} to ${deployment.environmentSlug}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = approving
      ? approveBodySchema.safeParse({ comment })
      : rejectBodySchema.safeParse({ comment });
    if (!parsed.success) return setCommentError(fieldErrorsFromZod(parsed.error).comment);
    if (commentRequired && parsed.data.comment.length === 0) {
      return setCommentError('This policy needs a comment to approve.');
    }
    setCommentError(undefined);
    decide.mutate(
      { decision, comment: parsed.data.comment },
      {
        onSuccess: (next) => {
          pushToast({
            id: `approval:${deployment.id}`,
            tone: 'success',
            title: approving ? 'Approved' : 'Rejected',
            message: approving
              ? `${target}: ${progressLabel(next)}.`
              : `${target} is rejected and will not run.`,
            code: null,
            link: { to: deploymentPath(deployment.id), label: 'View deployment' },
          });
          onClose();
        },
        onError: (error) => setCommentError(fieldErrorsFromApi(error).comment),
      },
    );
  };

  const shownByField = decide.error instanceof ApiError && decide.error.status === 400 && commentError;
  return (
    <FormDialog
      open
      title={approving ? `Approve ${target}?` : `Reject ${target}?`}
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel={approving ? 'Approve' : 'Reject'}
      pendingLabel={approving ? 'Approving…' : 'Rejecting…'}
      pending={decide.isPending}
      error={shownByField ? null : decide.error}
      errorTitle={approving ? 'Not approved' : 'Not rejected'}
    >
      <p className="dialog-lead">
        {approving
          ? `Your approval counts for release ${deployment.release.version} at this commit only. ${progressLabel(request)} so far.`
          : 'A rejection ends this deployment at once; the requester sees your comment.'}
      </p>
      <Field
        label={commentRequired ? 'Comment' : 'Comment (optional)'}
        hint={approving ? 'What you checked, for the audit log.' : 'Say why, in a few words.'}
        error={commentError}
      >
        {(ids) => (
          <textarea
            {...ids}
            className="input"
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        )}
      </Field>
    </FormDialog>
  );
}
