/**
 * Link identities. A link is a pool of key shared by its two ends: a satellite and a ground station
 * (from passes), two stations joined by fibre, or two stations joined by the relay (a virtual link,
 * ETSI GS QKD 015's word). Ends are sorted so `a~b` and `b~a` name the same link.
 */
export type LinkKind = 'satellite' | 'fibre' | 'relayed';

export const satelliteNode = (noradId: number): string => `sat-${noradId}`;

export function linkId(kind: LinkKind, oneEnd: string, otherEnd: string): string {
  const [a, b] = oneEnd < otherEnd ? [oneEnd, otherEnd] : [otherEnd, oneEnd];
  return `${kind}:${a}~${b}`;
}
