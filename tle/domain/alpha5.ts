/** Alpha-5 catalog numbers (Space Force, 2020): A0000 = 100000 ... Z9999 = 339999; I and O unused. */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export function decodeCatalogNumber(field: string): number | undefined {
  const f = field.trim();
  if (/^[0-9]{1,5}$/.test(f)) return Number(f);
  const m = /^([A-HJ-NP-Z])([0-9]{4})$/.exec(field);
  if (!m) return undefined;
  return (LETTERS.indexOf(m[1]!) + 10) * 10_000 + Number(m[2]);
}

export function encodeCatalogNumber(noradId: number): string | undefined {
  if (!Number.isInteger(noradId) || noradId < 0 || noradId > 339_999) return undefined;
  if (noradId < 100_000) return String(noradId).padStart(5, '0');
  return LETTERS[Math.floor(noradId / 10_000) - 10]! + String(noradId % 10_000).padStart(4, '0');
}
