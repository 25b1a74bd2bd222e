/** The accounts: who they are, their roles and areas, their state; adding, disabling, enabling. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../server/auth/policy';
import { useTRPC } from '../data/trpc';
import { errorText, localTime } from './format';
import { useAdminT, type AdminTexts } from './texts';

interface Town {
  id: number;
  name: string;
}
interface Community extends Town {
  townId: number;
  townName: string;
}

/** The towns and villages/communities by id, for naming and choosing a planner's areas. */
function useAreaChoices() {
  const trpc = useTRPC();
  const towns = useQuery({ ...trpc.regions.towns.queryOptions(), staleTime: Infinity });
  const communities = useQuery({ ...trpc.regions.communities.queryOptions(), staleTime: Infinity });
  return useMemo(() => {
    const townList: Town[] = (towns.data?.features ?? []).map((f) => ({
      id: Number(f.properties.id),
      name: String(f.properties.name),
    }));
    const communityList: Community[] = (communities.data?.features ?? []).map((f) => ({
      id: f.properties.id,
      name: f.properties.name,
      townId: f.properties.townId,
      townName: f.properties.townName,
    }));
    return {
      towns: townList,
      communities: communityList,
      townName: new Map(townList.map((x) => [x.id, x.name])),
      communityName: new Map(communityList.map((x) => [x.id, x.name])),
    };
  }, [towns.data, communities.data]);
}
type AreaChoices = ReturnType<typeof useAreaChoices>;

/** users.areas is the stored JSON text: `{"towns":[1],"communities":[]}`. */
function parseAreas(text: string): { towns: number[]; communities: number[] } {
  try {
    const a = JSON.parse(text) as { towns?: unknown; communities?: unknown };
    const ids = (v: unknown) => (Array.isArray(v) ? v.map(Number).filter(Number.isFinite) : []);
    return { towns: ids(a.towns), communities: ids(a.communities) };
  } catch {
    return { towns: [], communities: [] };
  }
}

function AreasCell({ text, role, choices }: { text: string; role: string; choices: AreaChoices }) {
  const t = useAdminT();
  const a = parseAreas(text);
  if (!a.towns.length && !a.communities.length)
    return role === 'planner' ? <span className="warn">{t.noAreas}</span> : <>{t.none}</>;
  const names = (ids: number[], m: Map<number, string>) =>
    ids.map((id) => m.get(id) ?? `#${id}`).join('、');
  return (
    <>
      {a.towns.length > 0 && <div>{t.allTowns(names(a.towns, choices.townName))}</div>}
      {a.communities.length > 0 && (
        <div>{t.someCommunities(names(a.communities, choices.communityName))}</div>
      )}
    </>
  );
}

type Notice = { kind: 'added' | 'disabled' | 'enabled'; username: string };

function noticeText(t: AdminTexts, n: Notice) {
  return n.kind === 'added'
    ? t.added(n.username)
    : n.kind === 'disabled'
      ? t.doneDisabled(n.username)
      : t.doneEnabled(n.username);
}

export function UsersPage() {
  const t = useAdminT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.users.list.queryOptions(), staleTime: 0 });
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  const choices = useAreaChoices();
  const [confirm, setConfirm] = useState<{ username: string; disabled: boolean } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (_, v) => {
        setConfirm(null);
        setNotice({ kind: v.disabled ? 'disabled' : 'enabled', username: v.username });
      },
      onSettled: refresh,
    }),
  );
  const ask = (username: string, disabled: boolean) => {
    setDisabled.reset();
    setNotice(null);
    setConfirm({ username, disabled });
  };
  const now = Date.now();

  return (
    <div className="admin-users">
      <section className="admin-card" data-testid="users">
        <h2>
          {t.users}
          {list.data && <span className="count">{t.usersCount(list.data.length)}</span>}
        </h2>
        {notice && (
          <div className="admin-notice" role="status" data-testid="users-notice">
            {noticeText(t, notice)}
          </div>
        )}
        {list.isPending ? (
          <p className="empty">{t.loading}</p>
        ) : list.error ? (
          <div className="login-error" role="alert">
            {t.errorPrefix}
            {errorText(list.error)}{' '}
            <button type="button" className="link" onClick={() => void list.refetch()}>
              {t.retry}
            </button>
          </div>
        ) : !list.data.length ? (
          <p className="empty">{t.noUsers}</p>
        ) : (
          <table className="admin-table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t.username}</th>
                <th>{t.name}</th>
                <th>{t.role}</th>
                <th>{t.areas}</th>
                <th>{t.twoFactor}</th>
                <th>{t.status}</th>
                <th>{t.lockedUntil}</th>
                <th>{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((u) => {
                const role = u.role as Role;
                const locked = u.lockedUntil && Date.parse(u.lockedUntil) > now;
                const self = u.username === me.data?.username;
                const asking = confirm?.username === u.username;
                return (
                  <Fragment key={u.username}>
                    <tr
                      data-username={u.username}
                      className={u.disabled ? 'is-disabled' : undefined}
                    >
                      <td className="mono">{u.username}</td>
                      <td>{u.name}</td>
                      <td>
                        <span className={`role role-${role}`}>{t.roleNames[role] ?? u.role}</span>
                      </td>
                      <td className="areas">
                        <AreasCell text={u.areas} role={u.role} choices={choices} />
                      </td>
                      <td>
                        {u.twoFactorEnabled ? (
                          <span className="ok">{t.twoFactorOn}</span>
                        ) : (
                          <span className="muted">{t.twoFactorOff}</span>
                        )}
                      </td>
                      <td data-testid="user-status">
                        {u.disabled ? (
                          <span className="state off">{t.disabled}</span>
                        ) : (
                          <span className="state on">{t.active}</span>
                        )}
                      </td>
                      <td className="num">
                        {locked ? (
                          <span className="warn">{localTime(u.lockedUntil!, false)}</span>
                        ) : (
                          t.none
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn small"
                          disabled={self || setDisabled.isPending}
                          title={self ? t.self : undefined}
                          data-testid={u.disabled ? 'enable-user' : 'disable-user'}
                          onClick={() => ask(u.username, !u.disabled)}
                        >
                          {u.disabled ? t.enable : t.disable}
                        </button>
                      </td>
                    </tr>
                    {asking && confirm && (
                      <tr className="confirm-row">
                        <td colSpan={8}>
                          <div className="admin-confirm" role="alertdialog" data-testid="confirm">
                            <span>
                              {confirm.disabled
                                ? t.confirmDisable(confirm.username)
                                : t.confirmEnable(confirm.username)}
                            </span>
                            <button
                              type="button"
                              className={`btn ${confirm.disabled ? 'danger' : 'primary'}`}
                              disabled={setDisabled.isPending}
                              data-testid="confirm-yes"
                              onClick={() => setDisabled.mutate(confirm)}
                            >
                              {confirm.disabled ? t.disable : t.enable}
                            </button>
                            <button
                              type="button"
                              className="btn"
                              onClick={() => {
                                setConfirm(null);
                                setDisabled.reset();
                              }}
                            >
                              {t.cancel}
                            </button>
                            {setDisabled.error && (
                              <div className="login-error" role="alert">
                                {errorText(setDisabled.error)}
                              </div>
                            )}
                          </div>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <AddUser
        choices={choices}
        onAdded={(username) => {
          setConfirm(null);
          setNotice({ kind: 'added', username });
          void refresh();
        }}
      />
    </div>
  );
}

function AddUser({
  choices,
  onAdded,
}: {
  choices: AreaChoices;
  onAdded: (username: string) => void;
}) {
  const t = useAdminT();
  const trpc = useTRPC();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [password, setPassword] = useState('');
  const [towns, setTowns] = useState<number[]>([]);
  const [communities, setCommunities] = useState<number[]>([]);
  const add = useMutation(
    trpc.users.add.mutationOptions({
      onSuccess: (_, v) => {
        setUsername('');
        setName('');
        setRole('');
        setPassword('');
        setTowns([]);
        setCommunities([]);
        onAdded(v.username);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!role) return;
    add.mutate({
      username: username.trim(),
      password,
      role,
      name: name.trim() || undefined,
      areas: role === 'planner' ? { towns, communities } : undefined,
    });
  };
  // the villages/communities under their towns, the chosen ones left out
  const byTown = useMemo(() => {
    const groups = new Map<string, Community[]>();
    for (const c of choices.communities) {
      if (communities.includes(c.id)) continue;
      const g = groups.get(c.townName) ?? [];
      g.push(c);
      groups.set(c.townName, g);
    }
    return [...groups];
  }, [choices.communities, communities]);

  return (
    <section className="admin-card admin-add">
      <h2>{t.addUser}</h2>
      <form onSubmit={submit} data-testid="add-user" className="admin-form">
        <label>
          {t.username}
          <input
            name="username"
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
          <small>{t.usernameHint}</small>
        </label>
        <label>
          {t.name}
          <input
            name="name"
            autoComplete="off"
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <small>{t.nameHint}</small>
        </label>
        <label>
          {t.role}
          <select
            name="role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            required
          >
            <option value="" disabled>
              {t.chooseRole}
            </option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.roleNames[r]} — {t.roleNotes[r]}
              </option>
            ))}
          </select>
        </label>
        {role === 'planner' && (
          <fieldset className="admin-areas" data-testid="planner-areas">
            <legend>{t.plannerAreas}</legend>
            <small>{t.plannerAreasHint}</small>
            <select
              aria-label={t.addTown}
              value=""
              onChange={(e) => e.target.value && setTowns([...towns, Number(e.target.value)])}
            >
              <option value="">{t.addTown}</option>
              {choices.towns
                .filter((x) => !towns.includes(x.id))
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
            </select>
            <Chosen
              ids={towns}
              names={choices.townName}
              onRemove={(id) => setTowns(towns.filter((x) => x !== id))}
            />
            <select
              aria-label={t.addCommunity}
              value=""
              onChange={(e) =>
                e.target.value && setCommunities([...communities, Number(e.target.value)])
              }
            >
              <option value="">{t.addCommunity}</option>
              {byTown.map(([town, list]) => (
                <optgroup key={town} label={town}>
                  {list.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <Chosen
              ids={communities}
              names={choices.communityName}
              onRemove={(id) => setCommunities(communities.filter((x) => x !== id))}
            />
          </fieldset>
        )}
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <small>{t.passwordHint}</small>
        </label>
        {add.error && (
          <div className="login-error" role="alert" data-testid="add-error">
            {errorText(add.error)}
          </div>
        )}
        <button type="submit" className="btn primary" disabled={add.isPending}>
          {add.isPending ? t.adding : t.add}
        </button>
      </form>
    </section>
  );
}

function Chosen(props: {
  ids: number[];
  names: Map<number, string>;
  onRemove: (id: number) => void;
}) {
  const t = useAdminT();
  if (!props.ids.length) return null;
  return (
    <div className="chips">
      {props.ids.map((id) => {
        const n = props.names.get(id) ?? `#${id}`;
        return (
          <span key={id} className="chip">
            {n}
            <button type="button" aria-label={t.remove(n)} onClick={() => props.onRemove(id)}>
              ×
            </button>
          </span>
        );
      })}
    </div>
  );
}
