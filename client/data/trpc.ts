/** The typed API client and its react-query binding. Only the router's type crosses from the server. */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/router';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, retry: 1, refetchOnWindowFocus: false },
    },
  });
}

export function makeTrpcClient(base = '') {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${base}/trpc` })] });
}
