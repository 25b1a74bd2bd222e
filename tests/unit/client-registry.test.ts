/**
 * The map-layer registry: one client entry per layer of domain/layers.ts, each with its words in
 * both languages, a factory, a legend section (or the section it appears in, or none), and the
 * display rules of policy.ts derived from the layers' data sources.
 */
import { describe, expect, it } from 'vitest';
import { LAYERS, MAP_LAYERS, type MapLayer } from '../../domain/layers';
import { LAYER_RULES, layerAllows } from '../../domain/policy';
import { texts } from '../../client/i18n';
import {
  DEFAULT_LAYERS,
  LAYER_REGISTRY,
  WALL_VIEW_IDS,
  entryOfDeckLayer,
} from '../../client/layers/registry';
import { WALL_VIEWS } from '../../client/wall/wallViews';

const CJK = /[\u4e00-\u9fff]/;

describe('the layer registry', () => {
  it('has exactly one entry per layer of the domain, in its order', () => {
    expect(LAYER_REGISTRY.map((e) => e.id)).toEqual([...MAP_LAYERS]);
    expect(new Set(LAYER_REGISTRY.map((e) => e.id)).size).toBe(MAP_LAYERS.length);
  });

  it('takes each layer’s permission from the domain', () => {
    for (const e of LAYER_REGISTRY) expect(e.permission, e.id).toBe(LAYERS[e.id].permission);
    expect(LAYER_REGISTRY.filter((e) => e.permission === 'cameras:read').map((e) => e.id)).toEqual([
      'cameras',
      'infill',
      'sectors',
      'gaps',
    ]);
  });

  it('names every layer in Chinese and in English, and the texts use those names', () => {
    for (const e of LAYER_REGISTRY) {
      expect(e.words.zh, e.id).toMatch(CJK);
      expect(e.words.en.trim(), e.id).not.toBe('');
      expect(e.words.en, e.id).not.toMatch(CJK);
      expect(texts('zh').layer(e.id)).toBe(e.words.zh);
      expect(texts('en').layer(e.id)).toBe(e.words.en);
    }
    expect(new Set(LAYER_REGISTRY.map((e) => e.words.zh)).size).toBe(MAP_LAYERS.length);
  });

  it('gives every layer a factory and the ids of the deck.gl layers it draws', () => {
    for (const e of LAYER_REGISTRY) {
      expect(e.draw.length, e.id).toBeGreaterThan(0);
      expect(e.deckIds.length, e.id).toBeGreaterThan(0);
      for (const d of e.deckIds) expect(entryOfDeckLayer(d)?.id).toBe(e.id);
    }
    const all = LAYER_REGISTRY.flatMap((e) => e.deckIds);
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives every layer a legend section, the section it appears in, or an explicit none', () => {
    const sections = LAYER_REGISTRY.filter(
      (e) => typeof e.legend === 'object' && 'section' in e.legend,
    );
    for (const e of LAYER_REGISTRY) {
      if (e.legend === 'none' || 'section' in e.legend) continue;
      const host = e.legend.with;
      expect(
        sections.map((s) => s.id),
        `${e.id} appears in the section of ${host}`,
      ).toContain(host);
    }
    const orders = sections.map((s) => (s.legend as { order: number }).order);
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('makes the default layers from the entries', () => {
    expect(Object.keys(DEFAULT_LAYERS)).toEqual([...MAP_LAYERS]);
    for (const e of LAYER_REGISTRY) expect(DEFAULT_LAYERS[e.id]).toEqual(e.defaults);
  });

  it('makes each wall view’s layers from the entries', () => {
    for (const v of WALL_VIEWS) {
      expect(WALL_VIEW_IDS).toContain(v.id);
      expect(v.layers).toEqual(
        LAYER_REGISTRY.filter((e) => e.wall.includes(v.id)).map((e) => e.id),
      );
      expect(v.layers.length, v.id).toBeGreaterThan(0);
    }
  });
});

describe('the display rules derived from the layers', () => {
  const sourcesOf = (id: MapLayer): readonly string[] => LAYERS[id].sources;
  const sources: string[] = [...new Set(MAP_LAYERS.flatMap(sourcesOf))];
  const carrying = (source: string) => MAP_LAYERS.filter((id) => sourcesOf(id).includes(source));

  it('lets a display call a source with any one of the layers that carry it, and no other', () => {
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) {
      expect(LAYER_RULES[source], source).toEqual({ any: carrying(source) });
      for (const id of MAP_LAYERS)
        expect(layerAllows([id], source), `${id} → ${source}`).toBe(carrying(source).includes(id));
    }
  });

  it('leaves no layer-only rule that the layers do not name', () => {
    const stray = Object.entries(LAYER_RULES).filter(
      ([source, rule]) => typeof rule === 'object' && 'any' in rule && !sources.includes(source),
    );
    expect(stray).toEqual([]);
  });

  it('keeps the boundaries neutral: a display limited to any layer reads them', () => {
    const boundaries = MAP_LAYERS.filter((id) => LAYERS[id].sources.length === 0);
    expect(boundaries).toEqual(['communities', 'towns'] satisfies MapLayer[]);
    for (const p of ['regions.towns', 'regions.communities'])
      expect(layerAllows(['hotspots'], p)).toBe(true);
  });
});
