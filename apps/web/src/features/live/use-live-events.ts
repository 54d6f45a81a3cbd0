import { endpoints, LIVE_EVENT_TYPES, liveEventSchema, type LiveEvent } from '@flightdeck/contracts';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../config/query-keys';
import { patchBoardCell } from '../board/board-cache';
import { countIgnoredLiveEvent, setLiveStatus } from './live-status';

// When the browser gives up on the stream (a non-stream answer such as 401, 404 or 502), we reopen it
// ourselves, backing off to a minute.
const REOPEN_FIRST_MS = 3_000;
const REOPEN_MAX_MS = 60_000;

// Events are hints: what they name is refetched from the API, the database stays the truth. A deployment's
// new status is patched into the cell first so the board moves at once.
function applyLiveEvent(queryClient: QueryClient, event: LiveEvent): void {
  if (event.type === 'deployment.updated') {
    patchBoardCell(queryClient, event.stageId, (cell) =>
      cell.lastDeployment?.id === event.deploymentId && cell.lastDeployment.status !== event.status
        ? { ...cell, lastDeployment: { ...cell.lastDeployment, status: event.status } }
        : cell,
    );
  }
  // Every type changes something the board shows; the service and deployment pages refresh what they
  // show of the named service or deployment.
  void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  if (event.type === 'release.created' || event.type === 'service.updated') {
    void queryClient.invalidateQueries({ queryKey: queryKeys.services.detail(event.serviceSlug) });
  }
  if (event.type === 'stage.updated') {
    void queryClient.invalidateQueries({ queryKey: queryKeys.services.detail(event.serviceSlug) });
  }
  if (event.type === 'deployment.updated') {
    void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
  }
  // The approvers it names see it in their inbox (and its badge) at once.
  if (event.type === 'approval.requested') {
    void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.approvalsAll() });
  }
}

// One stream per signed-in tab, mounted by the app shell: closing on unmount closes it on sign-out.
export function useLiveEvents(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenDelay = REOPEN_FIRST_MS;
    // The server keeps no replay buffer: whatever happened while we were away is only in the database.
    let missedEvents = false;

    const onMessage = (message: MessageEvent) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        countIgnoredLiveEvent();
        return;
      }
      const parsed = liveEventSchema.safeParse(data);
      if (!parsed.success || (message.type !== 'message' && message.type !== parsed.data.type)) {
        countIgnoredLiveEvent();
        return;
      }
      applyLiveEvent(queryClient, parsed.data);
    };

    const open = () => {
      const next = new EventSource(endpoints.streamEvents.path);
      source = next;
      next.addEventListener('open', () => {
        reopenDelay = REOPEN_FIRST_MS;
        setLiveStatus('live');
        if (missedEvents) {
          missedEvents = false;
          void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
        }
      });
      next.addEventListener('error', () => {
        missedEvents = true;
        setLiveStatus('reconnecting');
        // CONNECTING: the browser retries by itself (after the server's `retry:`). CLOSED: it gave up.
        if (next.readyState === EventSource.CLOSED) {
          next.close();
          clearTimeout(reopenTimer);
          reopenTimer = setTimeout(open, reopenDelay);
          reopenDelay = Math.min(reopenDelay * 2, REOPEN_MAX_MS);
        }
      });
      next.addEventListener('message', onMessage);
      for (const type of LIVE_EVENT_TYPES) next.addEventListener(type, onMessage);
    };

    setLiveStatus('connecting');
    open();
    return () => {
      clearTimeout(reopenTimer);
      source?.close();
      setLiveStatus('connecting');
    };
  }, [queryClient]);
}
