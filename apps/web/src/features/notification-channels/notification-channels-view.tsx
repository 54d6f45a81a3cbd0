import {
  notificationDeliveryStateSchema,
  notificationEventTypeSchema,
  type NotificationChannel,
  type NotificationDelivery,
} from '@flightdeck/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { BellOff, Plus, Send } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { InlineError } from '../../components/ui/field';
import { PageHeader } from '../../components/ui/page-header';
import { StatusPill } from '../../components/ui/status-pill';
import { TableState } from '../../components/ui/table-state';
import { describeError } from '../../lib/errors';
import { formatTimestamp } from '../../lib/time';
import { ChannelDialog } from './channel-dialog';
import { DELIVERY_STATE_META, EVENT_TYPE_LABELS } from './notification-meta';
import {
  channelsQueryOptions,
  deliveriesQueryOptions,
  useDeleteChannel,
  useRetryDelivery,
  useTestChannel,
  type DeliveryFilter,
} from './notification-queries';
import './notification-channels.css';

function filterSummary(channel: NotificationChannel): string {
  const parts = [
    channel.eventTypes.length ? `${channel.eventTypes.length} event types` : 'all events',
    channel.serviceIds.length ? `${channel.serviceIds.length} services` : 'all services',
    channel.environmentIds.length ? `${channel.environmentIds.length} environments` : 'all environments',
  ];
  return parts.join(' · ');
}

export function NotificationChannelsView() {
  const channels = useQuery(channelsQueryOptions());
  const [editing, setEditing] = useState<NotificationChannel | 'new' | null>(null);
  const [removing, setRemoving] = useState<NotificationChannel | null>(null);
  const remove = useDeleteChannel();
  const test = useTestChannel();
  const items = channels.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Channels that hear about deployments, approvals, rollbacks, holds and incidents: Slack incoming webhooks or signed JSON webhooks. Deliveries are retried with backoff and logged below."
        actions={
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            <Plus size={15} aria-hidden />
            Add channel
          </button>
        }
      />
      {test.error ? (
        <InlineError title="Test not sent">{describeError(test.error).message}</InlineError>
      ) : null}
      <TableState
        query={channels}
        errorTitle="Channels could not be loaded"
        isEmpty={items.length === 0}
        loadingLabel="Loading channels…"
        empty={
          <EmptyState icon={<BellOff size={22} aria-hidden />} title="No channels yet">
            <p>Add a Slack incoming webhook or a webhook URL to hear about deployments as they happen.</p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-label="Notification channels">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Sends to</th>
                <th scope="col">Filters</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((channel) => (
                <tr key={channel.id}>
                  <th scope="row" className="cell-strong">
                    {channel.name}{' '}
                    {channel.enabled ? null : (
                      <Badge tone="neutral" variant="outline">
                        Disabled
                      </Badge>
                    )}
                  </th>
                  <td>
                    {channel.kind === 'slack' ? 'Slack' : 'Webhook'}
                    {channel.kind === 'webhook' ? (
                      <span className="muted"> · {channel.secretSet ? 'signed' : 'unsigned'}</span>
                    ) : null}
                  </td>
                  <td className="channel-url">{new URL(channel.urlOrigin).host}</td>
                  <td className="muted">{filterSummary(channel)}</td>
                  <td className="cell-actions">
                    <div className="channel-actions">
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Send a test to ${channel.name}`}
                        disabled={test.isPending}
                        onClick={() => test.mutate(channel.id)}
                      >
                        <Send size={13} aria-hidden />
                        Test
                      </button>
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Edit ${channel.name}`}
                        onClick={() => setEditing(channel)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button-small button-danger-ghost"
                        aria-label={`Delete ${channel.name}`}
                        onClick={() => setRemoving(channel)}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </TableState>
      <DeliveryLog channels={items} />
      {editing ? (
        <ChannelDialog channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title="Delete this channel?"
        confirmLabel="Delete channel"
        busyLabel="Deleting…"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        {removing ? (
          <p>“{removing.name}” stops receiving notifications and its delivery log is removed.</p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

function DeliveryLog({ channels }: { channels: readonly NotificationChannel[] }) {
  const [filter, setFilter] = useState<DeliveryFilter>({});
  const query = useInfiniteQuery(deliveriesQueryOptions(filter));
  const retry = useRetryDelivery();
  const deliveries = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="delivery-log" aria-label="Delivery log">
      <h2 className="delivery-log-title">Delivery log</h2>
      <div className="delivery-filters">
        <FilterSelect
          label="Channel"
          any="All channels"
          value={filter.channelId}
          options={channels.map((channel) => ({ value: channel.id, label: channel.name }))}
          onChange={(channelId) => setFilter({ ...filter, channelId })}
        />
        <FilterSelect
          label="State"
          any="Any state"
          value={filter.state}
          options={notificationDeliveryStateSchema.options.map((state) => ({
            value: state,
            label: DELIVERY_STATE_META[state].label,
          }))}
          onChange={(state) =>
            setFilter({ ...filter, state: notificationDeliveryStateSchema.optional().parse(state) })
          }
        />
        <FilterSelect
          label="Event"
          any="Any event"
          value={filter.eventType}
          options={notificationEventTypeSchema.options.map((type) => ({
            value: type,
            label: EVENT_TYPE_LABELS[type],
          }))}
          onChange={(type) =>
            setFilter({ ...filter, eventType: notificationEventTypeSchema.optional().parse(type) })
          }
        />
      </div>
      {retry.error ? (
        <InlineError title="Not retried">{describeError(retry.error).message}</InlineError>
      ) : null}
      <TableState
        query={query}
        errorTitle="The delivery log could not be loaded"
        isEmpty={deliveries.length === 0}
        loadingLabel="Loading deliveries…"
        empty={<p className="muted">No deliveries match.</p>}
      >
        <div className="table-wrap">
          <table className="table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Event</th>
                <th scope="col">Channel</th>
                <th scope="col">Attempts</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  retrying={retry.isPending && retry.variables === delivery.id}
                  onRetry={() => retry.mutate(delivery.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
        {query.hasNextPage ? (
          <button
            type="button"
            className="button"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </TableState>
    </section>
  );
}

// One filter of the log: "any" or one of the options.
function FilterSelect(props: {
  label: string;
  any: string;
  value: string | undefined;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label className="delivery-filter">
      <span className="field-label">{props.label}</span>
      <select
        className="input select"
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.target.value || undefined)}
      >
        <option value="">{props.any}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function DeliveryRow(props: { delivery: NotificationDelivery; retrying: boolean; onRetry: () => void }) {
  const { delivery } = props;
  const meta = DELIVERY_STATE_META[delivery.state];
  const retryable = delivery.state === 'dead' || delivery.state === 'failed';
  return (
    <tr>
      <td>
        <StatusPill tone={meta.tone} Icon={meta.Icon} label={meta.label} title={meta.hint} />
      </td>
      <td>
        <span className="cell-strong">{EVENT_TYPE_LABELS[delivery.eventType]}</span>
        <br />
        <span className="muted delivery-summary">{delivery.summary}</span>
      </td>
      <td>{delivery.channelName}</td>
      <td>
        <details className="delivery-attempts">
          <summary>
            {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
            {delivery.lastStatusCode !== null ? ` · last HTTP ${delivery.lastStatusCode}` : ''}
          </summary>
          <ol>
            {delivery.attemptLog.map((attempt) => (
              <li key={attempt.number}>
                <time dateTime={attempt.attemptedAt}>{formatTimestamp(attempt.attemptedAt)}</time>:{' '}
                {attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : 'no answer'} in{' '}
                {attempt.durationMs} ms
                {attempt.error ? ` — ${attempt.error}` : ''}
                {attempt.retryAt ? `; next try ${formatTimestamp(attempt.retryAt)}` : ''}
              </li>
            ))}
          </ol>
        </details>
        {delivery.state === 'pending' && delivery.nextAttemptAt ? (
          <span className="muted">Next: {formatTimestamp(delivery.nextAttemptAt)}</span>
        ) : null}
      </td>
      <td>
        <time dateTime={delivery.occurredAt}>{formatTimestamp(delivery.occurredAt)}</time>
      </td>
      <td className="cell-actions">
        {retryable ? (
          <button
            type="button"
            className="button button-small"
            disabled={props.retrying}
            aria-label={`Retry ${EVENT_TYPE_LABELS[delivery.eventType]} to ${delivery.channelName}`}
            onClick={props.onRetry}
          >
            {props.retrying ? 'Retrying…' : 'Retry'}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
