/** A row of buttons of which one is chosen (a tool, a mode): a radio group that reads as a bar. */
export function Segmented<T extends string>({
  options,
  value,
  onChange,
  testId,
}: {
  /** each option's value and its words */
  options: readonly (readonly [T, string])[];
  value: T;
  onChange: (v: T) => void;
  /** the test id of an option's button */
  testId: (v: T) => string;
}) {
  return (
    <div className="seg" role="radiogroup">
      {options.map(([id, label]) => (
        <button
          key={id}
          role="radio"
          aria-checked={value === id}
          className={value === id ? 'on' : ''}
          onClick={() => onChange(id)}
          data-testid={testId(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
