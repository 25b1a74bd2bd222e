/** The whole API. The client imports only its type. */
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { briefingsRouter } from './routers/briefings';
import { camerasRouter } from './routers/cameras';
import { circlesRouter } from './routers/circles';
import { coverageRouter } from './routers/coverage';
import { disputesRouter } from './routers/disputes';
import { exportsRouter } from './routers/exports';
import { hotspotsRouter } from './routers/hotspots';
import { incidentsRouter } from './routers/incidents';
import { liveRouter } from './routers/live';
import { planRouter } from './routers/plan';
import { postsRouter } from './routers/posts';
import { rankingsRouter } from './routers/rankings';
import { reachRouter } from './routers/reach';
import { regionsRouter } from './routers/regions';
import { sitesRouter } from './routers/sites';
import { systemRouter } from './routers/system';
import { usersRouter } from './routers/users';
import { zonesRouter } from './routers/zones';
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
  briefings: briefingsRouter,
  exports: exportsRouter,
});

export type AppRouter = typeof appRouter;
