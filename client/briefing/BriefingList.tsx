/** The briefings' list: open, present or delete one, make a new one or a month's report. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatLocal } from '../../domain/time';
import { useCan } from '../auth/useCan';
import { useReference } from '../data/hooks';
import { useTRPC } from '../data/trpc';
import { useView } from '../state/viewStore';
import { BriefingHeader } from './BriefingHeader';
import { briefingHref, errorCode } from './data';
import { lastCompleteMonth } from './month';
import { useBriefingT } from './texts';
import { NewBriefingTitle } from './TitleField';
import { useMayChange } from './useOwner';

const go = (href: string) => window.location.assign(href);

export function BriefingList() {
  const t = useBriefingT();
  const trpc = useTRPC();
  const lang = useView((s) => s.lang);
  const canWrite = useCan('briefings:write');
  const list = useQuery({ ...trpc.briefings.list.queryOptions(), staleTime: 0 });
  return (
    <div className="briefing-page">
      <BriefingHeader title={t.listTitle} />
      <main className="briefing-main">
        {canWrite && (
          <section className="briefing-make">
            <NewBriefing />
            <MonthlyReport />
          </section>
        )}
        {list.isLoading && <p className="muted">{t.loading}</p>}
        {list.isError && (
          <p className="banner" role="alert">
            {list.error.message}
          </p>
        )}
        {list.data && list.data.length === 0 && <p className="empty">{t.empty}</p>}
        {list.data && list.data.length > 0 && (
          <table className="briefing-table" data-testid="briefing-list">
            <thead>
              <tr>
                <th>{t.colTitle}</th>
                <th>{t.colOwner}</th>
                <th className="num">{t.colSlides}</th>
                <th>{t.colChanged}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.id} data-briefing={b.id}>
                  <td>
                    <a href={briefingHref(b.id, lang)} className="briefing-title-link">
                      {b.title}
                    </a>
                  </td>
                  <td>{b.owner.name || b.owner.username}</td>
                  <td className="num">{t.slides(b.slideCount)}</td>
                  <td className="num">
                    {formatLocal(Date.parse(b.updatedAt), 'yyyy-MM-dd HH:mm')}
                  </td>
                  <td className="actions">
                    <a className="btn" href={briefingHref(b.id, lang)}>
                      {t.open}
                    </a>
                    <a className="btn" href={briefingHref(b.id, lang, 'present')}>
                      {t.present}
                    </a>
                    <DeleteButton
                      id={b.id}
                      version={b.version}
                      title={b.title}
                      owner={b.owner.username}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}

function NewBriefing() {
  const t = useBriefingT();
  const trpc = useTRPC();
  const lang = useView((s) => s.lang);
  const [title, setTitle] = useState('');
  const create = useMutation(
    trpc.briefings.create.mutationOptions({
      onSuccess: (r) => go(briefingHref(r.id, lang)),
    }),
  );
  const valid = title.trim().length > 0;
  return (
    <form
      className="briefing-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) create.mutate({ title: title.trim(), slides: [] });
      }}
    >
      <h2>{t.newBriefing}</h2>
      <NewBriefingTitle value={title} onChange={setTitle} testId="new-briefing-title" />
      <button className="btn primary" disabled={!valid || create.isPending}>
        {t.create}
      </button>
      {create.isError && <p className="error">{create.error.message}</p>}
    </form>
  );
}

function MonthlyReport() {
  const t = useBriefingT();
  const trpc = useTRPC();
  const lang = useView((s) => s.lang);
  const reference = useReference();
  const [month, setMonth] = useState<string | null>(null);
  const shown = month ?? lastCompleteMonth(reference);
  const make = useMutation(
    trpc.briefings.fromMonth.mutationOptions({
      onSuccess: (r) => go(briefingHref(r.id, lang)),
    }),
  );
  return (
    <form
      className="briefing-form"
      onSubmit={(e) => {
        e.preventDefault();
        make.mutate({ month: shown });
      }}
    >
      <h2>{t.monthly}</h2>
      <p className="muted">{t.monthlyHint}</p>
      <label>
        <span>{t.month}</span>
        <input
          type="month"
          value={shown}
          onChange={(e) => setMonth(e.target.value)}
          data-testid="monthly-month"
        />
      </label>
      <button className="btn primary" disabled={!shown || make.isPending}>
        {make.isPending ? t.making : t.make}
      </button>
      {make.isError && <p className="error">{make.error.message}</p>}
    </form>
  );
}

/** Deletes with the version listed; a stale one (changed since) says so and lists anew. */
function DeleteButton(props: { id: number; version: number; title: string; owner: string }) {
  const t = useBriefingT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const mayChange = useMayChange(props.owner);
  const remove = useMutation(
    trpc.briefings.delete.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.briefings.list.queryKey() }),
    }),
  );
  if (!mayChange) return null;
  return (
    <>
      <button
        className="btn danger"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(t.removeConfirm(props.title)))
            remove.mutate({ id: props.id, version: props.version });
        }}
        data-testid="briefing-delete"
      >
        {t.remove}
      </button>
      {remove.isError && (
        <span className="error" role="alert">
          {errorCode(remove.error) === 'CONFLICT' ? t.conflictDelete : remove.error.message}
        </span>
      )}
    </>
  );
}
