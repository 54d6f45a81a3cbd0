import {
  ChevronDown,
  FileClock,
  KeyRound,
  LockKeyhole,
  LogOut,
  ServerCog,
  Users,
  UsersRound,
} from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { ThemeSwitch } from '../theme/theme-switch';
import { ROLE_LABEL } from './role-meta';
import { useMe } from './use-auth';
import { useSignOut } from './use-sign-out';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]![0]}${parts.at(-1)![0]}` : (parts[0]?.slice(0, 2) ?? '?');
  return letters.toUpperCase();
}

// A disclosure of links, not an ARIA menu: Tab moves through it, Escape and outside clicks close it.
export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const isAdmin = me.permissions.includes('admin');
  const canAudit = me.permissions.includes('audit:read');

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden>
          {initials(me.name)}
        </span>
        <span className="user-menu-who hide-narrow">
          <span className="user-menu-name">{me.name}</span>
          <span className="user-menu-role">{ROLE_LABEL[me.role]}</span>
        </span>
        <span className="sr-only">
          Account menu for {me.name}, {ROLE_LABEL[me.role]}
        </span>
        <ChevronDown size={14} aria-hidden />
      </button>
      <div id={panelId} className="user-menu-panel" hidden={!open}>
        <div className="user-menu-header">
          <p className="user-menu-name">{me.name}</p>
          <p className="muted small truncate">{me.email}</p>
          <p className="muted small">
            {ROLE_LABEL[me.role]}
            {me.via === 'token' ? ' · signed in with an API token' : ''}
          </p>
        </div>
        {/* Following a link closes the menu. */}
        <nav
          aria-label="Account"
          onClick={(event) => {
            if ((event.target as Element).closest('a')) setOpen(false);
          }}
        >
          <ul className="user-menu-list">
            <li>
              <Link to={paths.tokens} className="user-menu-item">
                <KeyRound size={15} aria-hidden />
                API tokens
              </Link>
            </li>
            {me.hasPassword ? (
              <li>
                <Link to={paths.password} className="user-menu-item">
                  <LockKeyhole size={15} aria-hidden />
                  Change password
                </Link>
              </li>
            ) : null}
            {canAudit ? (
              <li>
                <Link to={paths.audit} className="user-menu-item">
                  <FileClock size={15} aria-hidden />
                  Audit log
                </Link>
              </li>
            ) : null}
          </ul>
          {isAdmin ? (
            <>
              <p className="user-menu-section">Administration</p>
              <ul className="user-menu-list">
                <li>
                  <Link to={paths.adminUsers} className="user-menu-item">
                    <Users size={15} aria-hidden />
                    Users
                  </Link>
                </li>
                <li>
                  <Link to={paths.adminTeams} className="user-menu-item">
                    <UsersRound size={15} aria-hidden />
                    Teams
                  </Link>
                </li>
                <li>
                  <Link to={paths.adminEnvironments} className="user-menu-item">
                    <ServerCog size={15} aria-hidden />
                    Environment access
                  </Link>
                </li>
              </ul>
            </>
          ) : null}
        </nav>
        <div className="user-menu-theme">
          <span>Theme</span>
          <ThemeSwitch />
        </div>
        <div className="user-menu-footer">
          <button
            type="button"
            className="user-menu-item"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            <LogOut size={15} aria-hidden />
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </div>
    </div>
  );
}
