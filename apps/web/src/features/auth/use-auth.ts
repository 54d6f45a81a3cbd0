import type { Me, Permission } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { authStateQueryOptions } from './auth-query';

export function useAuthState() {
  return useQuery(authStateQueryOptions());
}

// Only below the route guard, which renders nothing until someone is signed in.
export function useMe(): Me {
  const { data } = useAuthState();
  if (!data?.user) throw new Error('useMe() used outside a signed-in route');
  return data.user;
}

export function useCan(permission: Permission): boolean {
  const { data } = useAuthState();
  return data?.user?.permissions.includes(permission) ?? false;
}
