/** The username and display name of a new account, as both account forms ask for them. */
import { useAdminT } from './texts';

export function AccountFields(props: {
  username: string;
  name: string;
  onUsername: (v: string) => void;
  onName: (v: string) => void;
  /** what the name is for, under its field */
  nameHint: string;
  usernamePlaceholder?: string;
}) {
  const t = useAdminT();
  return (
    <>
      <label>
        {t.username}
        <input
          name="username"
          autoComplete="off"
          value={props.username}
          onChange={(e) => props.onUsername(e.target.value)}
          placeholder={props.usernamePlaceholder}
          required
        />
        <small>{t.usernameHint}</small>
      </label>
      <label>
        {t.name}
        <input
          name="name"
          autoComplete="off"
          maxLength={64}
          value={props.name}
          onChange={(e) => props.onName(e.target.value)}
        />
        <small>{props.nameHint}</small>
      </label>
    </>
  );
}
