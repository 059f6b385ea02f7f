/** Built-in presets (satellite payload + ground station + protocol), every value cited. */
import { GENERIC_500KM_810NM } from './generic-500km-810nm.js';
import { JINAN1_PORTABLE } from './jinan1-portable.js';
import { MICIUS_XINGLONG } from './micius-xinglong.js';
import { MICIUS_XINGLONG_CALIBRATED } from './micius-xinglong-calibrated.js';
import type { Preset } from './types.js';

export type { Preset } from './types.js';
export { GENERIC_500KM_810NM, JINAN1_PORTABLE, MICIUS_XINGLONG, MICIUS_XINGLONG_CALIBRATED };

export const PRESETS: readonly Preset[] = [
  MICIUS_XINGLONG,
  MICIUS_XINGLONG_CALIBRATED,
  JINAN1_PORTABLE,
  GENERIC_500KM_810NM,
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
