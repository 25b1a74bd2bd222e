/** The password policy and the role table. */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/auth/password';
import { can, ROLE_PERMISSIONS, ROLES } from '../../domain/policy';

describe('passwordProblem', () => {
  it('wants at least 12 characters, counted as characters, not bytes', () => {
    expect(passwordProblem('short-pass1', 'leader')).toBe('must be at least 12 characters');
    expect(passwordProblem('平安图城北区指挥中心大屏幕', 'leader')).toBeNull();
    expect(passwordProblem('a-good-long-passphrase', 'leader')).toBeNull();
  });
  it('refuses common passwords whatever their case, repeats and the username', () => {
    expect(passwordProblem('1qaz2wsx3edc', 'x')).toBe('is a commonly used password');
    expect(passwordProblem('QWERTY123456', 'x')).toBe('is a commonly used password');
    expect(passwordProblem('aaaaaaaaaaaaaa', 'x')).toBe('repeats too few characters');
    expect(passwordProblem('planner-of-chengbei', 'planner')).toBe('must not contain the username');
  });
  it('asks for all four kinds of character only when the MLPS switch is on', () => {
    const strict = { minLength: 12, complexity: true };
    expect(passwordProblem('a-good-long-passphrase', 'x', strict)).toMatch(/upper and lower/);
    expect(passwordProblem('A-good-long-passphrase-7', 'x', strict)).toBeNull();
  });
});

describe('roles', () => {
  it('denies by default and keeps camera positions from analysts', () => {
    expect(can(undefined, 'dashboard:read')).toBe(false);
    expect(can('analyst', 'cameras:read')).toBe(false);
    expect(can('analyst', 'incidents:read')).toBe(true);
    expect(can('leader', 'plan:edit')).toBe(false);
    expect(can('planner', 'plan:edit')).toBe(true);
    expect(can('display', 'plan:edit')).toBe(false);
    for (const r of ROLES) expect(can(r, 'public')).toBe(true);
    // only admins manage users and read the audit trail
    for (const r of ROLES) expect(ROLE_PERMISSIONS[r].includes('audit:read')).toBe(r === 'admin');
  });
});
