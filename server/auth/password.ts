/** What a password must be. */
import { dictionary } from '@zxcvbn-ts/language-common';

export interface PasswordPolicy {
  minLength: number;
  /** the MLPS switch: upper, lower, digit and symbol, each at least once */
  complexity: boolean;
}

/** argon2id's parameters for every stored password (OWASP's recommendation) */
export const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, complexity: false };

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  username: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string | null {
  if ([...password].length < policy.minLength)
    return `must be at least ${policy.minLength} characters`;
  if ([...password].length > 128) return 'must be at most 128 characters';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is a commonly used password';
  if (new Set(password).size <= 2) return 'repeats too few characters';
  if (username && lower.includes(username.toLowerCase())) return 'must not contain the username';
  if (policy.complexity) {
    const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
    if (kinds < 4) return 'must contain upper and lower case letters, a digit and a symbol';
  }
  return null;
}

export const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;
