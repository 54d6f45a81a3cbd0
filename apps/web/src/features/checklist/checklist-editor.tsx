import { putStageChecklistBodySchema, type ChecklistItem } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ListChecks, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Badge } from '../../components/ui/badge';
import { InlineError, InlineNote } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { Skeleton } from '../../components/ui/skeleton';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { useCan } from '../auth/use-auth';
import { stageChecklistQueryOptions, useSaveStageChecklist } from './checklist-queries';
import './checklist.css';

interface StageChecklistSectionProps {
  serviceSlug: string;
  stageId: string;
}

// The checklist a requester confirms before a deployment to this stage starts. Admins edit it;
// everyone else reads it.
export function StageChecklistSection({ serviceSlug, stageId }: StageChecklistSectionProps) {
  const query = useQuery(stageChecklistQueryOptions(serviceSlug, stageId));
  const isAdmin = useCan('admin');
  const items = query.data?.items;
  return (
    <section className="fieldset stage-checklist" aria-label="Deployment checklist">
      <div className="stage-checklist-head">
        <h3 className="field-label">Deployment checklist</h3>
        {items ? (
          <Badge
            tone={items.length ? 'accent' : 'neutral'}
            variant="outline"
            icon={<ListChecks size={12} aria-hidden />}
          >
            {items.length ? `${items.length} item${items.length === 1 ? '' : 's'}` : 'None'}
          </Badge>
        ) : null}
      </div>
      {items ? (
        isAdmin ? (
          <ChecklistEditor serviceSlug={serviceSlug} stageId={stageId} items={items} />
        ) : items.length ? (
          <ol className="stage-checklist-items">
            {items.map((item) => (
              <li key={item.id}>{item.text}</li>
            ))}
          </ol>
        ) : (
          <p className="muted small">Deployments here need no checklist.</p>
        )
      ) : query.error ? (
        <InlineError title="The checklist could not be loaded">
          <p>{query.error.message}</p>
        </InlineError>
      ) : (
        <Skeleton height="34px" />
      )}
    </section>
  );
}

interface ChecklistEditorProps extends StageChecklistSectionProps {
  items: readonly ChecklistItem[];
}

function ChecklistEditor({ serviceSlug, stageId, items }: ChecklistEditorProps) {
  const [texts, setTexts] = useState(() => items.map((item) => item.text));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useSaveStageChecklist(serviceSlug, stageId);

  const change = (next: string[]) => {
    setSaved(false);
    setTexts(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = putStageChecklistBodySchema.safeParse({ items: texts.map((text) => ({ text })) });
    if (!parsed.success) return setErrors(fieldErrorsFromZod(parsed.error));
    setErrors({});
    save.mutate(parsed.data, {
      onSuccess: () => setSaved(true),
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };
  const shownByField = Object.keys(errors).some((field) => field.startsWith('items'));

  return (
    <form className="form-stack" onSubmit={submit} noValidate aria-label="Edit the checklist">
      <p className="field-hint">
        The requester confirms each item before the deployment starts; rollbacks skip it. Unchanged items keep
        their confirmations. The change is audited.
      </p>
      <FormError error={save.error && !shownByField ? save.error : null} title="Checklist not saved" />
      {saved ? <InlineNote tone="success">Checklist saved.</InlineNote> : null}
      {texts.length === 0 ? (
        <p className="muted small">No items: deployments here need no checklist.</p>
      ) : null}
      {texts.map((text, index) => (
        <div key={index} className="stage-checklist-row">
          <TextField
            label={`Item ${index + 1}`}
            autoComplete="off"
            error={errors[`items.${index}.text`]}
            value={text}
            onChange={(event) => change(texts.map((t, i) => (i === index ? event.target.value : t)))}
          />
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={`Remove item ${index + 1}`}
            onClick={() => change(texts.filter((_, i) => i !== index))}
          >
            <Trash2 size={14} aria-hidden />
          </button>
        </div>
      ))}
      {errors.items ? <p className="field-error">{errors.items}</p> : null}
      <div className="stage-checklist-actions">
        <button
          type="button"
          className="button button-small"
          disabled={texts.length >= 20}
          onClick={() => change([...texts, ''])}
        >
          <Plus size={14} aria-hidden /> Add item
        </button>
        <button type="submit" className="button button-small button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save checklist'}
        </button>
      </div>
    </form>
  );
}
