/** The refusal page of an area of pages a role may not use, small enough to load with the map. */
import { LangSwitch, UserMenu } from '../desk/Header';
import { useView } from '../state/viewStore';
import { useAdminT } from './texts';
import './admin.css';

/** The desk's address in the current language. */
export function useDeskHref(): string {
  const lang = useView((s) => s.lang);
  return lang === 'en' ? '/?lang=en' : '/';
}

/**
 * For a signed-in user whose role may use none of the administration pages, or (given its own
 * words) none of another area of pages: what is refused, and the way back to the map.
 */
export function NoPermission(props: { title?: string; text?: string; testId?: string }) {
  const t = useAdminT();
  const deskHref = useDeskHref();
  return (
    <div className="login admin-denied">
      <div className="admin-denied-card" role="alert" data-testid={props.testId ?? 'admin-denied'}>
        <h1>{props.title ?? t.noPermissionTitle}</h1>
        <p>{props.text ?? t.noPermission}</p>
        <a className="btn primary" href={deskHref}>
          {t.backToMap}
        </a>
        <div className="login-foot">
          <UserMenu />
          <LangSwitch />
        </div>
      </div>
    </div>
  );
}
