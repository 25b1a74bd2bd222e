/** A labelled field for a briefing's or a slide's title, bounded as the server bounds it. */
import { BRIEFING_LIMITS } from '../../domain/briefing';
import { useBriefingT } from './texts';

export function TitleField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  testId: string;
}) {
  return (
    <label>
      <span>{props.label}</span>
      <input
        value={props.value}
        maxLength={BRIEFING_LIMITS.title}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </label>
  );
}

/** The title of a briefing about to be made. */
export function NewBriefingTitle(props: {
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  const t = useBriefingT();
  return <TitleField label={t.newTitle} placeholder={t.newTitlePlaceholder} {...props} />;
}
