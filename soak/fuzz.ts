/**
 * Hostile input, driven by fast-check (seeded from the soak's seed): every REST route the API
 * publishes in /openapi.json and every ETSI route, with random JSON, wrong types, huge numbers,
 * deep nesting, oversized bodies, invalid UTF-8, path traversal and odd bytes in IDs, abusive
 * headers, and ETSI calls without or with a foreign certificate. The answers go into the `fuzz`
 * traffic book; the checker wants no 500 at all and 503 only inside injected fault windows.
 */
import fc from 'fast-check';
import type { EtsiClient, RestClient, Traffic } from './clients.js';

export interface FuzzCase {
  target: 'rest' | 'etsi';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  sae: string;
}

const traversal = fc.constantFrom(
  '..',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  '%00',
  '%ff%fe',
  'a%2Fb',
  '%',
  '%zz',
  'CON',
  ' ',
  '\u202e',
  'x'.repeat(5000),
  '{qkdsat}:relay:poolbits',
  '*',
  "'; DROP TABLE",
  'sae-graz-a',
  'graz',
  '41731',
  '-1',
  '1e309',
  '0x10',
);
const idSegment = fc.oneof(
  traversal,
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[a-z0-9-]{1,30}$/),
);
const huge = fc.constantFrom(1e308, -1e308, -0, 2 ** 53, 1e21, Number.MIN_VALUE, 4294967296, -1, 0);

/** JSON text that is hostile by shape: random values, wrong types, huge numbers, deep nesting. */
const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        'number',
        'size',
        'key_IDs',
        'key_ID',
        'from',
        'to',
        'bits',
        'stationId',
        'noradId',
        'horizonHours',
        'weatherScenarios',
        'latitudeDeg',
        'longitudeDeg',
        'id',
        'start',
        'hours',
        'extension_mandatory',
        'additional_slave_SAE_IDs',
        '__proto__',
        'constructor',
      ),
      fc.oneof(
        huge,
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.oneof(huge, fc.string({ maxLength: 8 })), { maxLength: 5 }),
        fc.object({ maxDepth: 2 }),
      ),
      { maxKeys: 6 },
    )
    .map((o) => JSON.stringify(o)),
  fc.integer({ min: 50, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 50, max: 5000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constantFrom(
    '{',
    '{"number":',
    'null',
    '[]',
    '"x"',
    '1e99999',
    '{"number":1e400}',
    '{"number":9007199254740993,"size":-9007199254740993}',
    '{"key_IDs":[{"key_ID":{"$gt":""}}]}',
    '\u0000',
    '{"a":1,"a":2}',
  ),
);

const bodyArb: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 6, arbitrary: jsonText.map((t) => Buffer.from(t, 'utf8')) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  // invalid UTF-8
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((a) =>
        Buffer.concat([
          Buffer.from('{"id":"'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from(a),
          Buffer.from('"}'),
        ]),
      ),
  },
  // oversized
  {
    weight: 1,
    arbitrary: fc.constantFrom(70_000, 1_100_000, 3_000_000).map((n) => Buffer.from(`{"x":"${'a'.repeat(n)}"}`)),
  },
);

const headerArb = fc
  .record({
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/xml',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      '*/*',
      '',
    ),
    extra: fc.oneof(
      fc.constant({}),
      fc.constant({ authorization: 'Bearer ' + 'A'.repeat(600) }),
      fc.constant({ authorization: 'Basic Zm9vOmJhcg==' }),
      fc.constant({ 'x-junk': 'v'.repeat(20_000) }),
      fc.constant({ accept: 'application/x-nothing' }),
      fc.constant({ 'content-encoding': 'gzip' }),
      fc.constant({ 'x-forwarded-for': '1.2.3.4, ' + '5.6.7.8, '.repeat(200) }),
    ),
  })
  .map(
    ({ 'content-type': ct, extra }) => ({ ...(ct ? { 'content-type': ct } : {}), ...extra }) as Record<string, string>,
  );

const queryArb = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom(
        'station',
        'satellite',
        'from',
        'to',
        'minElevationDeg',
        'key_ID',
        'number',
        'size',
        'at',
        'step',
        'hours',
      ),
      fc.oneof(
        idSegment,
        huge.map(String),
        fc.constantFrom(
          '2022-08-10T00:00:00Z',
          '2022-08-24T00:00:00Z',
          '9999-12-31T23:59:59Z',
          'NaN',
          'Infinity',
          '[]',
          '',
        ),
      ),
      { maxKeys: 4 },
    )
    .map(
      (d) =>
        '?' +
        Object.entries(d)
          .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
          .join('&'),
    ),
  fc.constant('?a=1&a=2&a=3'),
  fc.constant('?' + 'x=y&'.repeat(2000)),
);

export function fuzzCases(
  routes: { method: string; path: string }[],
  saes: string[],
  seed: number,
  count: number,
): FuzzCase[] {
  const rest = fc
    .tuple(
      fc.constantFrom(...routes),
      fc.array(idSegment, { minLength: 3, maxLength: 3 }),
      queryArb,
      headerArb,
      bodyArb,
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([r, ids, q, headers, body, otherMethod, p]): FuzzCase => {
      let i = 0;
      const path = r.path.replace(/\{[^}]+\}/g, () => ids[i++]!) + q;
      const method = p < 0.85 ? r.method.toUpperCase() : otherMethod;
      return {
        target: 'rest',
        method,
        path,
        headers,
        ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
        sae: '',
      };
    });
  const etsi = fc
    .tuple(
      fc.oneof(fc.constantFrom(...saes), idSegment),
      fc.constantFrom('status', 'enc_keys', 'dec_keys', 'x', 'enc_keys/../status', ''),
      queryArb,
      headerArb,
      bodyArb,
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      fc.constantFrom('sae-ottawa-a', 'sae-singapore-b', 'none'),
    )
    .map(([other, op, q, headers, body, method, sae]): FuzzCase => ({
      target: 'etsi',
      method,
      path: `/api/v1/keys/${other}/${op}${q}`,
      headers,
      ...(body && method !== 'GET' ? { body } : {}),
      sae,
    }));
  return fc.sample(fc.oneof({ weight: 3, arbitrary: rest }, { weight: 2, arbitrary: etsi }), { seed, numRuns: count });
}

/** Sends the cases one by one (bounded: one in flight); keys a fuzz call ever got are handed to `onKeys`. */
export async function runFuzz(
  cases: FuzzCase[],
  rest: RestClient,
  etsi: EtsiClient,
  book: Traffic,
  stop: () => boolean,
  onKeys: (sae: string, keys: { key_ID: string; key: string }[]) => void,
  paceMs: number,
): Promise<void> {
  for (const c of cases) {
    if (stop()) return;
    const o = {
      method: c.method,
      path: c.path,
      headers: c.headers,
      ...(c.body ? { body: c.body } : {}),
      timeoutMs: 15_000,
    };
    const route = `${c.target} ${c.method} ${c.path.split('?')[0]!.slice(0, 80)}`;
    const r = c.target === 'rest' ? await rest.call(o, book, route) : await etsi.call(c.sae, o, book, route);
    const keys = (r.body as { keys?: { key_ID: string; key: string }[] } | undefined)?.keys;
    if (r.status === 200 && Array.isArray(keys)) onKeys(c.sae, keys);
    await new Promise((res) => setTimeout(res, paceMs));
  }
}
