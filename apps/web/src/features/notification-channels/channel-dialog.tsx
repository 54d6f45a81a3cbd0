import {
  ApiError,
  createNotificationChannelBodySchema,
  updateNotificationChannelBodySchema,
  notificationFilterEventTypeSchema,
  type NotificationChannel,
  type NotificationChannelKind,
} from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { environmentListQueryOptions, serviceListQueryOptions } from '../freezes/freeze-queries';
import { EVENT_TYPE_LABELS } from './notification-meta';
import { useSaveChannel } from './notification-queries';

const FORM_ID = 'notification-channel-form';
const EVENT_TYPES = notificationFilterEventTypeSchema.options;
type SecretMode = 'keep' | 'replace' | 'remove';

// Create or edit a channel. The URL and the signing secret are write-only: an edit shows only the URL's
// hint and keeps both unless replaced (or the secret removed).
export function ChannelDialog({
  channel,
  onClose,
}: {
  channel: NotificationChannel | null;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<NotificationChannelKind>(channel?.kind ?? 'slack');
  const [name, setName] = useState(channel?.name ?? '');
  const [url, setUrl] = useState('');
  const [replaceUrl, setReplaceUrl] = useState(channel === null);
  const [secretMode, setSecretMode] = useState<SecretMode>(channel?.secretSet ? 'keep' : 'replace');
  const [secret, setSecret] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>(channel?.eventTypes ?? []);
  const [serviceIds, setServiceIds] = useState<string[]>(channel?.serviceIds ?? []);
  const [environmentIds, setEnvironmentIds] = useState<string[]>(channel?.environmentIds ?? []);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const services = useQuery(serviceListQueryOptions());
  const environments = useQuery(environmentListQueryOptions());
  const save = useSaveChannel(channel?.id ?? null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const secretValue = kind === 'slack' ? null : secretMode === 'replace' ? secret || null : null;
    const body = {
      kind,
      name,
      // An edit that keeps the URL leaves the field out altogether.
      ...(replaceUrl ? { url: url.trim() } : {}),
      eventTypes,
      serviceIds,
      environmentIds,
      enabled,
      // An edit that keeps the secret leaves the field out altogether.
      ...(channel && kind === 'webhook' && secretMode === 'keep' ? {} : { secret: secretValue }),
    };
    const schema = channel ? updateNotificationChannelBodySchema : createNotificationChannelBodySchema;
    const parsed = schema.safeParse({ ...body, secret: body.secret ?? null });
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    setErrors(found);
    if (!parsed.success) return;
    save.mutate(body as Parameters<typeof save.mutate>[0], {
      onSuccess: onClose,
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };

  const shownByField = Object.keys(errors).length > 0;
  const unexpected =
    save.error && !(save.error instanceof ApiError && save.error.status === 400 && shownByField)
      ? save.error
      : null;
  const toggle = (list: string[], set: (next: string[]) => void, value: string) =>
    set(list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);

  return (
    <FormDialog
      open
      title={channel ? `Edit ${channel.name}` : 'Add a notification channel'}
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel={channel ? 'Save channel' : 'Add channel'}
      pendingLabel="Saving…"
      pending={save.isPending}
      error={unexpected}
      errorTitle="Not saved"
    >
      <Field label="Kind" error={errors.kind}>
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={kind}
            onChange={(event) => setKind(event.target.value as NotificationChannelKind)}
          >
            <option value="slack">Slack (incoming webhook)</option>
            <option value="webhook">Webhook (signed JSON)</option>
          </select>
        )}
      </Field>
      <TextField
        label="Name"
        error={errors.name}
        autoComplete="off"
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      {channel ? (
        <div className="channel-url-stored">
          <span className="field-label">Stored URL</span>{' '}
          <code aria-label="Stored URL hint">{channel.urlHint}</code>
          <label className="check-row">
            <input
              type="checkbox"
              checked={replaceUrl}
              onChange={(event) => setReplaceUrl(event.target.checked)}
            />{' '}
            Replace URL
          </label>
        </div>
      ) : null}
      {replaceUrl ? (
        <TextField
          label={channel ? 'New URL' : 'URL'}
          hint={
            kind === 'slack'
              ? 'The incoming-webhook URL Slack gave you (https://hooks.slack.com/services/…). Stored encrypted; never shown again.'
              : 'Receives a POST with JSON, signed in X-Flightdeck-Signature when a secret is set. Stored encrypted.'
          }
          error={errors.url}
          autoComplete="off"
          type="url"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
      ) : null}
      {kind === 'webhook' ? (
        <fieldset className="channel-fieldset">
          <legend className="field-label">Signing secret</legend>
          {channel?.secretSet ? (
            <div className="channel-choices">
              {(['keep', 'replace', 'remove'] as const).map((mode) => (
                <label key={mode} className="radio">
                  <input
                    type="radio"
                    name="secret-mode"
                    checked={secretMode === mode}
                    onChange={() => setSecretMode(mode)}
                  />
                  {mode === 'keep'
                    ? 'Keep the stored secret'
                    : mode === 'replace'
                      ? 'Replace it'
                      : 'Remove it'}
                </label>
              ))}
            </div>
          ) : null}
          {secretMode === 'replace' ? (
            <TextField
              label="Secret"
              hint="At least 16 characters; HMAC-SHA256 over the body, sent as sha256=<hex>. It is never shown again."
              error={errors.secret}
              type="password"
              autoComplete="new-password"
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
          ) : null}
        </fieldset>
      ) : null}
      <fieldset className="channel-fieldset">
        <legend className="field-label">Events (none ticked: all)</legend>
        <div className="channel-checks">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="check-row">
              <input
                type="checkbox"
                checked={eventTypes.includes(type)}
                onChange={() => toggle(eventTypes, setEventTypes, type)}
              />
              {EVENT_TYPE_LABELS[type]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="channel-fieldset">
        <legend className="field-label">Services (none ticked: all)</legend>
        {errors['serviceIds.0'] ? <p className="field-error">{errors['serviceIds.0']}</p> : null}
        <div className="channel-checks">
          {(services.data?.items ?? []).map((service) => (
            <label key={service.id} className="check-row">
              <input
                type="checkbox"
                checked={serviceIds.includes(service.id)}
                onChange={() => toggle(serviceIds, setServiceIds, service.id)}
              />
              {service.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="channel-fieldset">
        <legend className="field-label">Environments (none ticked: all)</legend>
        {errors['environmentIds.0'] ? <p className="field-error">{errors['environmentIds.0']}</p> : null}
        <div className="channel-checks">
          {(environments.data?.items ?? []).map((environment) => (
            <label key={environment.id} className="check-row">
              <input
                type="checkbox"
                checked={environmentIds.includes(environment.id)}
                onChange={() => toggle(environmentIds, setEnvironmentIds, environment.id)}
              />
              {environment.name}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="check-row">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        Enabled
      </label>
    </FormDialog>
  );
}
