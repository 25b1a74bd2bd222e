/**
 * A table row under the row acted on that asks before a change: the question, the action's
 * button, cancel, and the server's refusal if it comes.
 */
import { useAdminT } from './texts';

export function ConfirmRow(props: {
  columns: number;
  question: string;
  /** the button's label: the action itself */
  yes: string;
  /** a change that takes something away (disabling, revoking) */
  danger: boolean;
  busy: boolean;
  error: string | null;
  onYes: () => void;
  onCancel: () => void;
  testId: string;
}) {
  const t = useAdminT();
  return (
    <tr className="confirm-row">
      <td colSpan={props.columns}>
        <div className="admin-confirm" role="alertdialog" data-testid={props.testId}>
          <span>{props.question}</span>
          <button
            type="button"
            className={`btn ${props.danger ? 'danger' : 'primary'}`}
            disabled={props.busy}
            data-testid={`${props.testId}-yes`}
            onClick={props.onYes}
          >
            {props.yes}
          </button>
          <button type="button" className="btn" onClick={props.onCancel}>
            {t.cancel}
          </button>
          {props.error && (
            <div className="login-error" role="alert">
              {props.error}
            </div>
          )}
        </div>
      </td>
    </tr>
  );
}
