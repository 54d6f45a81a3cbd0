import type { Permission } from '@flightdeck/contracts';
import { ShieldOff } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state';
import { paths } from '../../config/paths';
import { ROLE_LABEL, lowestRoleWith } from './role-meta';
import { useCan, useMe } from './use-auth';

interface RequirePermissionProps {
  permission: Permission;
  // What the screen is, for the explanation: "the audit log".
  what: string;
  children: ReactNode;
}

// A screen the user may not use says so and why, instead of failing with a 403 or vanishing.
export function RequirePermission({ permission, what, children }: RequirePermissionProps) {
  const me = useMe();
  const allowed = useCan(permission);
  if (allowed) return children;
  const needed = lowestRoleWith(permission);
  return (
    <EmptyState
      icon={<ShieldOff size={22} aria-hidden />}
      title="You do not have access to this page"
      actions={
        <Link to={paths.board} className="button">
          Go to the board
        </Link>
      }
    >
      <p>
        Opening {what} needs the <strong>{ROLE_LABEL[needed]}</strong> role. You are signed in as {me.name}{' '}
        with the {ROLE_LABEL[me.role]} role.
      </p>
      <p>Ask a Flightdeck admin to change your role if you need it.</p>
    </EmptyState>
  );
}
