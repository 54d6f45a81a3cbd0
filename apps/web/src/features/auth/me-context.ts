import type { Me } from '@flightdeck/contracts';
import { createContext } from 'react';

// Set by the route guard from the auth state it rendered with, so every screen below it sees the same
// user as the guard, even in the instant between a sign-out reaching the cache and the guard redirecting.
export const MeContext = createContext<Me | null>(null);
