/** Queries of the analyses: the red/black list, hot spots, spikes, the circles, reach, coverage. */
import { useQuery } from '@tanstack/react-query';
import { HOTSPOT } from '../../domain/analysis';
import type { IncidentCategory } from '../../domain/vocabulary';
import { isoRange, type Range } from '../state/timeWindow';
import type { RankPeriod } from '../state/view';
import { useTRPC } from './trpc';

const FIVE_MINUTES = 5 * 60_000;
const cats = (c: IncidentCategory[]) => (c.length ? c : undefined);

/** The red/black list: the last complete period, or (`toDate`) the one in progress so far. */
export function useRankings(period: RankPeriod, toDate = false) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.rankings.communities.queryOptions(toDate ? { period, toDate } : { period }),
    staleTime: FIVE_MINUTES,
  });
}

/** The query of Gi* with the shared setting (domain/analysis), for a window and categories. */
export function hotspotsQuery(
  trpc: ReturnType<typeof useTRPC>,
  range: Range,
  categories: IncidentCategory[],
) {
  return {
    ...trpc.hotspots.gistar.queryOptions({
      ...isoRange(range),
      categories: cats(categories),
      ...HOTSPOT,
    }),
    staleTime: FIVE_MINUTES,
  };
}

/** Gi* with the shared setting (domain/analysis), for the window and categories. */
export function useHotspots(range: Range, categories: IncidentCategory[], enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...hotspotsQuery(trpc, range, categories), enabled });
}

export function useSpikes(range: Range, categories: IncidentCategory[]) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.hotspots.spikes.queryOptions({ ...isoRange(range), categories: cats(categories) }),
    staleTime: FIVE_MINUTES,
  });
}

export function useCircleStats(range: Range) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.circles.stats.queryOptions(isoRange(range)), staleTime: FIVE_MINUTES });
}

export function useReachSummary() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.reach.summary.queryOptions(), staleTime: FIVE_MINUTES });
}

export function useInfill() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.coverage.infill.queryOptions(), staleTime: FIVE_MINUTES });
}

export function useSiteCoverage() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.coverage.sites.queryOptions({ bufferM: 50 }), staleTime: FIVE_MINUTES });
}
