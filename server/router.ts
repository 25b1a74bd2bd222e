/** The whole API. The client imports only its type. */
import { auditRouter, usersRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { coverageRouter } from './routers/coverage';
import { disputesRouter } from './routers/disputes';
import { hotspotsRouter } from './routers/hotspots';
import { incidentsRouter } from './routers/incidents';
import { camerasRouter, circlesRouter, sitesRouter } from './routers/layers';
import { liveRouter, planRouter, postsRouter, zonesRouter } from './routers/plan';
import { rankingsRouter } from './routers/rankings';
import { reachRouter } from './routers/reach';
import { regionsRouter } from './routers/regions';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  users: usersRouter,
  audit: auditRouter,
  regions: regionsRouter,
  incidents: incidentsRouter,
  disputes: disputesRouter,
  cameras: camerasRouter,
  sites: sitesRouter,
  circles: circlesRouter,
  zones: zonesRouter,
  posts: postsRouter,
  coverage: coverageRouter,
  reach: reachRouter,
  hotspots: hotspotsRouter,
  rankings: rankingsRouter,
  plan: planRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
