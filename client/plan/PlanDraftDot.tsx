import { useDraft } from './draft';
import { usePlanTexts } from './texts';
import './plan.css';

/** A dot on the planning tab while the draft holds unsaved changes. */
export function PlanDraftDot() {
  const t = usePlanTexts();
  const n = useDraft((s) => Object.keys(s.edits).length);
  return n ? <span className="plan-dot" title={t.draftChanges(n)} data-testid="plan-dot" /> : null;
}
