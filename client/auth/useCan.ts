/** What the signed-in user's role may do, from the same table the server enforces. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { can, type Permission } from '../../domain/policy';
import { useTRPC } from '../data/trpc';
import { LAYER_REGISTRY } from '../layers/registry';

/** Whether the signed-in user's role has a permission, as a function (false until known). */
export function useCanCheck(): (p: Permission) => boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  const role = me.data?.role;
  return useCallback((p: Permission) => (role ? can(role, p) : false), [role]);
}

export function useCan(p: Permission): boolean {
  return useCanCheck()(p);
}

/** The layers as the user may see them: off where the role lacks the layer's permission. */
export function useAllowedLayers<T extends Record<string, { on: boolean }>>(layers: T): T {
  const check = useCanCheck();
  return useMemo(() => {
    const denied = LAYER_REGISTRY.filter((e) => e.id in layers && !check(e.permission));
    if (!denied.length) return layers;
    const out: Record<string, { on: boolean }> = { ...layers };
    for (const { id } of denied) out[id] = { ...out[id]!, on: false };
    return out as T;
  }, [layers, check]);
}
