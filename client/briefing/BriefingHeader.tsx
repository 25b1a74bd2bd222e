/** The briefings' pages' header: where one is, the way back to the map, the language, the user. */
import type { ReactNode } from 'react';
import { LangSwitch, UserMenu } from '../desk/Header';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { listHref } from './data';
import { useBriefingT } from './texts';

export function BriefingHeader(props: { title: string; back?: 'list'; children?: ReactNode }) {
  const t = useBriefingT();
  const app = useT();
  const lang = useView((s) => s.lang);
  return (
    <header className="briefing-header">
      <h1>
        <a href={lang === 'en' ? '/?lang=en' : '/'}>{app.appTitle}</a>
        <span className="sep">/</span>
        {props.back === 'list' ? (
          <a href={listHref(lang)} data-testid="to-list">
            {t.briefings}
          </a>
        ) : (
          <span>{props.title}</span>
        )}
      </h1>
      {props.children}
      <span className="spacer" />
      <a className="btn" href={lang === 'en' ? '/?lang=en' : '/'} data-testid="back-to-map">
        {t.backToMap}
      </a>
      <LangSwitch />
      <UserMenu />
    </header>
  );
}
