/** The audit trail: filtered, newest first, a page at a time; each row's detail; the chain check. */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import type { AuditOutcome } from '../../server/audit/audit';
import type { Role } from '../../domain/policy';
import { addDaysToDate } from '../../domain/time';
import { useTRPC } from '../data/trpc';
import { errorText, localTime } from './format';
import { useAdminT } from './texts';

const PAGE_SIZE = 50;

/** Actions offered as suggestions; any other action (or prefix with *) may be typed. */
const KNOWN_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.logoutEverywhere',
  'auth.changePassword',
  'auth.totpSetup',
  'auth.totpVerify',
  'users.add',
  'users.setDisabled',
  'zones.update',
  'audit.prune',
  'auth.*',
  'users.*',
  'zones.*',
];

interface Draft {
  from: string;
  to: string;
  username: string;
  action: string;
  outcome: AuditOutcome | '';
}
const EMPTY: Draft = { from: '', to: '', username: '', action: '', outcome: '' };

interface Filter {
  from?: string;
  to?: string;
  username?: string;
  action?: string;
  outcome?: AuditOutcome;
}

function toFilter(d: Draft): Filter {
  const f: Filter = {};
  // a bare date is 00:00 in Asia/Shanghai to the API
  if (d.from) f.from = d.from;
  if (d.to) f.to = addDaysToDate(d.to, 1); // the form's end date is inclusive, the API's `to` is not
  if (d.username.trim()) f.username = d.username.trim().toLowerCase();
  if (d.action.trim()) f.action = d.action.trim();
  if (d.outcome) f.outcome = d.outcome;
  return f;
}

export function AuditPage() {
  const t = useAdminT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<Filter>({});
  // the cursors of the pages seen, newest first: undefined is the first page
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...trpc.audit.list.queryOptions({ ...filter, limit: PAGE_SIZE, cursor }),
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
  const badRange = Boolean(draft.from && draft.to && draft.to < draft.from);

  const search = (e: FormEvent) => {
    e.preventDefault();
    if (badRange) return;
    setFilter(toFilter(draft));
    setCursors([undefined]);
    setOpen(new Set());
    // the same filter again means "look again": the trail grows all the time
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() });
  };
  const clear = () => {
    setDraft(EMPTY);
    setFilter({});
    setCursors([undefined]);
    setOpen(new Set());
  };
  const toggle = (id: number) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  /** Shows the row `id` at the top of an unfiltered page, opened. */
  const showRow = (id: number) => {
    setDraft(EMPTY);
    setFilter({});
    setCursors([undefined, id + 1]);
    setOpen(new Set([id]));
  };
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft({ ...draft, [k]: v });
  const outcomes = Object.keys(t.outcomeNames) as AuditOutcome[];
  const items = page.data?.items ?? [];

  return (
    <div className="admin-audit">
      <section className="admin-card">
        <h2>{t.audit}</h2>
        <p className="method">{t.auditNote}</p>
        <form className="admin-filters" onSubmit={search} data-testid="audit-filters">
          <label>
            {t.from}
            <input
              type="date"
              name="from"
              value={draft.from}
              onChange={(e) => set('from', e.target.value)}
            />
          </label>
          <label>
            {t.to}
            <input
              type="date"
              name="to"
              value={draft.to}
              onChange={(e) => set('to', e.target.value)}
            />
          </label>
          <label>
            {t.user}
            <input
              name="username"
              autoComplete="off"
              value={draft.username}
              onChange={(e) => set('username', e.target.value)}
            />
          </label>
          <label>
            {t.action}
            <input
              name="action"
              autoComplete="off"
              list="audit-actions"
              placeholder={t.actionHint}
              value={draft.action}
              onChange={(e) => set('action', e.target.value)}
            />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <label>
            {t.outcome}
            <select
              name="outcome"
              value={draft.outcome}
              onChange={(e) => set('outcome', e.target.value as AuditOutcome | '')}
            >
              <option value="">{t.anyOutcome}</option>
              {outcomes.map((o) => (
                <option key={o} value={o}>
                  {t.outcomeNames[o]}
                </option>
              ))}
            </select>
          </label>
          <div className="buttons">
            <button type="submit" className="btn primary" disabled={badRange}>
              {t.search}
            </button>
            <button type="button" className="btn" onClick={clear}>
              {t.clear}
            </button>
          </div>
        </form>
        {badRange && (
          <div className="login-error" role="alert">
            {t.badRange}
          </div>
        )}
        <Verify onShowRow={showRow} />
      </section>

      <section className="admin-card">
        {page.error ? (
          <div className="login-error" role="alert" data-testid="audit-error">
            {t.errorPrefix}
            {errorText(page.error)}
          </div>
        ) : page.isPending ? (
          <p className="empty">{t.loading}</p>
        ) : !items.length ? (
          <p className="empty" data-testid="audit-empty">
            {t.noRows}
          </p>
        ) : (
          <table
            className={`admin-table audit-table ${page.isPlaceholderData ? 'stale' : ''}`}
            data-testid="audit-table"
          >
            <thead>
              <tr>
                <th>{t.time}</th>
                <th>{t.user}</th>
                <th>{t.action}</th>
                <th>{t.object}</th>
                <th>{t.outcome}</th>
                <th>{t.ip}</th>
                <th>{t.detail}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const isOpen = open.has(r.id);
                return (
                  <Fragment key={r.id}>
                    <tr data-testid="audit-row" data-id={r.id} data-action={r.action}>
                      <td className="num nowrap">{localTime(r.at)}</td>
                      <td>
                        {r.username ?? t.none}
                        {r.role && (
                          <span className="badge">{t.roleNames[r.role as Role] ?? r.role}</span>
                        )}
                      </td>
                      <td className="mono">{r.action}</td>
                      <td className="mono">{r.object ?? t.none}</td>
                      <td>
                        <span className={`outcome outcome-${r.outcome}`}>
                          {t.outcomeNames[r.outcome] ?? r.outcome}
                        </span>
                      </td>
                      <td className="mono">{r.ip ?? t.none}</td>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-expanded={isOpen}
                          data-testid="audit-toggle"
                          onClick={() => toggle(r.id)}
                        >
                          {isOpen ? t.hideDetail : t.showDetail}
                        </button>
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="detail-row" data-testid="audit-detail">
                        <td colSpan={7}>
                          <dl>
                            <dt>{t.rowId}</dt>
                            <dd className="num">{r.id}</dd>
                            <dt>UTC</dt>
                            <dd className="mono">{r.at}</dd>
                            <dt>{t.hash}</dt>
                            <dd className="mono">{r.hash}</dd>
                          </dl>
                          <pre>
                            {r.detail === null || r.detail === undefined
                              ? t.noDetail
                              : JSON.stringify(r.detail, null, 2)}
                          </pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="admin-pager">
          <button
            type="button"
            className="btn"
            disabled={cursors.length === 1 || page.isFetching}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {t.newer}
          </button>
          <span className="num" data-testid="audit-page">
            {t.page(cursors.length)}
          </span>
          <button
            type="button"
            className="btn"
            disabled={!page.data?.nextCursor || page.isFetching}
            onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          >
            {t.older}
          </button>
          {page.isFetching && <span className="muted">{t.loading}</span>}
        </div>
      </section>
    </div>
  );
}

/** Recomputes the hash chain on the server and says whether it is intact, or where it breaks. */
function Verify({ onShowRow }: { onShowRow: (id: number) => void }) {
  const t = useAdminT();
  const trpc = useTRPC();
  const verify = useQuery({
    ...trpc.audit.verify.queryOptions(),
    enabled: false,
    staleTime: 0,
    retry: false,
  });
  const v = verify.data;
  return (
    <div className="admin-verify">
      <button
        type="button"
        className="btn"
        data-testid="verify"
        disabled={verify.isFetching}
        onClick={() => void verify.refetch()}
      >
        {verify.isFetching ? t.verifying : t.verify}
      </button>
      {verify.error && !verify.isFetching && (
        <div className="login-error" role="alert" data-testid="verify-result">
          {t.errorPrefix}
          {errorText(verify.error)}
        </div>
      )}
      {v && !verify.isFetching && (
        <div
          className={`verdict ${v.ok ? 'good' : 'bad'}`}
          role="status"
          data-testid="verify-result"
          data-ok={v.ok}
        >
          {v.ok ? (
            <>
              <strong>{t.verifyOk(v.rows, v.head.id)}</strong>
              <span className="mono hash" title={v.head.hash}>
                {t.hash} {v.head.hash.slice(0, 16)}…
              </span>
            </>
          ) : (
            <>
              <strong>{t.verifyBad(v.firstBad!.id)}</strong>
              <span>{v.firstBad!.reason}</span>
              <span className="muted">{t.verifyRows(v.rows)}</span>
              <button type="button" className="link" onClick={() => onShowRow(v.firstBad!.id)}>
                {t.showDetail} #{v.firstBad!.id}
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
