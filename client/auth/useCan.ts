/** What the signed-in user's role may do, from the same table the server enforces. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { can, type Permission } from '../../domain/policy';
import { useTRPC } from '../data/trpc';

export function useCan(p: Permission): boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  return me.data ? can(me.data.role, p) : false;
}

/** Layers drawn from camera positions: only for roles allowed to see them. */
export const CAMERA_LAYERS = ['cameras', 'infill', 'sectors', 'gaps'] as const;

/** The layers as the user may see them: camera layers off for roles without the permission. */
export function useAllowedLayers<T extends Record<string, { on: boolean }>>(layers: T): T {
  const cams = useCan('cameras:read');
  return useMemo(() => {
    if (cams) return layers;
    const out = { ...layers };
    for (const id of CAMERA_LAYERS)
      if (id in out) (out as Record<string, { on: boolean }>)[id] = { ...out[id]!, on: false };
    return out;
  }, [layers, cams]);
}
