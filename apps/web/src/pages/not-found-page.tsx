import { Compass } from 'lucide-react';
import { Link, useLocation } from 'react-router';
import { EmptyState } from '../components/ui/empty-state';
import { paths } from '../config/paths';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <title>Not found · Flightdeck</title>
      <h1 className="sr-only">Page not found</h1>
      <EmptyState
        icon={<Compass size={22} aria-hidden />}
        title="This page does not exist"
        actions={
          <Link to={paths.board} className="button">
            Go to the board
          </Link>
        }
      >
        <p>
          Nothing lives at <code>{pathname}</code>. The link may be old, or the screen is not built yet.
        </p>
      </EmptyState>
    </>
  );
}
