import { loadUnitNames } from './sourceData';
import { SYNTHETIC_COMMUNITIES, TOWN_SPECS } from './places';

/** One village/community before it gets a polygon and a population. */
export interface CommunityEntry {
  /** 1-based, in catalogue order: town by town, real names first, then synthetic ones */
  id: number;
  code: string;
  name: string;
  /** index into TOWN_SPECS (town id − 1) */
  town: number;
  kind: 'village' | 'community';
  synthetic: boolean;
}

/**
 * The 79 villages/communities: the 69 real names of chengbei-units.json in their towns, plus
 * the 10 synthetic growth-area communities of SYNTHETIC_COMMUNITIES. The units file carries
 * no codes, so 12-digit codes follow the NBS pattern: town code + 001.. for 社区 (居委会),
 * 201.. for 村 (村委会), and 901.. for the synthetic ones. Names ending in 村 are villages.
 */
export function communityCatalog(): CommunityEntry[] {
  const names = loadUnitNames();
  const out: CommunityEntry[] = [];
  TOWN_SPECS.forEach((town, t) => {
    const real = names[town.name];
    if (!real) throw new Error(`communityCatalog: no units for ${town.name}`);
    let communities = 0;
    let villages = 0;
    for (const name of real) {
      const kind = name.endsWith('村') ? 'village' : 'community';
      const seq = kind === 'village' ? 201 + villages++ : 1 + communities++;
      out.push(entry(out.length + 1, town.code, seq, name, t, kind, false));
    }
    (SYNTHETIC_COMMUNITIES[town.name] ?? []).forEach((name, i) => {
      out.push(entry(out.length + 1, town.code, 901 + i, name, t, 'community', true));
    });
  });
  return out;
}

function entry(
  id: number,
  townCode: string,
  seq: number,
  name: string,
  town: number,
  kind: 'village' | 'community',
  synthetic: boolean,
): CommunityEntry {
  return { id, code: `${townCode}${String(seq).padStart(3, '0')}`, name, town, kind, synthetic };
}
