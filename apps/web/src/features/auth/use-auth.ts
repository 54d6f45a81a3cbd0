import type { Me, Permission } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useContext } from 'react';
import { authStateQueryOptions } from './auth-query';
import { MeContext } from './me-context';

export function useAuthState() {
  return useQuery(authStateQueryOptions());
}

// Only below the route guard, which renders nothing until someone is signed in.
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() used outside a signed-in route');
  return me;
}

export function useCan(permission: Permission): boolean {
  return useContext(MeContext)?.permissions.includes(permission) ?? false;
}
