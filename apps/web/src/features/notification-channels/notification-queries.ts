import {
  endpoints,
  type BodyOf,
  type NotificationDeliveryState,
  type NotificationEventType,
} from '@flightdeck/contracts';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';

export type CreateChannelBody = BodyOf<typeof endpoints.createNotificationChannel>;
export type UpdateChannelBody = BodyOf<typeof endpoints.updateNotificationChannel>;

export interface DeliveryFilter {
  channelId?: string;
  state?: NotificationDeliveryState;
  eventType?: NotificationEventType;
}

// Keys for this feature only; everything under `notifications` is refetched after a change.
export const notificationKeys = {
  all: () => ['notifications'] as const,
  channels: () => ['notifications', 'channels'] as const,
  deliveries: (filter: DeliveryFilter) => ['notifications', 'deliveries', filter] as const,
};

const PAGE_SIZE = 25;

export function channelsQueryOptions() {
  return queryOptions({
    queryKey: notificationKeys.channels(),
    queryFn: ({ signal }) => api.request(endpoints.listNotificationChannels, { signal }),
    meta: { errorTitle: 'Could not load notification channels', inlineError: true },
  });
}

export function deliveriesQueryOptions(filter: DeliveryFilter) {
  return infiniteQueryOptions({
    queryKey: notificationKeys.deliveries(filter),
    queryFn: ({ signal, pageParam }) =>
      api.request(endpoints.listNotificationDeliveries, {
        signal,
        query: { limit: PAGE_SIZE, ...filter, ...(pageParam ? { cursor: pageParam } : {}) },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Deliveries move on their own (retries), so the log follows them while it is open.
    refetchInterval: 5_000,
    meta: { errorTitle: 'Could not load the delivery log', inlineError: true },
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all() });
}

export function useSaveChannel(id: string | null) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateChannelBody | UpdateChannelBody) =>
      id
        ? api.request(endpoints.updateNotificationChannel, { params: { id }, body })
        : // A create always carries its URL; the dialog builds the body for the mode it is in.
          api.request(endpoints.createNotificationChannel, { body: body as CreateChannelBody }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}

export function useDeleteChannel() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.request(endpoints.deleteNotificationChannel, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}

export function useTestChannel() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.request(endpoints.testNotificationChannel, { params: { id } }),
    onSuccess: invalidate,
  });
}

export function useRetryDelivery() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.request(endpoints.retryNotificationDelivery, { params: { id } }),
    onSuccess: invalidate,
  });
}
