import {
  QueryCache,
  QueryClientProvider,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { lazy, Suspense, useEffect, useLayoutEffect, useState } from 'react';
import { NoPermission } from './admin/NoPermission';
import { adminTexts } from './admin/texts';
import { ChangePassword } from './auth/ChangePassword';
import { LoginPage } from './auth/LoginPage';
import { TotpSetup } from './auth/TotpSetup';
import { useCan } from './auth/useCan';
import { briefingTexts } from './briefing/texts';
import { DeskApp } from './desk/DeskApp';
import { incidentColumnsQuery } from './data/hooks';
import { loadMapView } from './map/MapView';
import { makeQueryClient, makeTrpcClient, TRPCProvider, useTRPC } from './data/trpc';
import { useT } from './i18n';
import { syncUrl, useView } from './state/viewStore';

const UNAUTHORIZED = 'pingan:unauthorized';

// the pages other than the desk load when first opened: the desk's first map waits for none of
// their code
const AdminApp = lazy(() => import('./admin/AdminApp').then((m) => ({ default: m.AdminApp })));
const BriefingApp = lazy(() =>
  import('./briefing/BriefingApp').then((m) => ({ default: m.BriefingApp })),
);
const PrintView = lazy(() =>
  import('./briefing/export/PrintView').then((m) => ({ default: m.PrintView })),
);
const WallApp = lazy(() => import('./wall/WallApp').then((m) => ({ default: m.WallApp })));

const isUnauthorized = (e: unknown) =>
  e instanceof TRPCClientError &&
  (e.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';

export function App() {
  const [queryClient] = useState(() =>
    makeQueryClient(
      new QueryCache({
        // a session that ended (idle, absolute, logged out elsewhere) shows the sign-in page
        onError: (e) => {
          if (isUnauthorized(e)) window.dispatchEvent(new Event(UNAUTHORIZED));
        },
      }),
    ),
  );
  const [trpcClient] = useState(() => makeTrpcClient());
  const lang = useView((s) => s.lang);
  const mode = useView((s) => s.mode);
  useEffect(() => syncUrl(), []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title =
      mode === 'admin'
        ? adminTexts(lang).title
        : mode === 'briefing'
          ? `${briefingTexts(lang).listTitle} · ${lang === 'zh' ? '平安图' : "Ping'an Map"}`
          : lang === 'zh'
            ? '平安图 · 城北区'
            : "Ping'an Map · Chengbei";
  }, [lang, mode]);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Suspense fallback={<Loading />}>
          <Gate />
        </Suspense>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function Loading() {
  const t = useT();
  return <div className="splash">{t.loading}</div>;
}

/** The dashboard for a signed-in user, the sign-in page otherwise. */
function Gate() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mode = useView((s) => s.mode);
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false, staleTime: Infinity });
  useEffect(() => {
    // the desk's first map needs the incident columns first of all: their loading (the data's
    // span, the window's size, then its incidents) starts with the question of who is signed in,
    // not after its answer (without a session it is refused, and asked again after signing in)
    if (mode === 'desk') void queryClient.prefetchQuery(incidentColumnsQuery(queryClient, trpc));
    // and the map's code (MapLibre) loads meanwhile, for the pages that show one at once
    if (mode === 'desk' || mode === 'wall') void loadMapView();
    // once, at page load
  }, []);
  const signedIn = Boolean(me.data);
  useLayoutEffect(() => {
    // and the boundaries as soon as someone is (asked without a session, they would be refused
    // and audited as such at every visit to the sign-in page); a layout effect, so that they go
    // out before the desk's own effects start the map
    if (mode !== 'desk' || !signedIn) return;
    void queryClient.prefetchQuery({
      ...trpc.regions.district.queryOptions(),
      staleTime: Infinity,
    });
    void queryClient.prefetchQuery({ ...trpc.regions.towns.queryOptions(), staleTime: Infinity });
    void queryClient.prefetchQuery({
      ...trpc.regions.communities.queryOptions(),
      staleTime: Infinity,
    });
  }, [mode, signedIn, queryClient, trpc]);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    const onEnd = () => {
      // only a session that existed can end; the first visit simply shows the sign-in page
      if (!queryClient.getQueryData(trpc.auth.me.queryKey())) return;
      setEnded(true);
      void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    };
    window.addEventListener(UNAUTHORIZED, onEnd);
    return () => window.removeEventListener(UNAUTHORIZED, onEnd);
  }, [queryClient, trpc]);
  const device = useDeviceLogin(mode === 'wall' && !me.isLoading && !me.data);
  if (me.isLoading || device.pending) return <div className="splash">{t.loading}</div>;
  if (!me.data)
    return (
      <>
        {ended && (
          <div className="banner" role="alert">
            {t.sessionEnded}
          </div>
        )}
        <LoginPage
          onSignedIn={() => {
            setEnded(false);
            // everything fetched before belongs to no one: start afresh
            void queryClient.resetQueries();
          }}
        />
      </>
    );
  if (me.data.passwordExpired) return <ChangePassword />;
  if (me.data.role === 'admin' && !me.data.twoFactorEnabled) return <TotpSetup />;
  if (mode === 'admin') return <AdminGate />;
  if (mode === 'print') return <PrintView />;
  // the briefings' pages refuse, themselves, the roles that may not read briefings
  if (mode === 'briefing') return <BriefingApp />;
  return mode === 'wall' ? <WallApp /> : <DeskApp />;
}

/** The administration pages for a role that may use them, a clear refusal otherwise. */
function AdminGate() {
  const manageUsers = useCan('users:manage');
  const readAudit = useCan('audit:read');
  return manageUsers || readAudit ? <AdminApp /> : <NoPermission />;
}

const DEVICE_KEY = 'pingan.device';

// the token is taken from the fragment at once, before anything rewrites the address
if (typeof window !== 'undefined') {
  const fromHash = /(?:^#|&)device=([^&]+)/.exec(window.location.hash)?.[1];
  if (fromHash) {
    localStorage.setItem(DEVICE_KEY, decodeURIComponent(fromHash));
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

/**
 * A wall display signs in with its device token: `/wall#device=<account>:<token>` once (the
 * fragment never reaches the server or its logs), kept in the browser's storage so that the
 * display signs in again by itself whenever its session ends.
 */
function useDeviceLogin(needed: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => void queryClient.resetQueries(),
      // a refused token is dropped, so that the display shows the sign-in page, not a loop
      onError: () => localStorage.removeItem(DEVICE_KEY),
    }),
  );
  useEffect(() => {
    if (!needed || login.isPending) return;
    const stored = localStorage.getItem(DEVICE_KEY);
    if (!stored) return;
    const i = stored.indexOf(':');
    login.mutate({ username: stored.slice(0, i), password: stored.slice(i + 1) });
    // only when a session is newly needed: `login` changes with every attempt
  }, [needed]);
  return { pending: login.isPending };
}
