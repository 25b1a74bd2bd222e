/**
 * The key sites of the inner security circle and the outer checkpoints. Names are invented
 * but plausible [G]; none is a surveyed real place, and positions are generated.
 */
import type { Position } from 'geojson';
import type { SiteKind } from '../../domain/vocabulary';

/** Where a site goes. */
export type SiteWhere =
  /** in a town, near the urban side */
  | { town: string }
  /** next to a town's centre (offices) */
  | { townCentre: string }
  /** at a fixed place */
  | { at: Position }
  /** beside a named arterial road */
  | { road: string }
  /** anywhere in the district, weighted toward the urban core */
  | 'urban'
  /** on the edge of the city (industrial land) */
  | 'periphery';

export interface SiteSpec {
  kind: Exclude<SiteKind, 'checkpoint'>;
  name: string;
  where: SiteWhere;
}

const T = {
  cy: '朝阳街道',
  xq: '小桥大街街道',
  mf: '马坊街道',
  xz: '火车西站街道',
  dbz: '大堡子镇',
  nlp: '廿里铺镇',
} as const;

export const KEY_SITES: readonly SiteSpec[] = [
  { kind: 'school', name: '城北区第一中学', where: 'urban' },
  { kind: 'school', name: '城北区第二中学', where: 'urban' },
  { kind: 'school', name: '城北区第三中学', where: { town: T.mf } },
  { kind: 'school', name: '城北区实验小学', where: 'urban' },
  { kind: 'school', name: '朝阳小学', where: { town: T.cy } },
  { kind: 'school', name: '小桥大街小学', where: { town: T.xq } },
  { kind: 'school', name: '马坊小学', where: { town: T.mf } },
  { kind: 'school', name: '火车西站小学', where: { town: T.xz } },
  { kind: 'school', name: '大堡子中心学校', where: { town: T.dbz } },
  { kind: 'school', name: '廿里铺中心学校', where: { town: T.nlp } },
  { kind: 'school', name: '北川中学', where: { town: T.cy } },
  { kind: 'school', name: '西杏园小学', where: { town: T.mf } },
  { kind: 'school', name: '建设巷幼儿园', where: { town: T.xq } },
  { kind: 'school', name: '朝阳幼儿园', where: { town: T.cy } },
  { kind: 'school', name: '生物园区实验学校', where: { town: T.nlp } },
  { kind: 'school', name: '毛胜寺小学', where: { town: T.xq } },
  { kind: 'school', name: '新海桥中学', where: { town: T.xq } },
  { kind: 'school', name: '城北区职业技术学校', where: { town: T.xz } },
  { kind: 'hospital', name: '青海红十字医院城北分院', where: 'urban' },
  { kind: 'hospital', name: '城北区人民医院', where: 'urban' },
  { kind: 'hospital', name: '城北区中医院', where: { town: T.xq } },
  { kind: 'hospital', name: '城北区妇幼保健院', where: { town: T.cy } },
  { kind: 'hospital', name: '朝阳社区卫生服务中心', where: { town: T.cy } },
  { kind: 'hospital', name: '小桥社区卫生服务中心', where: { town: T.xq } },
  { kind: 'hospital', name: '马坊社区卫生服务中心', where: { town: T.mf } },
  { kind: 'hospital', name: '廿里铺镇卫生院', where: { townCentre: T.nlp } },
  { kind: 'hazchem', name: '生物园区化工仓储点', where: { town: T.nlp } },
  { kind: 'hazchem', name: '大堡子危险化学品仓库', where: { town: T.dbz } },
  { kind: 'hazchem', name: '西站货场危化品库', where: { town: T.xz } },
  { kind: 'hazchem', name: '廿里铺化工物流园', where: 'periphery' },
  { kind: 'hazchem', name: '城北工业园危化品仓储点', where: 'periphery' },
  { kind: 'gas', name: '小桥加油站', where: { road: '小桥大街' } },
  { kind: 'gas', name: '柴达木路加油站', where: { road: '柴达木路' } },
  { kind: 'gas', name: '宁张公路加油站', where: { road: '宁张公路' } },
  { kind: 'gas', name: '祁连路加油站', where: { road: '祁连路' } },
  { kind: 'gas', name: '马坊液化气站', where: { town: T.mf } },
  { kind: 'gas', name: '朝阳天然气门站', where: 'periphery' },
  { kind: 'gas', name: '大堡子加气站', where: { town: T.dbz } },
  { kind: 'government', name: '城北区人民政府', where: { townCentre: T.cy } },
  { kind: 'government', name: '城北区公安分局', where: { townCentre: T.xq } },
  { kind: 'government', name: '朝阳街道办事处', where: { townCentre: T.cy } },
  { kind: 'government', name: '小桥大街街道办事处', where: { townCentre: T.xq } },
  { kind: 'government', name: '马坊街道办事处', where: { townCentre: T.mf } },
  { kind: 'government', name: '火车西站街道办事处', where: { townCentre: T.xz } },
  { kind: 'government', name: '大堡子镇人民政府', where: { townCentre: T.dbz } },
  { kind: 'government', name: '廿里铺镇人民政府', where: { townCentre: T.nlp } },
  { kind: 'government', name: '朝阳派出所', where: { townCentre: T.cy } },
  { kind: 'government', name: '小桥派出所', where: { townCentre: T.xq } },
  { kind: 'government', name: '马坊派出所', where: { townCentre: T.mf } },
  { kind: 'government', name: '火车西站派出所', where: { townCentre: T.xz } },
  { kind: 'government', name: '大堡子派出所', where: { townCentre: T.dbz } },
  { kind: 'government', name: '廿里铺派出所', where: { townCentre: T.nlp } },
  { kind: 'market', name: '小桥综合市场', where: { at: [101.7485, 36.6605] } },
  { kind: 'market', name: '豹街·西海路美食街', where: { at: [101.73479, 36.6552] } },
  { kind: 'market', name: '西站商贸城', where: { at: [101.6962, 36.6588] } },
  { kind: 'market', name: '朝阳农贸市场', where: { town: T.cy } },
  { kind: 'market', name: '马坊农贸市场', where: { town: T.mf } },
  { kind: 'market', name: '北川农贸市场', where: { town: T.cy } },
  { kind: 'market', name: '廿里铺农贸市场', where: { townCentre: T.nlp } },
  { kind: 'market', name: '大堡子集贸市场', where: { townCentre: T.dbz } },
  { kind: 'market', name: '建设巷商业街', where: { town: T.xq } },
  { kind: 'market', name: '海湖桥西市场', where: { town: T.mf } },
];

export interface CheckpointSpec {
  name: string;
  /** a rough position near where a road enters; it is snapped onto the boundary */
  near: Position;
}

/** Outer-circle checkpoints on roads and bridges entering the district [G]. */
export const CHECKPOINTS: readonly CheckpointSpec[] = [
  { name: '宁张公路北出口卡点', near: [101.757, 36.7545] },
  { name: '宁大高速北收费站卡点', near: [101.7285, 36.7525] },
  { name: '廿里铺西山路卡点', near: [101.726, 36.712] },
  { name: '北山东路卡点', near: [101.786, 36.705] },
  { name: '朝阳东路出城卡点', near: [101.7835, 36.665] },
  { name: '祁连路东卡点', near: [101.7935, 36.6375] },
  { name: '小桥湟水桥卡点', near: [101.7455, 36.6455] },
  { name: '北川河口桥卡点', near: [101.7625, 36.6395] },
  { name: '马坊湟水桥卡点', near: [101.722, 36.6505] },
  { name: '火车西站南广场卡点', near: [101.6955, 36.6545] },
  { name: '柴达木路西出口卡点', near: [101.571, 36.664] },
  { name: '大堡子北山卡点', near: [101.594, 36.692] },
];
