import { endpoints } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../config/api';
import { paths } from '../../config/paths';
import { applyAuthState } from './auth-query';

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.request(endpoints.logout),
    meta: { errorTitle: 'Sign-out failed' },
    onSuccess: (state) => {
      applyAuthState(queryClient, state);
      void navigate(paths.login, { replace: true });
    },
  });
}
