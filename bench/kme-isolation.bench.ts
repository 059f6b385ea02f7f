/**
 * Key delivery never waits on planning: `npm start`'s process layout (the REST API and the ETSI GS
 * QKD 014 KME as separate processes, src/main.ts and src/kme.ts) on the demo catalog, with 8 ETSI
 * clients drawing enc_keys+dec_keys pairs, first alone, then while the API serves six concurrent
 * 14-day all-satellite /v1/passes queries and a 10,000-scenario plan. Target: KME pair p99 < 50 ms
 * under that load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRelay } from '../relay/index.js';
import { saeClient } from './etsi-post.js';
import { KeyMaterial } from '../relay/domain/key-material.js';
import { linkId } from '../relay/domain/links.js';
import { loadConfig } from '../src/platform/config.js';
import { createRedis } from '../src/platform/redis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-isolation-'));
const demo = JSON.parse(readFileSync(join(root, 'config/demo.json'), 'utf8'));
demo.catalog = { tleFiles: [join(root, 'tle/data/demo.tle')], stationsFile: join(root, 'tle/data/stations.json') };
demo.relay.rateLimit = { requestsPerSecond: 1_000_000 };
writeFileSync(join(dir, 'config.json'), JSON.stringify(demo));
const port = 18_000 + Math.floor(Math.random() * 1000),
  kmePort = port + 1000;
const env: Record<string, string> = {
  QKDSAT_CONFIG: join(dir, 'config.json'),
  QKDSAT_VAR_DIR: join(dir, 'var'),
  QKDSAT_PREFIX: `{bench${randomBytes(4).toString('hex')}}`,
  QKDSAT_KEK: randomBytes(32).toString('hex'),
  QKDSAT_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
  QKDSAT_PLANNER_TOKEN: randomBytes(24).toString('base64url'),
  QKDSAT_WORKERS: '0',
  PORT: String(port),
  KME_PORT: String(kmePort),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
const config = loadConfig(env, {});
const redis = createRedis(env.REDIS_URL!);
const core = openRelay({ config, redis });
const link = linkId('fibre', 'graz', 'matera');
for (let i = 0; i < 24; i += 1) {
  const m = KeyMaterial.adopt(new Uint8Array(randomBytes(1_048_576 / 8)));
  await core.store.deposit(link, { kind: 'fibre', a: 'graz', b: 'matera' }, m, { source: 'bench' });
  m.zeroise();
}

const api: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts')], {
  env: { ...process.env, ...env },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const pki = join(env.QKDSAT_VAR_DIR!, 'pki');
const up = async (url: string) => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};
for (
  let i = 0;
  i < 600 && !((await up(`http://127.0.0.1:${port}/health/ready`)) && existsSync(join(pki, 'sae/sae-matera-a.key')));
  i += 1
)
  await new Promise((r) => setTimeout(r, 100));

const clientOf = (sae: string) =>
  saeClient(
    kmePort,
    {
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, `sae/${sae}.crt`)),
      key: readFileSync(join(pki, `sae/${sae}.key`)),
    },
    8,
  );
const clients = { 'sae-graz-a': clientOf('sae-graz-a'), 'sae-matera-a': clientOf('sae-matera-a') };
const call = (sae: keyof typeof clients, path: string, body: string) => clients[sae].post(path, body);

async function measure(ms: number): Promise<{ p50: number; p99: number; max: number; pairs: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const e = await call('sae-graz-a', '/api/v1/keys/sae-matera-a/enc_keys', '{"number":1}');
        if (e.status !== 200) {
          errors += 1;
          continue;
        }
        const d = await call(
          'sae-matera-a',
          '/api/v1/keys/sae-graz-a/dec_keys',
          JSON.stringify({ key_IDs: [{ key_ID: e.json.keys[0]!.key_ID }] }),
        );
        if (d.status !== 200) errors += 1;
        else lat.push(performance.now() - t0);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? NaN, pairs: lat.length, errors };
}

process.on('exit', () => api.kill('SIGTERM'));
// The KME child listens once its status answers.
await clients['sae-graz-a'].untilAnswers('/api/v1/keys/sae-matera-a/status', 60_000);

const fmt = (r: Awaited<ReturnType<typeof measure>>) =>
  `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.pairs} ` +
  `pairs, ${r.errors} errors`;
await measure(1000);
const alone = await measure(5000);
const from = '2022-08-10T00:00:00Z',
  to = '2022-08-24T00:00:00Z';
const heavyStatus: string[] = [];
const timed = (what: string, p: Promise<Response>) => {
  const t = performance.now();
  return p.then(
    async (r) => {
      await r.arrayBuffer();
      heavyStatus.push(`${what} ${r.status} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    },
    (e: Error) => {
      heavyStatus.push(`${what} failed: ${e.message}`);
    },
  );
};
const heavy = [
  ...Array.from({ length: 6 }, () =>
    timed('passes 14 d', fetch(`http://127.0.0.1:${port}/v1/passes?from=${from}&to=${to}`)),
  ),
  timed(
    'plan 10k scenarios',
    fetch(`http://127.0.0.1:${port}/v1/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.QKDSAT_PLANNER_TOKEN}` },
      body: JSON.stringify({ start: from, horizonHours: 24, async: false, weatherScenarios: 10_000 }),
    }),
  ),
];
const t0 = performance.now();
const loaded = await measure(8000);
await Promise.all(heavy);
console.log('KME isolation: ETSI 014 enc_keys+dec_keys pairs, 8 clients, KME in its own process (npm start layout)');
console.log(`  alone:                   ${fmt(alone)}`);
console.log(`  during heavy REST calls: ${fmt(loaded)} (target p99 < 50 ms; ratio ${(loaded.p99 / 50).toFixed(2)})`);
console.log(
  `  heavy calls (all done after ${((performance.now() - t0) / 1000).toFixed(1)} s): ${heavyStatus.join('; ')}`,
);
await Promise.all(Object.values(clients).map((client) => client.close()));
api.kill('SIGTERM');
await new Promise((r) => api.once('exit', r));
redis.disconnect();
process.exitCode = loaded.p99 < 50 && loaded.errors === 0 ? 0 : 1;
