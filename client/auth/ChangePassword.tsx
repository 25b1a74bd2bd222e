/** A password past its age (the rotation switch) is changed before anything else. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';

export function ChangePassword() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({ onSuccess: () => queryClient.resetQueries() }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate({ current, next });
  };
  return (
    <div className="login">
      <form onSubmit={submit} data-testid="change-password">
        <h1>{t.passwordExpiredTitle}</h1>
        <p className="method">{t.passwordExpiredNote}</p>
        <label>
          {t.currentPassword}
          <input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </label>
        <label>
          {t.newPassword}
          <input
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            required
          />
        </label>
        {change.error && <div className="login-error">{change.error.message}</div>}
        <button type="submit" className="btn primary" disabled={change.isPending}>
          {t.apply}
        </button>
      </form>
    </div>
  );
}
