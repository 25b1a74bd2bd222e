/**
 * The accounts: who they are, their roles, areas and (displays) map layers, their state; adding,
 * disabling, enabling, changing a display's layers. Integration accounts (feeds) are listed
 * apart, with their API tokens (IntegrationAccounts.tsx).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { MAP_LAYERS, ROLES, type MapLayer, type Role } from '../../domain/policy';
import { useTRPC } from '../data/trpc';
import { useT } from '../i18n';
import { AccountFields } from './AccountFields';
import { ConfirmRow } from './ConfirmRow';
import { errorText, localTime } from './format';
import { IntegrationAccounts } from './IntegrationAccounts';
import { TableHead } from './TableHead';
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

const isMapLayer = (id: string): id is MapLayer => (MAP_LAYERS as readonly string[]).includes(id);

/** users.layers is the stored JSON text of the layer ids, or null: no limit. */
function parseLayers(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [text];
  } catch {
    return [text];
  }
}

/** A display's layers by name: all of them (no limit), none, or the list. */
function LayersCell({ layers, role }: { layers: string[] | null; role: string }) {
  const t = useAdminT();
  const tt = useT();
  if (role !== 'display' && !layers) return <>{t.none}</>;
  if (!layers) return <span className="muted">{t.allLayers}</span>;
  if (!layers.length) return <span className="warn">{t.noLayer}</span>;
  return <>{layers.map((id) => (isMapLayer(id) ? tt.layer(id) : id)).join(t.layerSep)}</>;
}

/**
 * Choosing a display's layers: "no limit" (null), or some of the map's layers, ticked (kept in
 * the map's order).
 */
function LayerChoice({
  value,
  onChange,
}: {
  value: string[] | null;
  onChange: (layers: string[] | null) => void;
}) {
  const t = useAdminT();
  const tt = useT();
  // the list to come back to when "no limit" is unticked again
  const [last, setLast] = useState<string[]>(value ?? []);
  return (
    <div className="layer-choice">
      <label className="check no-limit">
        <input
          type="checkbox"
          name="no-limit"
          checked={value === null}
          onChange={(e) => onChange(e.target.checked ? null : last)}
        />
        {t.noLimit}
      </label>
      <div className="layer-grid">
        {MAP_LAYERS.map((id) => (
          <label key={id} className="check">
            <input
              type="checkbox"
              name="layer"
              value={id}
              checked={value === null || value.includes(id)}
              disabled={value === null}
              onChange={(e) => {
                const next = MAP_LAYERS.filter((l) =>
                  l === id ? e.target.checked : value?.includes(l),
                );
                setLast(next);
                onChange(next);
              }}
            />
            {tt.layer(id)}
          </label>
        ))}
      </div>
      <small>{t.layersHint}</small>
      {value?.length === 0 && <small className="warn">{t.noLayerWarn}</small>}
    </div>
  );
}

type Notice = { kind: 'added' | 'disabled' | 'enabled' | 'layers'; username: string };

function noticeText(t: AdminTexts, n: Notice) {
  switch (n.kind) {
    case 'added':
      return t.added(n.username);
    case 'disabled':
      return t.doneDisabled(n.username);
    case 'enabled':
      return t.doneEnabled(n.username);
    case 'layers':
      return t.doneLayers(n.username);
  }
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
  /** the display whose layers are being changed, and the choice so far */
  const [editing, setEditing] = useState<{ username: string; layers: string[] | null } | null>(
    null,
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setLayers = useMutation(
    trpc.users.setLayers.mutationOptions({
      onSuccess: (_, v) => {
        setEditing(null);
        setNotice({ kind: 'layers', username: v.username });
      },
      onSettled: refresh,
    }),
  );
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
    setEditing(null);
    setConfirm({ username, disabled });
  };
  const edit = (username: string, layers: string[] | null) => {
    setLayers.reset();
    setNotice(null);
    setConfirm(null);
    setEditing({ username, layers });
  };
  const now = Date.now();
  const people = list.data?.filter((u) => u.role !== 'integration');
  const feeds = list.data?.filter((u) => u.role === 'integration');

  return (
    <div className="admin-users">
      <div className="admin-column">
        <section className="admin-card" data-testid="users">
          <h2>
            {t.users}
            {people && <span className="count">{t.usersCount(people.length)}</span>}
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
          ) : !people?.length ? (
            <p className="empty">{t.noUsers}</p>
          ) : (
            <table className="admin-table" data-testid="users-table">
              <TableHead
                columns={[
                  t.username,
                  t.name,
                  t.role,
                  t.areas,
                  t.layers,
                  t.twoFactor,
                  t.status,
                  t.lockedUntil,
                  t.actions,
                ]}
              />
              <tbody>
                {people.map((u) => {
                  const role = u.role as Role;
                  const locked = u.lockedUntil && Date.parse(u.lockedUntil) > now;
                  const self = u.username === me.data?.username;
                  const asking = confirm?.username === u.username;
                  const layers = parseLayers(u.layers);
                  const changing = editing?.username === u.username;
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
                        <td className="layers" data-testid="user-layers">
                          <LayersCell layers={layers} role={u.role} />
                          {role === 'display' && !changing && (
                            <button
                              type="button"
                              className="link edit"
                              data-testid="edit-layers"
                              onClick={() => edit(u.username, layers)}
                            >
                              {t.editLayers}
                            </button>
                          )}
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
                        <ConfirmRow
                          columns={9}
                          question={
                            confirm.disabled
                              ? t.confirmDisable(confirm.username)
                              : t.confirmEnable(confirm.username)
                          }
                          yes={confirm.disabled ? t.disable : t.enable}
                          danger={confirm.disabled}
                          busy={setDisabled.isPending}
                          error={setDisabled.error ? errorText(setDisabled.error) : null}
                          onYes={() => setDisabled.mutate(confirm)}
                          onCancel={() => {
                            setConfirm(null);
                            setDisabled.reset();
                          }}
                          testId="confirm"
                        />
                      )}
                      {changing && editing && (
                        <tr className="confirm-row">
                          <td colSpan={9}>
                            <form
                              className="admin-layers-edit"
                              data-testid="layers-editor"
                              onSubmit={(e) => {
                                e.preventDefault();
                                setLayers.mutate(editing);
                              }}
                            >
                              <strong>{t.editLayersOf(editing.username)}</strong>
                              <LayerChoice
                                value={editing.layers}
                                onChange={(layers) => setEditing({ ...editing, layers })}
                              />
                              <div className="buttons">
                                <button
                                  type="submit"
                                  className="btn primary"
                                  disabled={setLayers.isPending}
                                  data-testid="layers-save"
                                >
                                  {setLayers.isPending ? t.saving : t.save}
                                </button>
                                <button
                                  type="button"
                                  className="btn"
                                  onClick={() => {
                                    setEditing(null);
                                    setLayers.reset();
                                  }}
                                >
                                  {t.cancel}
                                </button>
                              </div>
                              {setLayers.error && (
                                <div
                                  className="login-error"
                                  role="alert"
                                  data-testid="layers-error"
                                >
                                  {errorText(setLayers.error)}
                                </div>
                              )}
                            </form>
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
        {feeds && <IntegrationAccounts rows={feeds} refresh={refresh} />}
      </div>
      <AddUser
        choices={choices}
        onAdded={(username) => {
          setConfirm(null);
          setEditing(null);
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
  const [layers, setLayers] = useState<string[] | null>(null);
  const add = useMutation(
    trpc.users.add.mutationOptions({
      onSuccess: (_, v) => {
        setUsername('');
        setName('');
        setRole('');
        setPassword('');
        setTowns([]);
        setCommunities([]);
        setLayers(null);
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
      layers: role === 'display' ? layers : undefined,
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
        <AccountFields
          username={username}
          name={name}
          onUsername={setUsername}
          onName={setName}
          nameHint={t.nameHint}
        />
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
            {/* an integration account has no password: it is added with an API token */}
            {ROLES.filter((r) => r !== 'integration').map((r) => (
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
        {role === 'display' && (
          <fieldset className="admin-areas" data-testid="display-layers">
            <legend>{t.displayLayers}</legend>
            <LayerChoice value={layers} onChange={setLayers} />
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
