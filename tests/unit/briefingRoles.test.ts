/** Who may read and make briefings: the people who brief and are briefed, never a display or a feed. */
import { describe, expect, it } from 'vitest';
import { can, LAYER_RULES, layerAllows, MAP_LAYERS, ROLES } from '../../domain/policy';

const MAKERS = ['admin', 'leader', 'planner', 'analyst'];

describe('briefing permissions', () => {
  it('lets admins, leaders, planners and analysts read and make briefings, and nobody else', () => {
    for (const r of ROLES) {
      expect(can(r, 'briefings:read'), r).toBe(MAKERS.includes(r));
      expect(can(r, 'briefings:write'), r).toBe(MAKERS.includes(r));
    }
  });

  it('never opens a briefing procedure to a display, whatever its layers', () => {
    const procedures = Object.keys(LAYER_RULES).filter((p) => p.startsWith('briefings.'));
    expect(procedures.sort()).toEqual(
      ['create', 'delete', 'fromMonth', 'get', 'list', 'update'].map((p) => `briefings.${p}`),
    );
    for (const p of procedures) expect(layerAllows(MAP_LAYERS, p), p).toBe(false);
  });
});
