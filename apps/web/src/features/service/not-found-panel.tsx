import { ApiError } from '@flightdeck/contracts';
import { SearchX } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state';
import { paths } from '../../config/paths';

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

// What a page shows when the API says the thing in its URL does not exist (an old link, a typo).
interface NotFoundPanelProps {
  // The page's heading (for screen readers and the tab), then what the panel says.
  title: string;
  summary: string;
  children: ReactNode;
}

export function NotFoundPanel({ title, summary, children }: NotFoundPanelProps) {
  return (
    <>
      <h1 className="sr-only">{title}</h1>
      <EmptyState
        icon={<SearchX size={22} aria-hidden />}
        title={summary}
        actions={
          <Link to={paths.board} className="button">
            Go to the board
          </Link>
        }
      >
        {children}
      </EmptyState>
    </>
  );
}
