/** The typed API client and its react-query binding. Only the router's type crosses from the server. */
import { QueryClient, type QueryCache } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/router';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient(queryCache?: QueryCache) {
  return new QueryClient({
    queryCache,
    defaultOptions: {
      queries: { staleTime: 60_000, retry: retryOnce, refetchOnWindowFocus: false },
    },
  });
}

/**
 * A failed query is tried once more only when trying again can help (the network or the database
 * away for a moment): a refusal, bad input or an analysis stopped at its deadline would fail the
 * same way, and the retry would only cost the server that work again.
 */
export function retryOnce(failures: number, err: unknown): boolean {
  if (failures >= 1) return false;
  const status = (err as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return status === undefined || status >= 500;
}

/** Calls that check a password or a code: the server takes them only alone, never batched. */
const CREDENTIAL_CALLS = new Set([
  'auth.login',
  'auth.totpSetup',
  'auth.totpVerify',
  'auth.changePassword',
]);

/** Queries whose input can be too long for a URL, sent by POST (the server allows it). */
export const LONG_INPUT = new Set(['plan.evaluate']);

export function makeTrpcClient(base = '') {
  // the server refuses mutations without it (a form on another site cannot send it)
  const headers = () => ({ 'x-trpc-source': 'pingan-web' });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // live streams (server-sent events; the session cookie goes along, same origin)
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: `${base}/trpc` }),
        false: splitLink({
          // health alone: batched with a slow analysis it would wait for it, and the wall would
          // think the server gone; sign-in calls alone, as the server requires
          condition: (op) => op.path === 'system.health' || CREDENTIAL_CALLS.has(op.path),
          true: httpLink({ url: `${base}/trpc`, headers }),
          false: splitLink({
            // a plan draft is too long for a URL: this query goes by POST
            condition: (op) => LONG_INPUT.has(op.path),
            true: httpLink({ url: `${base}/trpc`, headers, methodOverride: 'POST' }),
            false: httpBatchLink({ url: `${base}/trpc`, headers, maxItems: 20 }),
          }),
        }),
      }),
    ],
  });
}
