/** The sign-in page: username, password, and the authenticator code when the account has one. */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';
import { LangSwitch } from '../desk/Header';

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: onSignedIn,
      onError: (e) => {
        if (/6-digit code/.test(e.message)) setNeedTotp(true);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username, password, totp: needTotp && totp ? totp : undefined });
  };
  const error = login.error
    ? /6-digit code/.test(login.error.message) && !totp
      ? null
      : /wrong username or password/.test(login.error.message)
        ? t.loginRefused
        : login.error.message
    : null;
  return (
    <div className="login">
      <form onSubmit={submit} aria-label={t.signIn} data-testid="login-form">
        <h1>{t.appTitle}</h1>
        <label>
          {t.username}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
            required
          />
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {needTotp && (
          <label>
            {t.totpCode}
            <input
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              value={totp}
              onChange={(e) => setTotp(e.target.value.trim())}
              autoFocus
            />
          </label>
        )}
        {error && (
          <div className="login-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn primary" disabled={login.isPending}>
          {login.isPending ? t.loading : t.signIn}
        </button>
        <div className="login-foot">
          <span>{t.loginNote}</span>
          <LangSwitch />
        </div>
      </form>
    </div>
  );
}
