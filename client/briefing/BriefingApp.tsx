/**
 * The briefings' pages, by path (client/state/viewStore.ts briefingRoute): the list, one
 * briefing's slides, presenting it, and the presenter's notes in a second window. Only for
 * roles that may read briefings; the others get a clear refusal.
 */
import { NoPermission } from '../admin/NoPermission';
import { useEffect } from 'react';
import { useCan } from '../auth/useCan';
import { briefingRoute } from '../state/viewStore';
import { BriefingList } from './BriefingList';
import { BriefingSlides } from './BriefingSlides';
import { endEditSession } from './editSession';
import { PresenterNotes } from './PresenterNotes';
import { Presenter } from './Presenter';
import { useBriefingT } from './texts';
import './briefing.css';

export function BriefingApp() {
  const canRead = useCan('briefings:read');
  // back on the briefings' pages, a slide's view edited on the desk is no longer in hand
  useEffect(() => endEditSession(), []);
  if (!canRead) return <NoBriefings />;
  const route = briefingRoute(window.location.pathname) ?? { page: 'list' };
  if (route.page === 'list') return <BriefingList />;
  if (route.page === 'present') return <Presenter id={route.id} />;
  if (route.page === 'notes') return <PresenterNotes id={route.id} />;
  return <BriefingSlides id={route.id} />;
}

function NoBriefings() {
  const t = useBriefingT();
  return (
    <NoPermission title={t.noPermissionTitle} text={t.noPermission} testId="briefing-denied" />
  );
}
