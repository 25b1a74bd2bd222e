/** An admin's first sign-in: set up the authenticator app before anything else. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';

export function TotpSetup() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const setup = useMutation(trpc.auth.totpSetup.mutationOptions());
  const verify = useMutation(
    trpc.auth.totpVerify.mutationOptions({ onSuccess: () => queryClient.resetQueries() }),
  );
  const secret = setup.data ? new URL(setup.data.totpURI).searchParams.get('secret') : null;
  const start = (e: FormEvent) => {
    e.preventDefault();
    setup.mutate({ password });
  };
  const finish = (e: FormEvent) => {
    e.preventDefault();
    verify.mutate({ code });
  };
  return (
    <div className="login">
      {!setup.data ? (
        <form onSubmit={start} data-testid="totp-setup">
          <h1>{t.totpTitle}</h1>
          <p className="method">{t.totpIntro}</p>
          <label>
            {t.password}
            <input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          {setup.error && <div className="login-error">{setup.error.message}</div>}
          <button type="submit" className="btn primary" disabled={setup.isPending}>
            {t.totpStart}
          </button>
        </form>
      ) : (
        <form onSubmit={finish} data-testid="totp-verify">
          <h1>{t.totpTitle}</h1>
          <p className="method">{t.totpKeyNote}</p>
          <code className="totp-key" data-testid="totp-key">
            {secret}
          </code>
          <p className="method">{t.totpBackup}</p>
          <code className="totp-key">{setup.data.backupCodes.join('  ')}</code>
          <label>
            {t.totpCode}
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              required
            />
          </label>
          {verify.error && <div className="login-error">{verify.error.message}</div>}
          <button type="submit" className="btn primary" disabled={verify.isPending}>
            {t.totpFinish}
          </button>
        </form>
      )}
    </div>
  );
}
