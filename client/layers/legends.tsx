/**
 * The legend's sections, one per layer that has one (registry.ts), in the map's own colours.
 * Each is shown while its layer, or a layer drawn in its section, is on.
 */
import type { ReactNode } from 'react';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import type { MapLayer } from '../../domain/layers';
import { CATEGORY_COLOURS, CIRCLE_STYLE, HEAT_RAMP, MAP_COLOURS, css, type RGBA } from '../theme';
import { GAP_STYLE, HOTSPOT_STYLE, REACH_STYLE } from './analysis';
import { icon } from './icons';
import { SITE_COLOURS } from './sites';

/** The words the sections use (the app's texts, i18n.ts, have them all). */
export interface LegendTexts {
  lang: 'zh' | 'en';
  layer(id: MapLayer): string;
  category(c: IncidentCategory): string;
  heatLow: string;
  heatHigh: string;
  checkpoint: string;
  existingCameras: string;
  infillCameras: string;
  offline: string;
  hot: string;
  cold: string;
}

export interface LegendProps {
  t: LegendTexts;
  /** whether a layer is on (as the user may see it) */
  on(id: MapLayer): boolean;
}

export type LegendSection = (p: LegendProps) => ReactNode;

const siteNames: Record<string, [string, string]> = {
  school: ['学校', 'School'],
  hospital: ['医院', 'Hospital'],
  hazchem: ['危化品', 'Hazardous chemicals'],
  gas: ['燃气', 'Gas'],
  government: ['党政机关', 'Government'],
  market: ['市场', 'Market'],
};
const ringNames: Record<string, [string, string]> = {
  outer: ['外圈：进出卡点', 'Outer: entry checkpoints'],
  middle: ['中圈：干道与商圈', 'Middle: arterials, commercial belts'],
  inner: ['内圈：重点部位', 'Inner: key sites'],
};
const unitNames: [string, [string, string], RGBA, 'post' | 'car' | 'foot'][] = [
  ['post', ['快反点', 'Quick-response post'], MAP_COLOURS.post, 'post'],
  ['car', ['巡逻车', 'Patrol car'], MAP_COLOURS.car, 'car'],
  ['foot', ['步巡', 'Foot patrol'], MAP_COLOURS.post, 'foot'],
];

function Icon({
  name,
  colour,
  crossed,
}: {
  name: Parameters<typeof icon>[0];
  colour: RGBA;
  crossed?: boolean;
}) {
  // the icons are white masks: tint them with a CSS mask so the legend matches the map
  const url = icon(name, crossed).url;
  return (
    <span
      style={{
        display: 'inline-block',
        width: 16,
        height: 16,
        background: css(colour),
        WebkitMask: `url("${url}") center / contain no-repeat`,
        mask: `url("${url}") center / contain no-repeat`,
      }}
    />
  );
}

const zhOf = (t: LegendTexts) => (t.lang === 'zh' ? 0 : 1);
const ramp = `linear-gradient(to right, rgba(40,11,84,0), ${HEAT_RAMP.map((c) => `rgb(${c.join(',')})`).join(', ')})`;

export const heatLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('heat')}</h3>
    <div className="ramp" style={{ background: ramp }} />
    <div className="row" style={{ justifyContent: 'space-between', width: 160 }}>
      <span>{t.heatLow}</span>
      <span>{t.heatHigh}</span>
    </div>
  </>
);

export const pointsLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('points')}</h3>
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 8px' }}>
      {INCIDENT_CATEGORIES.map((c) => (
        <div className="row" key={c}>
          <span className="swatch" style={{ background: css(CATEGORY_COLOURS[c]) }} />
          {t.category(c)}
        </div>
      ))}
    </div>
  </>
);

/** The towns' and the communities' boundaries, in one section. */
export const boundariesLegend: LegendSection = ({ t, on }) => (
  <>
    <h3>{t.lang === 'zh' ? '行政区划' : 'Boundaries'}</h3>
    {on('towns') && (
      <div className="row">
        <span style={{ width: 22, borderTop: `2px solid ${MAP_COLOURS.town}` }} />
        {t.layer('towns')}
      </div>
    )}
    {on('communities') && (
      <div className="row">
        <span style={{ width: 22, borderTop: `1px solid ${MAP_COLOURS.community}` }} />
        {t.layer('communities')}
      </div>
    )}
  </>
);

export const circlesLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('circles')}</h3>
    {(['outer', 'middle', 'inner'] as const).map((r) => (
      <div className="row" key={r}>
        <span
          style={{
            width: 22,
            borderTop: `${CIRCLE_STYLE[r].width}px ${r === 'inner' ? 'solid' : 'dashed'} ${css(CIRCLE_STYLE[r].colour)}`,
          }}
        />
        {ringNames[r]![zhOf(t)]}
      </div>
    ))}
    <div className="row">
      <Icon name="gate" colour={CIRCLE_STYLE.outer.colour} />
      {t.checkpoint}
    </div>
  </>
);

/** The cameras, the infill cameras and the sectors, in one section. */
export const camerasLegend: LegendSection = ({ t, on }) => (
  <>
    <h3>{t.layer('cameras')}</h3>
    {on('cameras') && (
      <div className="row">
        <Icon name="dome" colour={MAP_COLOURS.cameraExisting} />
        {t.existingCameras}
      </div>
    )}
    {on('infill') && (
      <div className="row">
        <Icon name="dome" colour={MAP_COLOURS.cameraInfill} />
        {t.infillCameras}
      </div>
    )}
    <div className="row">
      <Icon name="dome" colour={MAP_COLOURS.cameraOffline} crossed />
      {t.offline}
    </div>
    <div className="row" style={{ color: 'var(--muted)' }}>
      {t.lang === 'zh' ? '形状：枪机 / 球机 / 卡口' : 'shape: bullet / dome / checkpoint'}
    </div>
  </>
);

export const zonesLegend: LegendSection = ({ t }) => (
  <div className="row">
    <span style={{ width: 22, height: 10, border: `2px solid ${css(MAP_COLOURS.zone)}` }} />
    {t.layer('zones')}
  </div>
);

export const postsLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('posts')}</h3>
    {unitNames.map(([k, names, colour, ic]) => (
      <div className="row" key={k}>
        <Icon name={ic} colour={colour} />
        {names[zhOf(t)]}
      </div>
    ))}
    <div className="row">
      <span style={{ width: 22, borderTop: `4px solid ${css(MAP_COLOURS.patrolRoute)}` }} />
      {t.lang === 'zh' ? '联勤武装巡逻路线' : 'Joint armed patrol route'}
    </div>
  </>
);

export const gapsLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('gaps')}</h3>
    <div className="row">
      <span
        style={{
          width: 22,
          height: 12,
          border: `1.5px dashed ${css(GAP_STYLE.line)}`,
          background: css(GAP_STYLE.fill),
        }}
      />
      {t.lang === 'zh'
        ? '无在线摄像头覆盖（≥2000平方米）'
        : 'seen by no working camera (≥ 2,000 m²)'}
    </div>
  </>
);

export const reachLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('reach')}</h3>
    {[1, 3, 5].map((m) => (
      <div className="row" key={m}>
        <span
          style={{
            width: 22,
            height: 12,
            border: `${REACH_STYLE[m]!.width}px solid ${css(REACH_STYLE[m]!.line)}`,
            background: css(REACH_STYLE[m]!.fill),
          }}
        />
        {t.lang === 'zh' ? `${m}分钟可达` : `reached in ${m} min`}
      </div>
    ))}
    <div className="row" style={{ color: 'var(--muted)', maxWidth: 230 }}>
      {t.lang === 'zh'
        ? '估算：直线距离×绕行系数1.35，车速40公里/小时，自最近的快反点或巡逻车（无路网）'
        : 'estimate: straight line × 1.35 detour at 40 km/h from the nearest post or car (no road network)'}
    </div>
  </>
);

export const hotspotsLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('hotspots')}</h3>
    {(['hot', 'cold'] as const).map((kind) => (
      <div className="row" key={kind}>
        {[99, 95, 90].map((l) => (
          <span
            key={l}
            title={`${l}%`}
            style={{ width: 14, height: 12, background: css(HOTSPOT_STYLE[`${kind}${l}`]!) }}
          />
        ))}
        {kind === 'hot' ? t.hot : t.cold}（99/95/90%）
      </div>
    ))}
  </>
);

export const sitesLegend: LegendSection = ({ t }) => (
  <>
    <h3>{t.layer('sites')}</h3>
    {Object.entries(SITE_COLOURS).map(([k, c]) => (
      <div className="row" key={k}>
        <Icon name="site" colour={c} />
        {siteNames[k]![zhOf(t)]}
      </div>
    ))}
  </>
);
