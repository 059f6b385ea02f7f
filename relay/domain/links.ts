/**
 * Link identities. A link is a pool of key shared by its two ends: a satellite and a ground station
 * (from passes), two stations joined by fibre, or two stations joined by the relay (a virtual link,
 * ETSI GS QKD 015's word). Ends are sorted so `a~b` and `b~a` name the same link.
 */
export type LinkKind = 'satellite' | 'fibre' | 'relayed';

export interface LinkId {
  kind: LinkKind;
  a: string;
  b: string;
}

export const satelliteNode = (noradId: number): string => `sat-${noradId}`;
export const isSatelliteNode = (node: string): boolean => node.startsWith('sat-');

export function linkId(kind: LinkKind, oneEnd: string, otherEnd: string): string {
  const [a, b] = oneEnd < otherEnd ? [oneEnd, otherEnd] : [otherEnd, oneEnd];
  return `${kind}:${a}~${b}`;
}

export function parseLinkId(id: string): LinkId | undefined {
  const m = /^(satellite|fibre|relayed):([^~]+)~(.+)$/.exec(id);
  if (!m) return undefined;
  return { kind: m[1] as LinkKind, a: m[2]!, b: m[3]! };
}
