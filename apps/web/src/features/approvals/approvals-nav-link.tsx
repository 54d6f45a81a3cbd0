import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { paths } from '../../config/paths';
import { useCan } from '../auth/use-auth';
import { approvalsQueryOptions } from './approval-queries';
import './approvals.css';

// The nav entry, with how many deployments wait for the viewer's own decision.
export function ApprovalsNavLink() {
  const canDecide = useCan('approvals:decide');
  const mine = useQuery({ ...approvalsQueryOptions('mine'), enabled: canDecide });
  const count = mine.data?.items.length ?? 0;
  return (
    <NavLink to={paths.approvals} className="nav-link">
      Approvals
      {count > 0 ? (
        <>
          <span className="nav-count" aria-hidden>
            {count}
          </span>
          <span className="sr-only">, {count} waiting for you</span>
        </>
      ) : null}
    </NavLink>
  );
}
