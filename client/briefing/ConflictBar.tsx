/**
 * What a save that met a newer version (or a deleted briefing) offers: load the saved briefing
 * and drop one's changes, or keep the saved one as it is and save one's own as a new briefing.
 * Nothing is dropped until the user chooses.
 */
import type { SaveState } from './data';
import { useBriefingT } from './texts';

export function ConflictBar(props: { state: SaveState; onTheirs: () => void; onCopy: () => void }) {
  const t = useBriefingT();
  const { state } = props;
  if (state.kind !== 'conflict' && state.kind !== 'gone' && state.kind !== 'error') return null;
  return (
    <div className="briefing-conflict" role="alert" data-testid="briefing-conflict">
      <span>
        {state.kind === 'conflict'
          ? t.conflict
          : state.kind === 'gone'
            ? t.gone
            : `${t.saveFailed}: ${'message' in state ? state.message : ''}`}
      </span>
      {state.kind === 'conflict' && (
        <button className="btn" onClick={props.onTheirs}>
          {t.loadTheirs}
        </button>
      )}
      {state.kind !== 'error' && (
        <button className="btn primary" onClick={props.onCopy} data-testid="save-copy">
          {t.saveCopy}
        </button>
      )}
    </div>
  );
}
