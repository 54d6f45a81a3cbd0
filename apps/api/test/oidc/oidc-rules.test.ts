import type { Role } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import {
  planMembershipSync,
  roleFromGroups,
  teamRolesFromGroups,
} from '../../src/identity/oidc/oidc-groups.js';
import { sameSitePath } from '../../src/identity/oidc/return-to.js';

const groupRoles = new Map<string, Role>([
  ['admins', 'admin'],
  ['approvers', 'approver'],
  ['deployers', 'deployer'],
]);

describe('roleFromGroups', () => {
  it('takes the highest role among mapped groups, even below the current one', () => {
    expect(roleFromGroups(['deployers', 'approvers', 'other'], groupRoles, null)).toBe('approver');
    expect(roleFromGroups(['deployers'], groupRoles, 'admin')).toBe('deployer');
  });

  it('keeps an existing role when no group is mapped, and makes new users viewers', () => {
    expect(roleFromGroups(['other'], groupRoles, 'approver')).toBe('approver');
    expect(roleFromGroups([], groupRoles, null)).toBe('viewer');
  });
});

describe('teamRolesFromGroups', () => {
  it('gives each team the highest role its groups grant', () => {
    const groupTeams = new Map<string, { team: string; role: Role }>([
      ['pay-eng', { team: 'payments', role: 'deployer' }],
      ['pay-leads', { team: 'payments', role: 'approver' }],
      ['search-eng', { team: 'search', role: 'deployer' }],
    ]);
    expect(teamRolesFromGroups(['pay-leads', 'pay-eng', 'x'], groupTeams)).toEqual(
      new Map([['payments', 'approver']]),
    );
  });
});

describe('planMembershipSync', () => {
  it('adds, changes and removes SSO memberships and never touches ones added by hand', () => {
    const plan = planMembershipSync(
      [
        { teamId: 'a', role: 'deployer', fromSso: true },
        { teamId: 'b', role: 'deployer', fromSso: true },
        { teamId: 'c', role: 'viewer', fromSso: false },
        { teamId: 'd', role: 'viewer', fromSso: false },
      ],
      new Map<string, Role>([
        ['a', 'approver'],
        ['c', 'admin'],
        ['e', 'deployer'],
      ]),
    );
    expect(plan).toEqual({
      create: [{ teamId: 'e', role: 'deployer' }],
      update: [{ teamId: 'a', role: 'approver' }],
      remove: ['b'],
    });
  });
});

describe('sameSitePath', () => {
  it.each([
    ['/', '/'],
    ['/services/checkout?tab=history#top', '/services/checkout?tab=history#top'],
    ['/a/../b', '/b'],
  ])('keeps %j as %j', (value, expected) => {
    expect(sameSitePath(value)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example',
    'evil',
  ])('refuses %j', (value) => {
    expect(sameSitePath(value)).toBeNull();
  });
});
