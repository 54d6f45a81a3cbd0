import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export const AUDIT_FILTER_KEYS = [
  'actor',
  'action',
  'outcome',
  'targetType',
  'targetId',
  'from',
  'to',
] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<AuditFilterKey, string>>;

// Filters live in the URL, so a filtered ledger view can be linked from an incident or a review.
export function useAuditFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const key = AUDIT_FILTER_KEYS.map((name) => searchParams.get(name) ?? '').join('\u0000');
  const filters = useMemo<AuditFilters>(() => {
    const values = key.split('\u0000');
    const result: AuditFilters = {};
    AUDIT_FILTER_KEYS.forEach((name, index) => {
      if (values[index]) result[name] = values[index];
    });
    return result;
  }, [key]);

  const apply = useCallback(
    (next: AuditFilters) => {
      setSearchParams(() => {
        const params = new URLSearchParams();
        for (const name of AUDIT_FILTER_KEYS) {
          const value = next[name]?.trim();
          if (value) params.set(name, value);
        }
        return params;
      });
    },
    [setSearchParams],
  );

  return { filters, apply, active: Object.keys(filters).length > 0 };
}

export function filtersToQueryString(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const name of AUDIT_FILTER_KEYS) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
