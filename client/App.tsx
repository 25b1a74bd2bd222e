import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DeskApp } from './desk/DeskApp';
import { makeQueryClient, makeTrpcClient, TRPCProvider } from './data/trpc';
import { syncUrl, useView } from './state/viewStore';
import { WallApp } from './wall/WallApp';

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() => makeTrpcClient());
  const mode = useView((s) => s.mode);
  const lang = useView((s) => s.lang);
  useEffect(() => syncUrl(), []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? '平安图 · 城北区' : "Ping'an Map · Chengbei";
  }, [lang]);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {mode === 'wall' ? <WallApp /> : <DeskApp />}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
