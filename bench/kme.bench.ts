/**
 * ETSI GS QKD 014 throughput: enc_keys (master) + dec_keys (slave) round trips per second and p99
 * latency of a pair, with 32 concurrent clients over mutual TLS (keep-alive), against the real Redis.
 * The service runs in its own process (one Node thread: "one core"); the clients run here.
 * Targets: >= 5,000 key pairs/s, p99 < 25 ms, <= 16 Redis commands per pair (INFO commandstats:
 * the scripts' calls and the commands run inside them), <= 130 us of service CPU per pair. (An
 * "equivalent" of autocannon: each pair is two dependent requests, which autocannon cannot chain,
 * so the loop is written out.)
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRelay } from '../relay/index.js';
import { saeClient, type SaeClient } from './etsi-post.js';
import { KeyMaterial } from '../relay/domain/key-material.js';
import { linkId } from '../relay/domain/links.js';
import { fixture, testPki } from '../test/integration/relay-support.js';

const CLIENTS = 32;
const DURATION_MS = Number(process.env.BENCH_MS ?? 10_000);
const WARM_UP_MS = 1500;
const PAIRS = [
  ['sae-graz-a', 'sae-matera-a'],
  ['sae-graz-b', 'sae-matera-b'],
  ['sae-matera-a', 'sae-graz-b'],
  ['sae-matera-b', 'sae-graz-a'],
] as const;

// A private redis-server, so that INFO commandstats counts this run's commands only.
const redisPort = 16_000 + Math.floor(Math.random() * 2000);
const redisServer = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
for (let i = 0; i < 50; i += 1) {
  if (
    spawnSync('redis-cli', ['-p', String(redisPort), 'ping'])
      .stdout?.toString()
      .trim() === 'PONG'
  )
    break;
  await new Promise((r) => setTimeout(r, 100));
}
const f = fixture({ rateLimit: { requestsPerSecond: 1_000_000 } }, { REDIS_URL: `redis://127.0.0.1:${redisPort}` });
const core = openRelay({ config: f.config, redis: f.redis });
const link = linkId('fibre', 'graz', 'matera');
// Enough 256-bit keys for 12,000 pairs/s over the warm-up and the run (a pool that runs dry answers 503).
const depositMbit = Math.ceil((12_000 * (DURATION_MS + WARM_UP_MS) * 256) / 1e3 / 1_048_576);
for (let i = 0; i < depositMbit; i += 1) {
  const m = KeyMaterial.adopt(new Uint8Array(randomBytes(1_048_576 / 8)));
  await core.store.deposit(link, { kind: 'fibre', a: 'graz', b: 'matera' }, m, { source: 'bench' });
  m.zeroise();
}
const childPath = join(dirname(fileURLToPath(import.meta.url)), '../test/integration/relay-child.ts');
const child = spawn(
  process.execPath,
  [...(process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', childPath],
  { env: { ...process.env, ...f.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
);
const kmePort = await new Promise<number>((resolve, reject) => {
  child.stdout!.once('data', (c: Buffer) =>
    resolve((JSON.parse(c.toString().split('\n')[0]!) as { kmePort: number }).kmePort),
  );
  child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
});

const pki = testPki();
const clients = new Map<string, SaeClient>();
const clientOf = (sae: string) => {
  let client = clients.get(sae);
  if (!client) {
    const { cert, key } = pki.certs.get(sae)!;
    client = saeClient(kmePort, { ca: pki.ca.cert, cert, key }, CLIENTS);
    clients.set(sae, client);
  }
  return client;
};

const call = (sae: string, path: string, body: string) => clientOf(sae).post(path, body);

const latencies: number[] = [];
let errors = 0;
const errorStatuses = new Map<number, number>();
const countError = (status: number) => {
  errors += 1;
  errorStatuses.set(status, (errorStatuses.get(status) ?? 0) + 1);
};
async function client(i: number, until: number, record: boolean): Promise<void> {
  const [master, slave] = PAIRS[i % PAIRS.length]!;
  while (performance.now() < until) {
    const t0 = performance.now();
    const enc = await call(master, `/api/v1/keys/${slave}/enc_keys`, '{"number":1,"size":256}');
    if (enc.status !== 200) {
      countError(enc.status);
      continue;
    }
    const dec = await call(
      slave,
      `/api/v1/keys/${master}/dec_keys`,
      JSON.stringify({ key_IDs: [{ key_ID: enc.json.keys[0]!.key_ID }] }),
    );
    if (dec.status !== 200) {
      countError(dec.status);
      continue;
    }
    if (record) latencies.push(performance.now() - t0);
  }
}

// Warm-up (TLS handshakes, JIT, script cache), then the measured run.
await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, performance.now() + WARM_UP_MS, false)));
/** The service process's CPU seconds (user + system) from /proc (Linux), else NaN. */
function serviceCpuS(): number {
  try {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
/** Sum of calls over INFO commandstats (Redis counts the commands scripts run, and the EVALSHA itself). */
async function redisCommands(): Promise<number> {
  const info = await f.redis.info('commandstats');
  let n = 0;
  for (const m of info.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+)/gm)) if (m[1] !== 'info') n += Number(m[2]);
  return n;
}
const cmd0 = await redisCommands();
const cpu0 = serviceCpuS();
const start = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, start + DURATION_MS, true)));
const elapsedS = (performance.now() - start) / 1000;
const cpuS = serviceCpuS() - cpu0;
await new Promise((r) => setTimeout(r, 200)); // the last leases settle
const commands = (await redisCommands()) - cmd0;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
const pairsPerS = latencies.length / elapsedS;
console.log(
  `ETSI 014 enc_keys+dec_keys over mTLS, ${CLIENTS} concurrent clients, ${elapsedS.toFixed(1)} s, 256-bit keys`,
);
console.log(`  key pairs/s: ${pairsPerS.toFixed(0)} (target >= 5000; ratio ${(pairsPerS / 5000).toFixed(2)})`);
console.log(
  `  pair latency ms: p50 ${q(0.5).toFixed(2)}  p99 ${q(0.99).toFixed(2)} (target < 25; ratio ` +
    `${(q(0.99) / 25).toFixed(2)})  max ${latencies[latencies.length - 1]?.toFixed(2)}`,
);
const byStatus = [...errorStatuses].map(([status, n]) => `${n}x ${status}`).join(', ');
console.log(`  errors: ${errors}${errors ? ` (${byStatus})` : ''}`);
const perPair = commands / latencies.length;
console.log(
  `  Redis commands per key pair: ${perPair.toFixed(1)} (INFO commandstats, inside scripts included; ` +
    `target <= 16; ratio ${(perPair / 16).toFixed(2)}); one script call per ETSI request`,
);
console.log(
  `  service CPU: ${cpuS.toFixed(2)} s for ${latencies.length} pairs = ` +
    `${((1e6 * cpuS) / latencies.length).toFixed(0)} us/pair -> one-core capacity ` +
    `${(latencies.length / cpuS).toFixed(0)} pairs/s (load average ${loadavg()[0]!.toFixed(1)} on ` +
    `${cpus().length} CPUs)`,
);
await Promise.all([...clients.values()].map((client) => client.close()));
child.kill('SIGTERM');
await f.cleanup();
redisServer.kill();
console.log(
  `  service CPU per pair: ${((1e6 * cpuS) / latencies.length).toFixed(0)} us (target <= 130; ratio ` +
    `${((1e6 * cpuS) / latencies.length / 130).toFixed(2)})`,
);
process.exitCode = pairsPerS >= 5000 && q(0.99) < 25 && errors === 0 ? 0 : 1;
