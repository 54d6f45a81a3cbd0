import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, type RefObject } from 'react';

// Below this many services every row is in the DOM (and nothing changes for small boards); above it
// only the rows in view plus an overscan are, so 1,000 services × 5 environments render and scroll
// like 20. Measured in docs/benchmarks.md.
export const VIRTUALIZE_FROM = 60;
const OVERSCAN = 3;

export interface VirtualRows {
  // Indexes of the rows to render, in order.
  indexes: readonly number[];
  // Space the rows not rendered take above and below, so the scrollbar stays true.
  paddingTop: number;
  paddingBottom: number;
  // Brings a row into the DOM (and view) before it is focused.
  reveal: (index: number) => void;
}

// `heights` is each row's height in pixels (board-row-height.ts): rows are never measured, so scrolling
// reads no layout and observes no row.
export function useVirtualRows(
  scroller: RefObject<HTMLElement | null>,
  heights: readonly number[],
): VirtualRows {
  const count = heights.length;
  const enabled = count >= VIRTUALIZE_FROM;
  // A new key function makes the virtualiser lay its rows out again: only when the heights change.
  const getItemKey = useCallback((index: number) => index, [heights]); // eslint-disable-line react-hooks/exhaustive-deps
  // The virtualizer re-renders the grid on scroll; the rows are memoised (board-row.tsx), so a frame
  // renders only the rows that scroll in.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: enabled ? count : 0,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => heights[index] ?? 0,
    getItemKey,
    overscan: OVERSCAN,
  });
  if (!enabled) {
    return {
      indexes: Array.from({ length: count }, (_, index) => index),
      paddingTop: 0,
      paddingBottom: 0,
      reveal: () => {},
    };
  }
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  return {
    indexes: items.map((item) => item.index),
    paddingTop: first?.start ?? 0,
    paddingBottom: last ? virtualizer.getTotalSize() - last.end : 0,
    reveal: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
