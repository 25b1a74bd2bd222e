/**
 * The administration pages at /admin, for administrators: the users, the audit trail, and the
 * data import and export.
 */
import { useState } from 'react';
import { useCan } from '../auth/useCan';
import { LangSwitch, UserMenu } from '../desk/Header';
import { useDeskHref } from './NoPermission';
import { AuditPage } from './AuditPage';
import { ImportPage } from './ImportPage';
import { useAdminT } from './texts';
import { UsersPage } from './UsersPage';
import './admin.css';

type Tab = 'users' | 'audit' | 'import';

export function AdminApp() {
  const t = useAdminT();
  const deskHref = useDeskHref();
  const manageUsers = useCan('users:manage');
  const importData = useCan('data:import');
  const readAudit = useCan('audit:read');
  const tabs: Tab[] = [
    ...(manageUsers ? ['users' as const] : []),
    ...(readAudit ? ['audit' as const] : []),
    ...(importData ? ['import' as const] : []),
  ];
  const [chosen, setChosen] = useState<Tab>('users');
  const tab = tabs.includes(chosen) ? chosen : tabs[0];
  const label: Record<Tab, string> = {
    users: t.tabUsers,
    audit: t.tabAudit,
    import: t.tabImport,
  };
  return (
    <div className="admin" data-testid="admin">
      <header>
        <h1>{t.title}</h1>
        <nav className="admin-tabs" role="tablist">
          {tabs.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={tab === id ? 'on' : ''}
              data-tab={id}
              onClick={() => setChosen(id)}
            >
              {label[id]}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <a className="btn admin-back" href={deskHref} data-testid="back-to-map">
          {t.backToMap}
        </a>
        <LangSwitch />
        <UserMenu />
      </header>
      <main>
        {tab === 'users' && <UsersPage />}
        {tab === 'audit' && <AuditPage />}
        {tab === 'import' && <ImportPage />}
      </main>
    </div>
  );
}
