/**
 * 数据导入: an administrator brings an agency's own data in. Pick the layer, drop the file; the
 * server reads it and suggests which column is which field and which coordinate system the
 * numbers are in. The administrator checks the mapping, chooses the coordinate system (a guess
 * is offered, never applied without a click), runs a dry run (nothing written: the counts, the
 * refused rows, a map of the changes), then imports after a confirmation naming what goes. The
 * app's cached data is dropped afterwards so every view shows the new data. Exports below.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import { DataExport } from './DataExport';
import {
  IMPORT_CRS_CHOICES,
  IMPORT_FIELDS,
  IMPORT_LAYER_CHOICES,
  IMPORT_MAX_BYTES,
  ImportFailed,
  inspectFile,
  runImport,
  type FileChoice,
  type ImportAnswer,
  type ImportChoice,
  type ImportLayer,
  type Inspection,
  type Mapping,
} from './importApi';
import { ImportReportView } from './ImportReportView';
import { errorText } from './format';
import { useAdminT, type AdminTexts } from './texts';

type IoTexts = AdminTexts['io'];

/** A refusal from the server: a coded one in the page's language, else its message. */
function failureText(e: unknown, t: IoTexts): string {
  return e instanceof ImportFailed && e.coded ? t.because(e.coded) : errorText(e);
}

/** What the file's inspection leaves the administrator to decide. */
interface Choices {
  mapping: Mapping;
  /** fields whose column was chosen here rather than suggested */
  touched: string[];
  crs: string | null;
  repair: boolean;
  mappingName: string;
  source: string;
}

function initialChoices(i: Inspection, layer: ImportLayer): Choices {
  const mapping: Mapping = {};
  for (const { field } of IMPORT_FIELDS[layer])
    mapping[field] = i.mapping.fields[field]?.column ?? null;
  for (const [field, m] of Object.entries(i.mapping.fields)) mapping[field] = m.column;
  return {
    mapping,
    touched: [],
    crs: i.crs.declared,
    repair: false,
    mappingName: '',
    source: '',
  };
}

export function ImportPage() {
  const t = useAdminT();
  return (
    <div className="admin-column import-page">
      <ImportCard t={t.io} />
      <DataExport />
    </div>
  );
}

function ImportCard({ t }: { t: IoTexts }) {
  const queryClient = useQueryClient();
  const [layer, setLayer] = useState<ImportLayer>('communities');
  const [file, setFile] = useState<File | null>(null);
  const [where, setWhere] = useState<Pick<FileChoice, 'sheet' | 'x' | 'y'>>({});
  const [choices, setChoices] = useState<Choices | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [tooLarge, setTooLarge] = useState<number | null>(null);
  /** the choice the report shown was made with, to tell a stale report */
  const [reportOf, setReportOf] = useState<string | null>(null);

  const inspect = useMutation({
    mutationFn: (a: { choice: FileChoice; file: File }) => inspectFile(a.choice, a.file),
    onSuccess: (i, a) => {
      setChoices(initialChoices(i, a.choice.layer));
      dryRun.reset();
      commit.reset();
    },
  });
  const dryRun = useMutation({
    mutationFn: (a: { choice: ImportChoice; file: File }) => runImport(a.choice, a.file),
    onSuccess: (_, a) => setReportOf(JSON.stringify(a.choice)),
  });
  const commit = useMutation({
    mutationFn: (a: { choice: ImportChoice; file: File }) => runImport(a.choice, a.file),
    onSuccess: () => {
      setConfirming(false);
      // every view's data may have changed: boundaries, cameras and what is drawn from them
      void queryClient.invalidateQueries();
    },
  });

  const start = (next: { layer?: ImportLayer; file?: File | null; where?: typeof where }) => {
    const l = next.layer ?? layer;
    const f = next.file === undefined ? file : next.file;
    const w = next.where ?? where;
    setLayer(l);
    setFile(f);
    setWhere(w);
    setChoices(null);
    setConfirming(false);
    setReportOf(null);
    dryRun.reset();
    commit.reset();
    inspect.reset();
    if (!f) return;
    if (f.size > IMPORT_MAX_BYTES) {
      setTooLarge(Math.ceil(f.size / 2 ** 20));
      return;
    }
    setTooLarge(null);
    inspect.mutate({ choice: { layer: l, name: f.name, ...w }, file: f });
  };

  const inspection = inspect.data;
  const choice: ImportChoice | null =
    file && choices?.crs
      ? {
          layer,
          name: file.name,
          ...where,
          crs: choices.crs,
          commit: false,
          repair: choices.repair,
          mapping: choices.mapping,
          mappingName: choices.mappingName,
          source: choices.source,
        }
      : null;
  const missing = IMPORT_FIELDS[layer].filter((f) => f.required && !choices?.mapping[f.field]);
  const answer: ImportAnswer | undefined = dryRun.data;
  const stale = !!answer && reportOf !== JSON.stringify(choice);
  const done = commit.data;

  return (
    <section className="admin-card import-card" data-testid="import">
      <h2>{t.importTitle}</h2>
      <p className="note muted">{t.importNote}</p>
      <div className="import-pick">
        <label>
          {t.layer}
          <select
            name="layer"
            value={layer}
            onChange={(e) => start({ layer: e.target.value as ImportLayer })}
          >
            {IMPORT_LAYER_CHOICES.map((l) => (
              <option key={l} value={l}>
                {t.layerNames[l]}
              </option>
            ))}
          </select>
        </label>
        <DropZone t={t} file={file} onFile={(f) => start({ file: f, where: {} })} />
      </div>
      {tooLarge !== null && (
        <div className="login-error" role="alert">
          {t.tooLarge(tooLarge)}
        </div>
      )}
      {inspect.isPending && <p className="muted">{t.reading}</p>}
      {inspect.error && (
        <div className="login-error" role="alert" data-testid="import-error">
          {failureText(inspect.error, t)}
        </div>
      )}
      {inspection && choices && file && (
        <>
          <FileFacts
            t={t}
            inspection={inspection}
            onWhere={(w) => start({ where: { ...where, ...w } })}
          />
          <MappingEditor
            t={t}
            layer={layer}
            inspection={inspection}
            choices={choices}
            onChange={setChoices}
          />
          <CrsChooser
            t={t}
            inspection={inspection}
            crs={choices.crs}
            onCrs={(crs) => setChoices({ ...choices, crs })}
          />
          <div className="import-options">
            <label className="check">
              <input
                type="checkbox"
                name="repair"
                checked={choices.repair}
                onChange={(e) => setChoices({ ...choices, repair: e.target.checked })}
              />
              {t.repair}
            </label>
            <small className="muted">{t.repairHint}</small>
            {layer === 'incidents' && (
              <label>
                {t.source}
                <input
                  name="source"
                  value={choices.source}
                  placeholder={t.sourceHint}
                  maxLength={64}
                  onChange={(e) => setChoices({ ...choices, source: e.target.value })}
                />
              </label>
            )}
          </div>
          <div className="import-actions">
            <button
              type="button"
              className="btn primary"
              data-testid="import-dry-run"
              disabled={!choice || missing.length > 0 || dryRun.isPending || commit.isPending}
              onClick={() => choice && dryRun.mutate({ choice, file })}
            >
              {dryRun.isPending ? t.dryRunning : t.dryRun}
            </button>
            {!choices.crs && <span className="warn">{t.needCrs}</span>}
            {choices.crs && missing.length > 0 && <span className="warn">{t.needMapping}</span>}
            {dryRun.error && (
              <div className="login-error" role="alert" data-testid="import-error">
                {failureText(dryRun.error, t)}
              </div>
            )}
          </div>
        </>
      )}
      {answer && choices && file && choice && (
        <div className={stale ? 'import-result stale' : 'import-result'}>
          <h2>{done ? t.reportDone : t.report}</h2>
          {stale && <p className="warn">{t.fileChanged}</p>}
          <ImportReportView report={(done ?? answer).report} />
          {!done && !stale && (
            <CommitBar
              t={t}
              layer={layer}
              answer={answer}
              confirming={confirming}
              busy={commit.isPending}
              error={commit.error ? failureText(commit.error, t) : null}
              onAsk={() => setConfirming(true)}
              onCancel={() => setConfirming(false)}
              onYes={() => commit.mutate({ choice: { ...choice, commit: true }, file })}
            />
          )}
          {done && (
            <div className="admin-notice" role="status" data-testid="import-done">
              {t.committed(t.layerNames[layer] ?? layer)}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function DropZone(props: { t: IoTexts; file: File | null; onFile: (f: File | null) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) props.onFile(f);
  };
  return (
    <div
      className={over ? 'import-drop over' : 'import-drop'}
      data-testid="import-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {props.file ? (
        <strong className="mono">{props.file.name}</strong>
      ) : (
        <span>{props.t.drop}</span>
      )}{' '}
      <button type="button" className="btn small" onClick={() => input.current?.click()}>
        {props.t.choose}
      </button>
      <input
        ref={input}
        type="file"
        name="file"
        hidden
        accept=".geojson,.json,.csv,.txt,.xlsx,.zip"
        onChange={(e) => {
          props.onFile(e.target.files?.[0] ?? null);
          e.target.value = '';
        }}
      />
    </div>
  );
}

/** How the server read the file: format, encoding, columns, the sheet/layer and coordinates. */
function FileFacts(props: {
  t: IoTexts;
  inspection: Inspection;
  onWhere: (w: Partial<Pick<FileChoice, 'sheet' | 'x' | 'y'>>) => void;
}) {
  const { t } = props;
  const f = props.inspection.file;
  const pointFile = f.format === 'csv' || f.format === 'xlsx';
  return (
    <>
      <dl className="import-facts" data-testid="import-facts">
        <div>
          <dt>{t.format}</dt>
          <dd data-testid="import-format">{t.formatNames[f.format] ?? f.format}</dd>
        </div>
        <div>
          <dt>{t.encoding}</dt>
          <dd data-testid="import-encoding" className="mono">
            {f.encoding ? f.encoding.toUpperCase() : t.noEncoding}
          </dd>
        </div>
        {f.layers.length > 1 && (
          <div>
            <dt>{t.sheet}</dt>
            <dd>
              <select
                name="sheet"
                value={f.layer ?? ''}
                onChange={(e) => props.onWhere({ sheet: e.target.value })}
              >
                {f.layers.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            </dd>
          </div>
        )}
        {pointFile && (
          <div>
            <dt>{t.coordinateColumns}</dt>
            <dd className="import-xy">
              {(['x', 'y'] as const).map((axis) => (
                <select
                  key={axis}
                  name={axis}
                  aria-label={axis === 'x' ? t.xColumn : t.yColumn}
                  value={f.coordinateColumns?.[axis] ?? ''}
                  onChange={(e) =>
                    props.onWhere({
                      x: axis === 'x' ? e.target.value : (f.coordinateColumns?.x ?? null),
                      y: axis === 'y' ? e.target.value : (f.coordinateColumns?.y ?? null),
                    })
                  }
                >
                  <option value="">{axis === 'x' ? t.xColumn : t.yColumn}</option>
                  {f.columns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              ))}
              {!f.coordinateColumns && <small className="warn">{t.noCoordinates}</small>}
            </dd>
          </div>
        )}
        <div className="wide">
          <dt>
            {t.columns} <span className="muted">({f.columns.length})</span>
          </dt>
          <dd className="import-columns" data-testid="import-columns">
            {f.columns.map((c) => (
              <span key={c} className="chip">
                {c}
              </span>
            ))}
          </dd>
        </div>
      </dl>
      {props.inspection.sample.length > 0 && (
        <details className="import-sample" data-testid="import-sample">
          <summary>{t.sample(props.inspection.sample.length)}</summary>
          <div className="import-sample-scroll">
            <table className="admin-table">
              <thead>
                <tr>
                  <th className="n">{t.row}</th>
                  {f.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.inspection.sample.map((r) => (
                  <tr key={r.n}>
                    <td className="n num">{r.n}</td>
                    {f.columns.map((c) => (
                      <td key={c}>{r.properties[c] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </>
  );
}

/** For each field a select of the file's columns, pre-filled from the suggestion. */
function MappingEditor(props: {
  t: IoTexts;
  layer: ImportLayer;
  inspection: Inspection;
  choices: Choices;
  onChange: (c: Choices) => void;
}) {
  const { t, choices, inspection } = props;
  const suggested = inspection.mapping.fields;
  const fields = useMemo(() => {
    const known = IMPORT_FIELDS[props.layer];
    const extra = Object.keys(suggested)
      .filter((f) => !known.some((k) => k.field === f))
      .map((field) => ({ field, required: false }));
    // the server's word on what is required wins over the page's list
    return [...known, ...extra].map((f) => ({
      ...f,
      required: f.required || inspection.mapping.missing.includes(f.field),
    }));
  }, [props.layer, suggested, inspection.mapping.missing]);
  const saved = inspection.saved.filter((s) => s.layer === props.layer);
  const missing = fields.filter((f) => f.required && !choices.mapping[f.field]);
  const set = (field: string, column: string | null) =>
    props.onChange({
      ...choices,
      mapping: { ...choices.mapping, [field]: column },
      touched: [...new Set([...choices.touched, field])],
    });
  return (
    <section className="import-mapping" data-testid="import-mapping">
      <h3>{t.mapping}</h3>
      <div className="import-saved">
        <label>
          {t.savedMappings}
          <select
            name="saved"
            defaultValue=""
            disabled={!saved.length}
            onChange={(e) => {
              const s = saved.find((x) => x.name === e.target.value);
              if (!s) return;
              props.onChange({
                ...choices,
                mapping: { ...choices.mapping, ...s.mapping },
                touched: Object.keys(s.mapping),
                crs: s.crs ?? choices.crs,
                mappingName: s.name,
              });
            }}
          >
            <option value="">{t.noSaved}</option>
            {saved.map((s) => (
              <option key={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t.saveAs}
          <input
            name="mappingName"
            value={choices.mappingName}
            placeholder={t.saveAsHint}
            maxLength={64}
            onChange={(e) => props.onChange({ ...choices, mappingName: e.target.value })}
          />
        </label>
      </div>
      <table className="admin-table import-fields">
        <thead>
          <tr>
            <th>{t.field}</th>
            <th>{t.column}</th>
            <th>{t.confidence}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map(({ field, required }) => {
            const column = choices.mapping[field] ?? null;
            const s = suggested[field];
            const how = choices.touched.includes(field)
              ? column
                ? t.confidenceNames.manual
                : ''
              : s && s.column === column
                ? t.confidenceNames[s.confidence]
                : '';
            const lacking = required && !column;
            return (
              <tr key={field} data-field={field} className={lacking ? 'missing' : ''}>
                <td>
                  {t.fieldNames[field] ?? field}{' '}
                  {required && <span className="badge required">{t.required}</span>}
                </td>
                <td>
                  <select
                    name={`map-${field}`}
                    value={column ?? ''}
                    aria-invalid={lacking}
                    onChange={(e) => set(field, e.target.value || null)}
                  >
                    <option value="">{t.notInFile}</option>
                    {inspection.file.columns.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </td>
                <td
                  className="muted"
                  title={s && !choices.touched.includes(field) ? t.because(s) : ''}
                >
                  {lacking ? <span className="warn">{t.missing}</span> : how}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {missing.length > 0 && (
        <p className="warn" role="alert">
          {t.missingList(missing.map((f) => t.fieldNames[f.field] ?? f.field).join('、'))}
        </p>
      )}
    </section>
  );
}

/**
 * The coordinate system: the file's own when it declares one; otherwise the administrator
 * chooses, with the guesses offered as buttons ranked by how much of the file lands inside the
 * district. Nothing is chosen until a click.
 */
function CrsChooser(props: {
  t: IoTexts;
  inspection: Inspection;
  crs: string | null;
  onCrs: (crs: string | null) => void;
}) {
  const { t, crs } = props;
  const { declared, guesses } = props.inspection.crs;
  const name = (c: string) => t.crsNames[c] ?? guesses.find((g) => g.crs === c)?.name ?? c;
  const options = [...new Set<string>([...IMPORT_CRS_CHOICES, ...guesses.map((g) => g.crs)])];
  if (crs && !options.includes(crs)) options.push(crs);
  return (
    <section className="import-crs" data-testid="import-crs">
      <h3>{t.crs}</h3>
      {declared ? (
        <p className="ok">{t.declared(name(declared))}</p>
      ) : (
        <p className="warn">{t.noDeclared}</p>
      )}
      {!declared && guesses.length > 0 && (
        <div className="import-guesses" data-testid="crs-guesses">
          {guesses.map((g) => (
            <button
              key={g.crs}
              type="button"
              className={crs === g.crs ? 'btn small on' : 'btn small'}
              aria-pressed={crs === g.crs}
              data-crs={g.crs}
              title={t.because(g)}
              onClick={() => props.onCrs(g.crs)}
            >
              {t.guess(name(g.crs), `${Math.round(g.inside * 100)}%`)}
            </button>
          ))}
        </div>
      )}
      <label>
        {t.crs}
        <select name="crs" value={crs ?? ''} onChange={(e) => props.onCrs(e.target.value || null)}>
          <option value="">{t.chooseCrs}</option>
          {options.map((c) => (
            <option key={c} value={c}>
              {name(c)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

/** The import's button, and the confirmation naming what will be removed. */
function CommitBar(props: {
  t: IoTexts;
  layer: ImportLayer;
  answer: ImportAnswer;
  confirming: boolean;
  busy: boolean;
  error: string | null;
  onAsk: () => void;
  onCancel: () => void;
  onYes: () => void;
}) {
  const { t, answer } = props;
  const cancel = useAdminT().cancel;
  const { counts } = answer.report;
  const removed = answer.report.preview.features
    .filter((f) => f.properties?.change === 'remove')
    .map((f) => String(f.properties?.label ?? f.properties?.key));
  const nothing = counts.add + counts.change + counts.remove === 0;
  if (nothing) return <p className="muted">{t.nothingToDo}</p>;
  if (!props.confirming)
    return (
      <div className="import-actions">
        <button
          type="button"
          className={counts.remove ? 'btn danger' : 'btn primary'}
          data-testid="import-commit"
          onClick={props.onAsk}
        >
          {t.commit}
        </button>
      </div>
    );
  const shown = removed.slice(0, 20).join('、') + (counts.remove > 20 ? '…' : '');
  return (
    <div className="admin-confirm import-confirm" role="alertdialog" data-testid="import-confirm">
      <span>
        <strong>{t.confirmTitle}</strong>{' '}
        {t.confirm(t.layerNames[props.layer] ?? props.layer, counts.add, counts.change)}{' '}
        {counts.remove ? (
          <span className="bad" data-testid="import-confirm-removed">
            {t.confirmRemove(counts.remove, shown)}
          </span>
        ) : (
          t.confirmNoRemove
        )}
      </span>
      <button
        type="button"
        className={counts.remove ? 'btn danger' : 'btn primary'}
        disabled={props.busy}
        data-testid="import-confirm-yes"
        onClick={props.onYes}
      >
        {props.busy ? t.committing : t.confirmGo}
      </button>
      <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
        {cancel}
      </button>
      {props.error && (
        <div className="login-error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}
