/** The planning tools, undo/redo/delete, the draft's state with Save and Discard, save errors. */
import { Segmented } from '../ui/Segmented';
import { useDraft, type Tool } from './draft';
import { usePlanUi, useSave } from './data';
import { nameOf } from './format';
import type { PlanTexts } from './texts';

export function Toolbar({ t }: { t: PlanTexts }) {
  const tool = useDraft((s) => s.tool);
  const setTool = useDraft((s) => s.setTool);
  const selected = useDraft((s) => s.selected);
  const canUndo = useDraft((s) => s.past.length > 0);
  const canRedo = useDraft((s) => s.future.length > 0);
  const edits = useDraft((s) => s.edits);
  const d = useDraft.getState;
  const n = Object.keys(edits).length;
  const saving = usePlanUi((s) => s.saving);
  const lastSaved = usePlanUi((s) => s.lastSaved);
  const problems = usePlanUi((s) => s.problems);
  const save = useSave();
  const tools: [Tool, string][] = [
    ['select', t.toolSelect],
    ['polygon', t.toolPolygon],
    ['point', t.toolPoint],
  ];
  return (
    <section className="plan-tools">
      <h2>{t.title}</h2>
      <Segmented
        options={tools}
        value={tool}
        onChange={setTool}
        testId={(id) => `plan-tool-${id}`}
      />
      <div className="method">{t.toolHint[tool]}</div>
      <div className="plan-row">
        <button
          className="btn"
          disabled={!canUndo}
          onClick={() => d().undo()}
          title={t.undoKey}
          data-testid="plan-undo"
        >
          ↶ {t.undo}
        </button>
        <button
          className="btn"
          disabled={!canRedo}
          onClick={() => d().redo()}
          title={t.redoKey}
          data-testid="plan-redo"
        >
          ↷ {t.redo}
        </button>
        <button
          className="btn"
          disabled={!selected}
          onClick={() => selected && d().remove(selected)}
          data-testid="plan-delete"
        >
          ✕ {t.remove}
        </button>
      </div>
      <div className={`plan-draft ${n ? 'dirty' : ''}`} data-testid="plan-draft">
        {n ? (
          <>
            <span className="plan-draft-badge">{t.draft}</span>
            <span>{t.draftChanges(n)}</span>
          </>
        ) : (
          <span className="muted">
            {lastSaved && Date.now() - lastSaved.at < 60_000
              ? t.saved(lastSaved.count)
              : t.noChanges}
          </span>
        )}
      </div>
      <div className="plan-row">
        <button
          className="btn primary"
          disabled={!n || saving}
          onClick={() => void save()}
          data-testid="plan-save"
        >
          {saving ? t.saving : t.save}
        </button>
        <button
          className="btn"
          disabled={!n || saving}
          onClick={() => {
            if (window.confirm(t.discardConfirm)) d().discard();
          }}
          data-testid="plan-discard"
        >
          {t.discard}
        </button>
      </div>
      {problems
        .filter((p) => (p.kind === 'error' || p.kind === 'unit') && edits[p.key])
        .map((p) => (
          <div key={p.key} className="plan-error" role="alert" data-testid="plan-error">
            {t.errorSaving}：{nameOf(t, edits[p.key])} —{' '}
            {p.kind === 'unit' ? t.unitRequired : p.message}
          </div>
        ))}
    </section>
  );
}
