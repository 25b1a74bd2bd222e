/** Whether the signed-in user may change a briefing: its owner, or an admin. */
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../auth/useCan';
import { useTRPC } from '../data/trpc';

export function useMayChange(ownerUsername: string | undefined): boolean {
  const trpc = useTRPC();
  const canWrite = useCan('briefings:write');
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity }).data;
  if (!canWrite || !me || ownerUsername === undefined) return false;
  return me.role === 'admin' || me.username === ownerUsername;
}
