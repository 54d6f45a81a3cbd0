import { useRef } from 'react';

// crypto.randomUUID only exists in secure contexts; a self-hosted instance on plain http still needs keys.
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// One key per form opening: a double click or a retry of the same request reuses it, so the server
// creates one thing. A changed request gets a fresh key (the server refuses a key reused for another one).
export function useIdempotencyKey(): (request: unknown) => string {
  const state = useRef<{ key: string; request: string | null } | null>(null);
  return (request) => {
    const text = JSON.stringify(request);
    state.current ??= { key: newIdempotencyKey(), request: null };
    if (state.current.request !== null && state.current.request !== text) {
      state.current = { key: newIdempotencyKey(), request: text };
    }
    state.current.request = text;
    return state.current.key;
  };
}
