import { useSyncExternalStore } from 'react';

export type ToastTone = 'danger' | 'info' | 'success';

export interface Toast {
  // Stable per source (e.g. one query), so a failure that repeats updates one toast instead of stacking.
  id: string;
  tone: ToastTone;
  title: string;
  message: string;
  code: string | null;
  // A page the toast is about, e.g. the deployment it started.
  link?: { to: string; label: string };
  repeats: number;
}

const listeners = new Set<() => void>();
let toasts: readonly Toast[] = [];

function emit(next: readonly Toast[]): void {
  toasts = next;
  for (const notify of listeners) notify();
}

export function pushToast(input: Omit<Toast, 'repeats'>): void {
  const existing = toasts.find((toast) => toast.id === input.id);
  if (existing) {
    emit(toasts.map((toast) => (toast.id === input.id ? { ...input, repeats: toast.repeats + 1 } : toast)));
  } else {
    emit([...toasts, { ...input, repeats: 1 }].slice(-4));
  }
}

export function dismissToast(id: string): void {
  if (toasts.some((toast) => toast.id === id)) emit(toasts.filter((toast) => toast.id !== id));
}

export function clearToasts(): void {
  emit([]);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function getSnapshot(): readonly Toast[] {
  return toasts;
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
