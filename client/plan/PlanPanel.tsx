/**
 * The planning tab: tools, undo/redo, the draft's state with Save and Discard, the selected
 * zone's or post's details and history, the what-if figures (saved vs draft), post suggestions,
 * and the conflict dialog when a save meets someone else's. Each part lives in its own file
 * here; this one composes them.
 */
import { useDraft } from './draft';
import { ConflictDialog } from './ConflictDialog';
import { Selected } from './Selected';
import { SuggestPosts } from './SuggestPosts';
import { usePlanTexts } from './texts';
import { Toolbar } from './Toolbar';
import { WhatIf } from './WhatIf';
import './plan.css';

export function PlanPanel() {
  const t = usePlanTexts();
  const loaded = useDraft((s) => s.loaded);
  return (
    <div className="plan" data-testid="plan-panel">
      <Toolbar t={t} />
      {!loaded ? (
        <section>
          <div className="empty">{t.loading}</div>
        </section>
      ) : (
        <>
          <WhatIf t={t} />
          <Selected t={t} />
          <SuggestPosts t={t} />
        </>
      )}
      <ConflictDialog t={t} />
    </div>
  );
}
