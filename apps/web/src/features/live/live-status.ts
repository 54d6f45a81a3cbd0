import { useSyncExternalStore } from 'react';

// `connecting`: no stream yet (or none at all, e.g. signed out); `live`: the stream is open;
// `reconnecting`: it dropped and the browser (or we) are opening it again.
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const listeners = new Set<() => void>();
let status: LiveStatus = 'connecting';
let ignored = 0;

export function setLiveStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const notify of listeners) notify();
}

// Messages that were not a LiveEvent this client knows (a newer server, a broken proxy): dropped, counted.
export function countIgnoredLiveEvent(): void {
  ignored += 1;
}

export function ignoredLiveEvents(): number {
  return ignored;
}

export function resetLiveStatusForTests(): void {
  status = 'connecting';
  ignored = 0;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function getSnapshot(): LiveStatus {
  return status;
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
