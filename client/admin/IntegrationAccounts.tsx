/**
 * Integration accounts (a 110 dispatch feed): listed apart from people, with their API token's
 * state and last use; creating one, revoking its token, reissuing one. A new token is shown
 * once, in this page's memory only: the server keeps its hash and can never show it again.
 */
import { useMutation } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useRef, useState, type FormEvent } from 'react';
import type { AppRouter } from '../../server/router';
import { useTRPC } from '../data/trpc';
import { AccountFields } from './AccountFields';
import { ConfirmRow } from './ConfirmRow';
import { errorText, localTime } from './format';
import { TableHead } from './TableHead';
import { useAdminT } from './texts';

/** A users.list row as it comes over JSON (its times as text). */
type Row = inferRouterOutputs<AppRouter>['users']['list'][number];

/** What the admin is asked to confirm: revoking the token, or reissuing it. */
type Ask = { username: string; reissue: boolean };

/**
 * The token just made, shown once: copy it, read the warning, close it. Nothing else keeps it.
 */
function TokenReveal(props: { username: string; token: string; onClose: () => void }) {
  const t = useAdminT();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'copied' | 'failed' | null>(null);
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopy('copied');
    } catch {
      // no clipboard (a page over plain http, or no permission): select it for a manual copy
      input.current?.select();
      setCopy('failed');
    }
  };
  return (
    <div className="admin-token" role="alert" data-testid="token-reveal">
      <strong>{t.tokenFor(props.username)}</strong>
      <p className="warn">{t.tokenOnce}</p>
      <div className="token-line">
        <input
          ref={input}
          className="mono"
          readOnly
          value={props.token}
          aria-label={t.tokenFor(props.username)}
          data-testid="token-value"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="btn primary" onClick={() => void doCopy()}>
          {copy === 'copied' ? t.copied : t.copy}
        </button>
      </div>
      {copy === 'failed' && <small className="warn">{t.copyFailed}</small>}
      <small className="muted">
        {t.tokenUsage} <code className="mono">Authorization: Bearer …</code>
      </small>
      <div>
        <button type="button" className="btn" data-testid="token-close" onClick={props.onClose}>
          {t.tokenSaved}
        </button>
      </div>
    </div>
  );
}

export function IntegrationAccounts({ rows, refresh }: { rows: Row[]; refresh: () => unknown }) {
  const t = useAdminT();
  const trpc = useTRPC();
  const [shown, setShown] = useState<{ username: string; token: string } | null>(null);
  const [ask, setAsk] = useState<Ask | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const add = useMutation(
    trpc.users.addIntegration.mutationOptions({
      onSuccess: ({ token }, v) => {
        setUsername('');
        setName('');
        setAsk(null);
        setNotice(null);
        setShown({ username: v.username, token });
      },
      onSettled: refresh,
    }),
  );
  const revoke = useMutation(
    trpc.users.revokeToken.mutationOptions({
      onSuccess: ({ token }, v) => {
        setAsk(null);
        if (token) {
          setNotice(null);
          setShown({ username: v.username, token });
        } else setNotice(t.doneRevoked(v.username));
      },
      onSettled: refresh,
    }),
  );
  const open = (a: Ask) => {
    revoke.reset();
    setNotice(null);
    setAsk(a);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ username: username.trim(), name: name.trim() || undefined });
  };

  return (
    <section className="admin-card" data-testid="integrations">
      <h2>
        {t.integrations}
        <span className="count">{t.integrationsCount(rows.length)}</span>
      </h2>
      <p className="muted note">{t.integrationsNote}</p>
      {shown && (
        <TokenReveal username={shown.username} token={shown.token} onClose={() => setShown(null)} />
      )}
      {notice && (
        <div className="admin-notice" role="status" data-testid="integrations-notice">
          {notice}
        </div>
      )}
      {!rows.length ? (
        <p className="empty">{t.noIntegrations}</p>
      ) : (
        <table className="admin-table" data-testid="integrations-table">
          <TableHead
            columns={[t.username, t.name, t.kind, t.createdAt, t.lastUsed, t.apiToken, t.actions]}
          />
          <tbody>
            {rows.map((u) => {
              const active = u.token === 'active';
              const asking = ask?.username === u.username ? ask : null;
              return (
                <IntegrationRow
                  key={u.username}
                  u={u}
                  active={active}
                  asking={asking}
                  busy={revoke.isPending}
                  error={asking && revoke.error ? errorText(revoke.error) : null}
                  onAsk={open}
                  onConfirm={(a) => revoke.mutate(a)}
                  onCancel={() => {
                    setAsk(null);
                    revoke.reset();
                  }}
                />
              );
            })}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} className="admin-form inline" data-testid="add-integration">
        <strong>{t.addIntegration}</strong>
        <AccountFields
          username={username}
          name={name}
          onUsername={setUsername}
          onName={setName}
          nameHint={t.integrationNameHint}
          usernamePlaceholder="dispatch-110"
        />
        <button type="submit" className="btn primary" disabled={add.isPending}>
          {add.isPending ? t.creating : t.create}
        </button>
        {add.error && (
          <div className="login-error" role="alert" data-testid="add-integration-error">
            {errorText(add.error)}
          </div>
        )}
      </form>
    </section>
  );
}

function IntegrationRow(props: {
  u: Row;
  active: boolean;
  asking: Ask | null;
  busy: boolean;
  error: string | null;
  onAsk: (a: Ask) => void;
  onConfirm: (a: Ask) => void;
  onCancel: () => void;
}) {
  const t = useAdminT();
  const { u, active, asking } = props;
  const action = (reissue: boolean) => (
    <button
      type="button"
      className="btn small"
      disabled={props.busy}
      data-testid={reissue ? 'reissue-token' : 'revoke-token'}
      onClick={() => props.onAsk({ username: u.username, reissue })}
    >
      {reissue ? t.reissue : t.revoke}
    </button>
  );
  return (
    <>
      <tr data-integration={u.username} className={u.disabled ? 'is-disabled' : undefined}>
        <td className="mono">{u.username}</td>
        <td>{u.name}</td>
        <td>
          <span className="role role-integration">{t.roleNames.integration}</span>
        </td>
        <td className="num nowrap">{localTime(u.createdAt, false)}</td>
        <td className="num nowrap" data-testid="last-used">
          {u.lastUsedAt ? (
            localTime(u.lastUsedAt, false)
          ) : (
            <span className="muted">{t.neverUsed}</span>
          )}
        </td>
        <td data-testid="token-state">
          <span className={`state ${active ? 'on' : 'off'}`}>
            {active ? t.tokenActive : t.tokenRevoked}
          </span>
          {u.tokenIssuedAt && (
            <small className="muted block">
              {t.tokenIssued(localTime(u.tokenIssuedAt, false))}
            </small>
          )}
          {u.disabled && <small className="warn block">{t.accountDisabled}</small>}
        </td>
        <td className="nowrap">
          {active && action(false)} {action(true)}
        </td>
      </tr>
      {asking && (
        <ConfirmRow
          columns={7}
          question={asking.reissue ? t.confirmReissue(u.username) : t.confirmRevoke(u.username)}
          yes={asking.reissue ? t.reissue : t.revoke}
          danger={!asking.reissue}
          busy={props.busy}
          error={props.error}
          onYes={() => props.onConfirm(asking)}
          onCancel={props.onCancel}
          testId="confirm-token"
        />
      )}
    </>
  );
}
