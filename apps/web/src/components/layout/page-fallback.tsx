import { Suspense, type ComponentType } from 'react';
import { Skeleton } from '../ui/skeleton';

// Shown while a lazily loaded page's code arrives.
export function PageFallback() {
  return (
    <div className="page" aria-busy="true">
      <p className="sr-only" role="status">
        Loading…
      </p>
      <Skeleton width="12rem" height="1.5rem" />
      <Skeleton height="1rem" />
      <Skeleton height="1rem" />
    </div>
  );
}

export function LazyPage({ page: Page }: { page: ComponentType }) {
  return (
    <Suspense fallback={<PageFallback />}>
      <Page />
    </Suspense>
  );
}
