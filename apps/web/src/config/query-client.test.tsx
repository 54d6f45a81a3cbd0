import { ApiError } from '@flightdeck/contracts';
import { render, screen, within } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ToastRegion } from '../features/notifications/toast-region';
import { createQueryClient } from './query-client';

describe('central query error handling', () => {
  it('reports a failed query once in the notification region with message and code, and clears on recovery', async () => {
    const client = createQueryClient();
    render(<ToastRegion />);
    const fail = () => Promise.reject(new ApiError(409, 'STAGE_LOCKED', 'Production is locked by alice.'));
    const options = { queryKey: ['thing'], retry: false, meta: { errorTitle: 'Could not load the thing' } };

    await act(() => client.prefetchQuery({ ...options, queryFn: fail }));
    await act(() => client.prefetchQuery({ ...options, queryFn: fail, staleTime: 0 }));

    const region = screen.getByRole('region', { name: 'Notifications' });
    const toasts = within(region).getAllByRole('listitem');
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toHaveTextContent('Could not load the thing');
    expect(toasts[0]).toHaveTextContent('×2');
    expect(toasts[0]).toHaveTextContent('Production is locked by alice.');
    expect(toasts[0]).toHaveTextContent('STAGE_LOCKED');

    await act(() => client.prefetchQuery({ ...options, queryFn: () => Promise.resolve(1), staleTime: 0 }));
    expect(within(region).queryAllByRole('listitem')).toHaveLength(0);
  });

  it('describes an unreachable API in plain words', async () => {
    const client = createQueryClient();
    render(<ToastRegion />);
    await act(() =>
      client.prefetchQuery({
        queryKey: ['down'],
        retry: false,
        queryFn: () => Promise.reject(new TypeError('Failed to fetch')),
      }),
    );
    expect(screen.getByRole('listitem')).toHaveTextContent('Cannot reach the Flightdeck API');
    expect(screen.getByRole('listitem')).toHaveTextContent('NETWORK_ERROR');
  });
});
