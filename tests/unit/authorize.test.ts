/**
 * The one check in front of procedures and HTTP routes: session, second factor, password age,
 * role permission and a display's layers, with the answers callers read.
 */
import { describe, expect, it } from 'vitest';
import type { Permission, Role } from '../../domain/policy';
import { authorize } from '../../server/auth/authorize';
import type { SessionUser } from '../../server/auth/session';
import { Forbidden, Unauthorized } from '../../server/errors';

const user = (role: Role, more: Partial<SessionUser> = {}): SessionUser => ({
  id: 'u1',
  username: role,
  role,
  areas: { towns: [], communities: [] },
  twoFactorEnabled: true,
  sessionId: 's1',
  ...more,
});

const refusal = (u: SessionUser | null, p: Exclude<Permission, 'public'>, source: string) => {
  try {
    authorize(u, p, source);
    return null;
  } catch (e) {
    return e;
  }
};

const ARROW = '/api/incidents.arrow';

describe('authorize', () => {
  it('asks for a session first', () => {
    const e = refusal(null, 'dashboard:read', ARROW);
    expect(e).toBeInstanceOf(Unauthorized);
    expect((e as Error).message).toBe('sign in first');
  });

  it('lets an admin without a second factor only manage the session', () => {
    const admin = user('admin', { twoFactorEnabled: false });
    expect(refusal(admin, 'session', 'auth.me')).toBeNull();
    for (const source of ['users.list', ARROW]) {
      const e = refusal(admin, 'dashboard:read', source);
      expect(e).toBeInstanceOf(Forbidden);
      expect((e as Error).message).toBe(
        'an admin must set up the second factor (TOTP) before anything else',
      );
    }
  });

  it('lets a user whose password expired only change it', () => {
    const planner = user('planner', { passwordExpired: true });
    expect(refusal(planner, 'session', 'auth.changePassword')).toBeNull();
    expect(refusal(planner, 'dashboard:read', ARROW)).toMatchObject({
      message: 'the password has expired: change it first',
    });
  });

  it('checks the role, naming the procedure and the permission', () => {
    expect(refusal(user('analyst'), 'incidents:read', 'incidents.list')).toBeNull();
    expect(refusal(user('analyst'), 'dashboard:read', ARROW)).toBeNull();
    const e = refusal(user('analyst'), 'cameras:read', 'cameras.list');
    expect(e).toBeInstanceOf(Forbidden);
    expect((e as Error).message).toBe(
      'the role analyst may not call cameras.list (it needs cameras:read)',
    );
  });

  it('holds a limited display to its layers, on procedures and on the Arrow route', () => {
    const heat = user('display', { layers: ['heat'] });
    expect(refusal(heat, 'dashboard:read', ARROW)).toBeNull();
    expect(refusal(heat, 'dashboard:read', 'incidents.heat')).toBeNull();
    expect(refusal(heat, 'cameras:read', 'cameras.list')).toMatchObject({
      message: 'this display is not configured to show cameras.list',
    });
    const circles = user('display', { layers: ['circles'] });
    const e = refusal(circles, 'dashboard:read', ARROW);
    expect(e).toBeInstanceOf(Forbidden);
    expect((e as Error).message).toBe(
      'this display is not configured to show incidents on the map',
    );
    // not limited: everything its role reads
    expect(refusal(user('display', { layers: null }), 'dashboard:read', ARROW)).toBeNull();
  });
});
