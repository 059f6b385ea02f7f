/**
 * Ten more real observatory sites (coordinates rounded to 0.01 deg) that give the plan and network
 * benches 20 stations with the shipped ten. No climatology is shipped for them, so the benches
 * assume a clear-sky probability of 0.6 in every month (the shipped sites average 0.52); it scales the
 * expected key of their passes, not the planner's work, which is what these benches time.
 */
const SITES: [id: string, latitudeDeg: number, longitudeDeg: number, altitudeM: number][] = [
  ['maunakea', 19.82, -155.47, 4200],
  ['paranal', -24.63, -70.4, 2635],
  ['siding-spring', -31.27, 149.06, 1165],
  ['calar-alto', 37.22, -2.55, 2168],
  ['kitt-peak', 31.96, -111.6, 2096],
  ['hanle', 32.78, 78.96, 4500],
  ['mt-abu', 24.65, 72.78, 1680],
  ['sutherland', -32.38, 20.81, 1798],
  ['mt-stromlo', -35.32, 149.0, 770],
  ['la-palma', 28.76, -17.89, 2396],
];

export const EXTRA_OBSERVATORIES = SITES.map(([id, latitudeDeg, longitudeDeg, altitudeM]) => ({
  id,
  name: id,
  latitudeDeg,
  longitudeDeg,
  altitudeM,
  clearSky: Array<number>(12).fill(0.6),
}));
