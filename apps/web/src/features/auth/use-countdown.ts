import { useSyncExternalStore } from 'react';

function subscribeEverySecond(notify: () => void): () => void {
  const timer = setInterval(notify, 1_000);
  return () => clearInterval(timer);
}

function subscribeNever(): () => void {
  return () => undefined;
}

// Quantised so the snapshot is stable between React's back-to-back reads.
function currentTime(): number {
  return Math.ceil(Date.now() / 100) * 100;
}

// Whole seconds left until `deadline` (epoch ms), re-rendering once a second while it runs.
export function useCountdown(deadline: number | null): number {
  const now = useSyncExternalStore(
    deadline === null ? subscribeNever : subscribeEverySecond,
    currentTime,
    currentTime,
  );
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1_000));
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return `${minutes}:${rest.toString().padStart(2, '0')} minutes`;
}
