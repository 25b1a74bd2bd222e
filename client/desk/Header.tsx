import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../data/trpc';
import { useAdminT } from '../admin/texts';
import { useCan } from '../auth/useCan';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { useT } from '../i18n';
import { localDate, PRESETS, type Preset } from '../../domain/time';
import { useView } from '../state/viewStore';
import { useWindowRange } from '../data/hooks';
import { CATEGORY_COLOURS, css } from '../theme';

export function WindowPicker() {
  const t = useT();
  const window = useView((s) => s.window);
  const setWindow = useView((s) => s.setWindow);
  const range = useWindowRange();
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const value = 'preset' in window ? window.preset : 'custom';
  // the custom range shows inclusive end dates; the window's `to` is the day after
  const shownTo = localDate(range.to - 1);
  const dates = `${localDate(range.from)} – ${shownTo}`;
  return (
    <div className="control" data-testid="window-picker">
      <span>{t.window}</span>
      <select
        aria-label={t.window}
        value={value}
        onChange={(e) => {
          if (e.target.value === 'custom') setCustom({ from: localDate(range.from), to: shownTo });
          else {
            setCustom(null);
            setWindow({ preset: e.target.value as Preset });
          }
        }}
      >
        {PRESETS.map((p) => (
          <option key={p} value={p}>
            {t.preset(p)}
          </option>
        ))}
        <option value="custom">{t.custom}</option>
      </select>
      {(custom || value === 'custom') && (
        <CustomRange
          initial={custom ?? { from: localDate(range.from), to: shownTo }}
          onApply={(from, toInclusive) => {
            const next = new Date(`${toInclusive}T00:00:00Z`);
            next.setUTCDate(next.getUTCDate() + 1);
            setWindow({ from, to: next.toISOString().slice(0, 10) });
            setCustom(null);
          }}
        />
      )}
      <span className="num" style={{ color: 'var(--muted)' }} title={dates}>
        {dates}
      </span>
    </div>
  );
}

function CustomRange(props: {
  initial: { from: string; to: string };
  onApply: (from: string, to: string) => void;
}) {
  const t = useT();
  const [from, setFrom] = useState(props.initial.from);
  const [to, setTo] = useState(props.initial.to);
  const valid = from && to && from <= to;
  return (
    <>
      <input
        type="date"
        aria-label={t.from}
        value={from}
        onChange={(e) => setFrom(e.target.value)}
      />
      <input type="date" aria-label={t.to} value={to} onChange={(e) => setTo(e.target.value)} />
      <button className="btn" disabled={!valid} onClick={() => valid && props.onApply(from, to)}>
        {t.apply}
      </button>
    </>
  );
}

export function CategoryFilter() {
  const t = useT();
  const categories = useView((s) => s.categories);
  const setCategories = useView((s) => s.setCategories);
  const [open, setOpen] = useState(false);
  const active = categories.length ? categories : INCIDENT_CATEGORIES;
  const picked = categories.map((c) => t.category(c)).join(t.lang === 'zh' ? '、' : ', ');
  const label = `${t.categories}: ${categories.length ? picked : t.allCategories}`;
  return (
    <div className="control" style={{ position: 'relative' }}>
      <button
        className={`btn category-button ${categories.length ? 'on' : ''}`}
        onClick={() => setOpen(!open)}
        title={label}
        data-testid="category-button"
      >
        {label}
      </button>
      {open && (
        <div className="popover" style={{ top: 36, left: 0 }}>
          <div className="chips">
            {INCIDENT_CATEGORIES.map((c) => {
              const on = active.includes(c);
              return (
                <button
                  key={c}
                  className={`chip ${on ? '' : 'off'}`}
                  aria-pressed={on}
                  data-category={c}
                  onClick={() => {
                    const next = on ? active.filter((x) => x !== c) : [...active, c];
                    setCategories(
                      next.length === INCIDENT_CATEGORIES.length || next.length === 0 ? [] : next,
                    );
                  }}
                >
                  <span className="swatch" style={{ background: css(CATEGORY_COLOURS[c]) }} />
                  {t.category(c)}
                </button>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

export function LangSwitch() {
  const lang = useView((s) => s.lang);
  const setLang = useView((s) => s.setLang);
  return (
    <div className="control" role="group" aria-label="language">
      <button
        type="button"
        className={`btn ${lang === 'zh' ? 'on' : ''}`}
        onClick={() => setLang('zh')}
      >
        中
      </button>
      <button
        type="button"
        className={`btn ${lang === 'en' ? 'on' : ''}`}
        onClick={() => setLang('en')}
      >
        EN
      </button>
    </div>
  );
}

/** Who is signed in, the administration pages for those who may use them, and signing out. */
export function UserMenu() {
  const t = useT();
  const at = useAdminT();
  const trpc = useTRPC();
  const mode = useView((s) => s.mode);
  const lang = useView((s) => s.lang);
  const manageUsers = useCan('users:manage');
  const readAudit = useCan('audit:read');
  const admin = manageUsers || readAudit;
  const queryClient = useQueryClient();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => queryClient.resetQueries(),
    }),
  );
  if (!me.data) return null;
  const roles = t.roleNames.split(',');
  const order = ['admin', 'leader', 'planner', 'analyst', 'display'];
  const role = roles[order.indexOf(me.data.role)] ?? me.data.role;
  return (
    <div className="control user" data-testid="user-menu">
      <span>
        {me.data.username} <span className="badge">{role}</span>
      </span>
      {admin && mode !== 'admin' && (
        <a
          className="btn"
          href={lang === 'en' ? '/admin?lang=en' : '/admin'}
          data-testid="admin-link"
        >
          {at.adminLink}
        </a>
      )}
      <button type="button" className="btn" onClick={() => logout.mutate()}>
        {t.signOut}
      </button>
    </div>
  );
}
