import { ApiError } from '@flightdeck/contracts';

export interface ErrorSummary {
  message: string;
  code: string | null;
  status: number | null;
}

// One wording for every failure the UI shows, whatever threw it.
export function describeError(error: unknown): ErrorSummary {
  if (error instanceof ApiError) {
    // A gateway (the Vite proxy, a load balancer) answered for an API that is down: no JSON error body.
    if (error.code === 'HTTP_ERROR' && error.status >= 502 && error.status <= 504) {
      return {
        message: 'The Flightdeck API is not answering. It may be restarting or down.',
        code: 'API_UNAVAILABLE',
        status: error.status,
      };
    }
    return { message: error.message, code: error.code, status: error.status };
  }
  // fetch rejects with a TypeError when the network or the server is unreachable.
  if (error instanceof TypeError) {
    return {
      message: 'Cannot reach the Flightdeck API. Check your connection.',
      code: 'NETWORK_ERROR',
      status: null,
    };
  }
  // A proxy or load balancer answered with HTML instead of the API's JSON.
  if (error instanceof SyntaxError) {
    return {
      message: 'The server answered with something that is not the Flightdeck API.',
      code: 'BAD_RESPONSE',
      status: null,
    };
  }
  return {
    message: error instanceof Error && error.message ? error.message : 'Something went wrong.',
    code: null,
    status: null,
  };
}
