/** A preset = satellite payload + ground-station receiver + protocol, every value with its source. */
import type { LinkConfig } from '../channel/types.js';
import type { Protocol } from '../keyrate/protocol.js';

export interface Preset {
  id: string;
  name: string;
  description: string;
  satelliteAltitudeKm: number;
  link: LinkConfig;
  protocol: Protocol;
  /** Elevation mask for key exchange. */
  minElevationDeg: number;
  /** Field path -> citation ("assumption: ..." where no published value exists). */
  sources: Record<string, string>;
}
