/**
 * One soak run: starts the system (system.ts) on the accelerated clock with the shipped demo
 * catalog and stations, drives it for `days` simulated days (re-plans and passes run by the
 * workers; relays and admin deposits over REST; ETSI consumers drawing keys), injects seeded
 * faults one after another, adds load and fast-check fuzzing, then quiesces, checks (checker.ts)
 * and writes the report (markdown and JSON).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { REPO_ROOT } from '../src/platform/config.js';
import { check, type Figures, type Violation, type Window } from './checker.js';
import { EtsiClient, readPki, RestClient, Traffic } from './clients.js';
import { Consumers, type Pair } from './consumers.js';
import { fuzzCases, runFuzz } from './fuzz.js';
import { Rng } from './rng.js';
import { startSystem, type ServiceProcess, type System } from './system.js';

const FAULT_KINDS = [
  'kill-worker',
  'kill-api',
  'kill-kme',
  'redis-kill',
  'redis-stop',
  'proxy-drop-reply',
  'proxy-reset',
  'proxy-delay',
  'worker-pause-past-lock',
  'tle-update',
  'consumer-hangup',
  'station-readd',
] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

/** Real time one injection takes on average (kill and restart, outage and recovery, pause past the lock). */
const FAULT_SLOT_MS = 4500;

/** The fastest clock at which every day's injections fit into that day (at most 1440x, a day per minute). */
const defaultSpeed = (faultsPerDay: number): number =>
  Math.min(1440, Math.floor(86_400_000 / (Math.max(1, faultsPerDay * FAULT_KINDS.length) * FAULT_SLOT_MS)));

export interface SoakOptions {
  seed: number;
  days: number;
  /** Simulated seconds per real second (default: defaultSpeed). */
  speed?: number;
  faultsPerDay: number;
  fuzzPerDay: number;
  /** Where the run's Redis, logs and var/ go (deleted at the end unless keep). */
  runDir?: string;
  keep?: boolean;
  /** Test-only: QKDSAT_TEST_MUTATION for the service processes (see README "Reliability"). */
  mutation?: string;
  reportDir?: string;
  /** Report file name without extension (default soak-latest, or soak-mutation-<name>). */
  reportName?: string;
  log?: (msg: string) => void;
}

/** The checker's figures the report carries under their own names (it renames or groups the rest). */
type ReportedFigures = Omit<Figures, 'bitsDeposited_pass' | 'auditEntries' | 'auditSeals'>;

export interface SoakReport extends ReportedFigures {
  seed: number;
  days: number;
  speed: number;
  mutation: string | null;
  startedAt: string;
  realSeconds: number;
  faults: Record<string, number>;
  faultsFired: Record<string, number>;
  bitsDepositedByPasses: number;
  violations: Violation[];
  http: ReturnType<Traffic['summary']>;
  etsi: ReturnType<Traffic['summary']>;
  load: { http: ReturnType<Traffic['summary']>; etsi: ReturnType<Traffic['summary']> };
  fuzz: { requests: number; status: Record<string, number> };
  outageProbes: ReturnType<Traffic['summary']>;
  recovery: {
    redisRestartMs: number | null;
    workerTakeoverMs: number | null;
    redisRestarts: number[];
    workerTakeovers: number[];
  };
  relays: Record<string, number>;
  hangUps: { enc: number; dec: number };
  processStarts: Record<string, number>;
  audit: { entries: number; seals: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * After a fault, how long its consequences may show as 503s: a lease left by a failed request is
 * settled by the KME's maintenance within the lease timeout (3 s) plus a bucket and a sweep period.
 */
const GRACE_MS = 8000;
const SIM_START = '2022-08-10T00:00:00Z';
const PAIRS: Pair[] = [
  { master: 'sae-graz-a', slave: 'sae-matera-a' },
  { master: 'sae-matera-b', slave: 'sae-graz-b' },
  { master: 'sae-xinglong-a', slave: 'sae-delingha-a' },
  { master: 'sae-nanshan-a', slave: 'sae-delingha-b' },
  { master: 'sae-xinglong-b', slave: 'sae-graz-a' },
];

/** The soak's config: the shipped demo (catalog, stations, SAEs, fibre, demand) with soak timings. */
function soakConfig(dir: string): {
  path: string;
  lockDurationMs: number;
  gaps: { stationSlewMs: number; satelliteRetargetMs: number };
  staleToleranceMs: number;
  leaseTimeoutMs: number;
} {
  const demo = JSON.parse(readFileSync(resolve(REPO_ROOT, 'config/demo.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const lockDurationMs = 3000,
    leaseTimeoutMs = 3000;
  const cfg = {
    ...demo,
    catalog: {
      tleFiles: [resolve(REPO_ROOT, 'tle/data/demo.tle')],
      stationsFile: resolve(REPO_ROOT, 'tle/data/stations.json'),
    },
    scheduler: {
      ...demo.scheduler,
      solver: 'heuristic',
      timeLimitSeconds: 5,
      staleToleranceSeconds: 1800,
      lockDurationMs,
      concurrency: 4,
    },
    relay: {
      ...demo.relay,
      keys: { ...(demo.relay!.keys as object), reservationTimeoutMs: 5000, leaseTimeoutMs },
      fibre: { tickMs: 1000, maxPoolBits: 4_000_000 },
      rateLimit: { requestsPerSecond: 100_000 },
    },
    // The soak's load runs under one token: its per-token REST limit must not be what it measures.
    auth: { openReads: true, rateLimit: { requestsPerSecond: 100_000 } },
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(cfg, null, 2));
  const s = cfg.scheduler as unknown as {
    stationSlewSeconds: number;
    satelliteRetargetSeconds: number;
    staleToleranceSeconds: number;
  };
  return {
    path,
    lockDurationMs,
    gaps: { stationSlewMs: s.stationSlewSeconds * 1000, satelliteRetargetMs: s.satelliteRetargetSeconds * 1000 },
    staleToleranceMs: s.staleToleranceSeconds * 1000,
    leaseTimeoutMs,
  };
}

/** A TLE line's checksum (mod 10 of digits, '-' counts 1). */
const tleChecksum = (line: string) =>
  [...line.slice(0, 68)].reduce((s, ch) => s + (ch === '-' ? 1 : /\d/.test(ch) ? Number(ch) : 0), 0) % 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[soak] ${m}\n`));
  const t0 = Date.now();
  const speed = options.speed ?? defaultSpeed(options.faultsPerDay);
  const rng = new Rng(options.seed);
  const runDir = options.runDir ?? join(REPO_ROOT, 'var', 'soak', `run-${options.seed}-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const cfg = soakConfig(runDir);
  const kekHex = randomBytes(32).toString('hex');
  const adminToken = randomBytes(24).toString('base64url');
  const prefix = `{soak${options.seed}}`;
  const env: Record<string, string> = {
    QKDSAT_CONFIG: cfg.path,
    QKDSAT_VAR_DIR: join(runDir, 'var'),
    QKDSAT_PREFIX: prefix,
    QKDSAT_KEK: kekHex,
    QKDSAT_ADMIN_TOKEN: adminToken,
    QKDSAT_CLOCK: 'simulated',
    QKDSAT_CLOCK_START: SIM_START,
    QKDSAT_CLOCK_SPEED: String(speed),
    LOG_LEVEL: 'info',
    ...(options.mutation ? { QKDSAT_TEST_MUTATION: options.mutation } : {}),
  };
  const runMs = (options.days * 86_400_000) / speed;
  log(
    `seed ${options.seed}, ${options.days} simulated days at ${speed}x: ${Math.round(runMs / 1000)} s of ` +
      `run time; dir ${runDir}${options.mutation ? `; MUTATION ${options.mutation}` : ''}`,
  );

  const sys: System = await startSystem(runDir, env);
  const direct = new Redis(sys.redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  direct.on('error', () => undefined);
  const books = {
    http: new Traffic(),
    etsi: new Traffic(),
    fuzz: new Traffic(),
    probes: new Traffic(),
    load: new Traffic(),
    loadEtsi: new Traffic(),
  };
  // The operator's calls carry the admin token (role admin covers planner and viewer); the fuzzer's none.
  const rest = new RestClient(sys.ports.api, `Bearer ${adminToken}`);
  const anonymous = new RestClient(sys.ports.api);
  const windows: Window[] = [];
  const outages: Window[] = [];
  const faults: Record<string, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0]));
  const relays: Record<string, number> = {};
  const recovery = { redisRestarts: [] as number[], workerTakeovers: [] as number[] };
  let etsi: EtsiClient | undefined;
  let consumers: Consumers | undefined;
  const fuzzKeys = new Map<string, string>();
  let stopping = false;
  const tasks: Promise<unknown>[] = [];
  let simEndMs = 0;

  try {
    // --- boot: every process up, the PKI written, a first plan made ---
    const ready = async (timeoutMs: number) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const rs = await Promise.all(
          sys.ports.api.map((_, i) =>
            rest.call({ method: 'GET', path: '/health/ready', timeoutMs: 2000 }, undefined, 'ready', i),
          ),
        );
        let kmeOk = false;
        try {
          if (!etsi)
            etsi = new EtsiClient(
              sys.ports.kme,
              readPki(env.QKDSAT_VAR_DIR!, [
                ...new Set([...PAIRS.flatMap((p) => [p.master, p.slave]), 'sae-ottawa-a', 'sae-singapore-b']),
              ]),
            );
          kmeOk =
            (
              await etsi.call('sae-graz-a', {
                method: 'GET',
                path: '/api/v1/keys/sae-matera-a/status',
                timeoutMs: 2000,
              })
            ).status === 200;
        } catch {
          etsi = undefined;
        }
        if (rs.every((r) => r.status === 200) && kmeOk) return;
        if (Date.now() > until)
          throw new Error(`system not ready after ${timeoutMs} ms: ${rs.map((r) => r.status).join(',')} kme ${kmeOk}`);
        await sleep(300);
      }
    };
    await ready(90_000);
    log(`system ready after ${Math.round((Date.now() - t0) / 1000)} s`);
    const openapi = (await rest.call({ method: 'GET', path: '/openapi.json' })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(openapi.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method, path })),
    );
    const simNow = async () =>
      Date.parse(
        (
          (await rest.call({ method: 'GET', path: '/v1/clock', timeoutMs: 2000 }, undefined, 'clock', 0)).body as
            { now?: string } | undefined
        )?.now ?? '',
      ) || 0;
    const e = etsi!;
    const runStart = Date.now();
    const runEnd = runStart + runMs;

    // --- consumers ---
    consumers = new Consumers(e, PAIRS, books.etsi, rng.fork());
    consumers.start();
    const cons = consumers;

    // --- operations: relays between continents, admin deposits (as passes would), reads ---
    const opsRng = rng.fork();
    tasks.push(
      (async () => {
        const stations = ['xinglong', 'graz', 'nanshan', 'matera', 'delingha', 'tenerife'];
        const relayPairs = [
          ['xinglong', 'graz'],
          ['nanshan', 'matera'],
          ['delingha', 'tenerife'],
          ['graz', 'xinglong'],
        ];
        let i = 0;
        while (!stopping && Date.now() < runEnd) {
          i += 1;
          if (i % 3 === 0) {
            await rest.call(
              rest.json(
                'POST',
                '/v1/admin/deposits',
                { stationId: opsRng.pick(stations), noradId: 41731, bits: opsRng.int(2, 40) * 4096 },
                { authorization: `Bearer ${adminToken}` },
              ),
              books.http,
              'POST /v1/admin/deposits',
            );
          }
          const [from, to] = opsRng.pick(relayPairs);
          const r = await rest.call(
            rest.json('POST', '/v1/relays', { from, to, bits: opsRng.int(1, 16) * 2048 }),
            books.http,
            'POST /v1/relays',
          );
          const outcome = r.status === 200 ? String((r.body as { outcome?: string }).outcome) : `http ${r.status}`;
          relays[outcome] = (relays[outcome] ?? 0) + 1;
          await rest.call(
            {
              method: 'GET',
              path: opsRng.pick(['/v1/keys/pools', '/v1/bookings', '/v1/stations', '/v1/clock', '/v1/terminals']),
            },
            books.http,
          );
          await sleep(opsRng.int(300, 900));
        }
      })(),
    );

    // --- fuzzing, spread over the run ---
    const nFuzz = Math.max(20, Math.round(options.fuzzPerDay * options.days));
    const cases = fuzzCases(
      routes,
      PAIRS.flatMap((p) => [p.master, p.slave]),
      options.seed,
      nFuzz,
    );
    tasks.push(
      runFuzz(
        cases,
        anonymous,
        e,
        books.fuzz,
        () => stopping || Date.now() > runEnd,
        (sae, keys) => {
          for (const k of keys) fuzzKeys.set(k.key_ID, createHashOf(k.key));
        },
        Math.max(5, Math.floor(runMs / nFuzz) - 30),
      ),
    );

    // --- load bursts: bounded concurrency and time, loopback only ---
    const loadRng = rng.fork();
    tasks.push(
      (async () => {
        while (!stopping && Date.now() < runEnd) {
          await sleep(loadRng.int(8000, 16000));
          if (stopping || Date.now() > runEnd) break;
          const until = Date.now() + 4000;
          const restPaths = [
            '/health/ready',
            '/v1/keys/pools',
            '/v1/bookings',
            '/v1/stations',
            '/v1/clock',
            '/v1/satellites',
            '/v1/terminals',
            '/v1/saes',
          ];
          const workers = [
            ...Array.from({ length: 8 }, async () => {
              while (Date.now() < until)
                await rest.call({ method: 'GET', path: loadRng.pick(restPaths), timeoutMs: 10_000 }, books.load);
            }),
            ...Array.from({ length: 8 }, async () => {
              while (Date.now() < until) {
                const p = loadRng.pick(PAIRS);
                await e.call(
                  p.master,
                  { method: 'GET', path: `/api/v1/keys/${p.slave}/status`, timeoutMs: 10_000 },
                  books.loadEtsi,
                  'status',
                );
              }
            }),
          ];
          await Promise.all(workers);
        }
      })(),
    );

    // --- the fault injector: each kind faultsPerDay times per simulated day, in seeded order ---
    const fRng = rng.fork();
    const schedule: FaultKind[] = [];
    for (let d = 0; d < Math.max(1, Math.round(options.faultsPerDay * options.days)); d += 1)
      schedule.push(...FAULT_KINDS);
    for (let i = schedule.length - 1; i > 0; i -= 1) {
      const j = fRng.int(0, i);
      [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
    }
    const slotMs = (runMs - 5000) / schedule.length;
    const tleText = readFileSync(resolve(REPO_ROOT, 'tle/data/demo.tle'), 'utf8').split('\n');
    let tleBump = 0;
    const procs = (role: string) => sys.procs.filter((p) => p.role === role);
    const restart = async (p: ServiceProcess, downMs: number) => {
      const from = Date.now();
      await p.kill();
      await sleep(downMs);
      p.start();
      if (!(await p.ready())) log(`${p.name} did not come back after its restart`);
      windows.push({ kind: `kill ${p.name}`, fromMs: from, toMs: Date.now() + GRACE_MS });
    };
    const probeDuring = async (kind: string, durMs: number, act: () => Promise<void>, after: () => Promise<void>) => {
      const from = Date.now();
      const w: Window = { kind, fromMs: from, toMs: from + durMs };
      outages.push(w);
      let probing = true;
      const probes = (async () => {
        while (probing) {
          const sent = Date.now();
          if (sent > w.toMs) break;
          await Promise.all([
            ...sys.ports.api.map((_, i) =>
              rest.call(
                { method: 'GET', path: '/health/ready', timeoutMs: 5000 },
                books.probes,
                `api-${i} /health/ready`,
                i,
              ),
            ),
            ...sys.ports.api.map((_, i) =>
              rest.call(
                { method: 'GET', path: '/v1/keys/pools', timeoutMs: 5000 },
                books.probes,
                `api-${i} /v1/keys/pools`,
                i,
              ),
            ),
            rest.call({ method: 'GET', path: '/v1/bookings', timeoutMs: 5000 }, books.probes, 'GET /v1/bookings', 1),
            e.call(
              'sae-graz-a',
              { method: 'GET', path: '/api/v1/keys/sae-matera-a/status', timeoutMs: 5000 },
              books.probes,
              'etsi status',
            ),
            e
              .call(
                'sae-graz-a',
                {
                  method: 'POST',
                  path: '/api/v1/keys/sae-matera-a/enc_keys',
                  headers: { 'content-type': 'application/json' },
                  body: '{"number":1}',
                  timeoutMs: 5000,
                },
                books.probes,
                'etsi enc_keys',
              )
              .then((r) => {
                // A probe that got keys (Redis back by then) hands them to the consumer records.
                const keys = (r.body as { keys?: { key_ID: string; key: string }[] } | undefined)?.keys;
                if (r.status === 200 && keys) for (const k of keys) fuzzKeys.set(k.key_ID, createHashOf(k.key));
              }),
          ]);
          await sleep(150);
        }
      })();
      await act();
      await sleep(Math.max(0, w.toMs - Date.now()));
      probing = false;
      await probes;
      w.toMs = Date.now();
      await after();
      windows.push({ kind, fromMs: from, toMs: Date.now() + GRACE_MS });
    };
    const waitReady = async () => {
      const t = Date.now();
      for (;;) {
        const rs = await Promise.all([
          ...sys.ports.api.map((_, i) =>
            rest.call({ method: 'GET', path: '/health/ready', timeoutMs: 1000 }, undefined, 'ready', i),
          ),
          e.call('sae-graz-a', { method: 'GET', path: '/api/v1/keys/sae-matera-a/status', timeoutMs: 1000 }),
        ]);
        if (rs.every((r) => r.status === 200) || Date.now() - t > 30_000) {
          const waitedMs = Date.now() - t;
          const lastAnswers = `api-0 ${rs[0]!.status}, api-1 ${rs[1]!.status}, kme ${rs[2]!.status}`;
          log(`ready again after ${waitedMs} ms${waitedMs > 2000 ? ` (last answers: ${lastAnswers})` : ''}`);
          return waitedMs;
        }
        await sleep(25);
      }
    };
    const activePassLocks = async () => {
      const ids = await direct.lrange(`${prefix}:sched_passes:active`, 0, -1).catch(() => [] as string[]);
      const out = new Map<string, string | null>();
      for (const id of ids) out.set(id, await direct.get(`${prefix}:sched_passes:${id}:lock`).catch(() => null));
      return out;
    };
    const watchTakeover = (at: number, locks: Map<string, string | null>) => {
      for (const [id, token] of locks) {
        tasks.push(
          (async () => {
            for (let i = 0; i < 600 && !stopping; i += 1) {
              await sleep(100);
              const now = await direct.get(`${prefix}:sched_passes:${id}:lock`).catch(() => undefined);
              if (now === undefined) continue;
              const active = (
                await direct.lrange(`${prefix}:sched_passes:active`, 0, -1).catch(() => [] as string[])
              ).includes(id);
              if (now && now !== token) {
                recovery.workerTakeovers.push(Date.now() - at);
                return;
              }
              if (!active && !now) return; // finished by whoever held it (not the faulted worker)
            }
          })(),
        );
      }
    };

    const inject = async (kind: FaultKind) => {
      faults[kind] = (faults[kind] ?? 0) + 1;
      switch (kind) {
        case 'kill-worker': {
          const locks = await activePassLocks();
          const at = Date.now();
          await restart(fRng.pick(procs('worker')), fRng.int(500, 2500));
          watchTakeover(at, locks);
          break;
        }
        case 'kill-api':
          await restart(fRng.pick(procs('api')), fRng.int(500, 2000));
          break;
        case 'kill-kme':
          await restart(procs('kme')[0]!, fRng.int(500, 2000));
          break;
        case 'redis-kill': {
          await probeDuring(
            'redis SIGKILL',
            fRng.int(1500, 3000),
            () => sys.redis.kill(),
            async () => {
              const t = Date.now();
              await sys.redis.start();
              log(`redis restarted from its AOF in ${Date.now() - t} ms`);
              recovery.redisRestarts.push(Date.now() - t + (await waitReady()));
            },
          );
          break;
        }
        case 'redis-stop': {
          await probeDuring(
            'redis SIGSTOP',
            fRng.int(2000, 4000),
            async () => {
              sys.redis.pause();
            },
            async () => {
              sys.redis.resume();
              await waitReady();
            },
          );
          break;
        }
        case 'proxy-drop-reply':
        case 'proxy-reset': {
          const targets: [keyof System['proxies'], string[]][] = [
            [
              'kme',
              ['"source":"fibre"', 'sae-matera-a', 'sae-graz-b', 'sae-delingha-a', 'sae-xinglong-a', 'sae-delingha-b'],
            ],
            ['api', ['"source":"admin"', 'relay:', 'sched:booking']],
            ['worker', ['"source":"pass"', 'sched:booking', 'sched_passes']],
          ];
          const [name, matches] = fRng.pick(targets);
          const match = fRng.pick(matches);
          // Armed now; it fires when such a command passes (its window is added from the proxy's record).
          if (kind === 'proxy-drop-reply') sys.proxies[name].dropReply(match);
          else sys.proxies[name].resetAfterSend(match);
          break;
        }
        case 'proxy-delay': {
          const name = fRng.pick(['kme', 'api', 'worker'] as const);
          const from = Date.now();
          sys.proxies[name].delayReplies(fRng.int(800, 1500));
          await sleep(fRng.int(1500, 3000));
          sys.proxies[name].delayReplies(0);
          windows.push({ kind: `proxy-delay ${name}`, fromMs: from, toMs: Date.now() + GRACE_MS });
          break;
        }
        case 'worker-pause-past-lock': {
          // Prefer a moment when a pass is running, so a takeover really happens.
          for (let i = 0; i < 300 && (await activePassLocks()).size === 0; i += 1) await sleep(25);
          const locks = await activePassLocks();
          const w = fRng.pick(procs('worker'));
          const at = Date.now();
          w.pause();
          watchTakeover(at, locks);
          await sleep(cfg.lockDurationMs * 2 + 1000);
          w.resume();
          windows.push({ kind: `pause ${w.name}`, fromMs: at, toMs: Date.now() + GRACE_MS });
          break;
        }
        case 'tle-update': {
          // A newer Micius element set (epoch moved forward), as a catalog refresh would bring.
          tleBump += 1;
          const i = tleText.findIndex((l) => l.startsWith('1 41731U 16051A   22'));
          const l1 = tleText[i]!,
            l2 = tleText[i + 1]!;
          const epoch = (Number(l1.slice(18, 32)) + 0.0001 * tleBump).toFixed(8).padStart(14, '0');
          const n1 = `${l1.slice(0, 18)}${epoch}${l1.slice(32, 68)}`;
          const body = `MICIUS (QSS)\n${n1}${tleChecksum(n1)}\n${l2}\n`;
          await rest.call(
            { method: 'POST', path: '/v1/satellites', headers: { 'content-type': 'text/plain' }, body },
            books.http,
            'POST /v1/satellites',
          );
          break;
        }
        case 'consumer-hangup':
          await cons.hangUp(fRng.pick(['enc', 'dec'] as const));
          break;
        case 'station-readd': {
          const id = fRng.pick(['stellenbosch', 'singapore', 'ottawa', 'tenerife', 'lijiang']);
          const got = await rest.call(
            { method: 'GET', path: `/v1/stations/${id}` },
            books.http,
            'GET /v1/stations/{id}',
          );
          if (got.status !== 200) break;
          await rest.call(
            { method: 'DELETE', path: `/v1/stations/${id}?cascade=cancel` },
            books.http,
            'DELETE /v1/stations/{id}',
          );
          await sleep(fRng.int(500, 2000));
          await rest.call(rest.json('PUT', `/v1/stations/${id}`, got.body), books.http, 'PUT /v1/stations/{id}');
          break;
        }
      }
    };
    for (let i = 0; i < schedule.length && !stopping; i += 1) {
      const due = runStart + 3000 + i * slotMs;
      await sleep(Math.max(0, due - Date.now()));
      const kind = schedule[i]!;
      log(`t+${Math.round((Date.now() - runStart) / 1000)}s fault ${i + 1}/${schedule.length}: ${kind}`);
      try {
        await inject(kind);
      } catch (err) {
        log(`fault ${kind} raised ${(err as Error).message}`);
      }
    }
    await sleep(Math.max(0, runEnd - Date.now()));
    simEndMs = await simNow();

    // --- quiesce: consumers fetch what is pending, leases and reservations settle ---
    log('run over: draining consumers');
    for (const p of sys.procs) if (!p.running) p.start();
    await waitReady();
    await cons.drain(20_000);
    log(`consumers drained: ${cons.pendingCount()} keys still pending at their slaves`);
    stopping = true;
    await Promise.all(tasks);
    await sleep(cfg.leaseTimeoutMs + 4000);
    simEndMs = (await simNow()) || simEndMs;
  } finally {
    stopping = true;
    log('stopping the system');
    rest.close();
    anonymous.close();
    etsi?.close();
    for (const p of sys.procs) await p.stop();
  }

  // Proxy faults: from the moment each fired, with the time a client needs to notice and recover.
  for (const [name, p] of Object.entries(sys.proxies)) {
    for (const f of p.firedAt)
      windows.push({ kind: `proxy ${f.kind} ${name} ${f.match}`, fromMs: f.atMs, toMs: f.atMs + GRACE_MS });
  }
  // --- the checker, on a quiescent Redis ---
  log('checking');
  const { violations, figures } = await check({
    redis: direct,
    prefix,
    kekHex,
    adminToken,
    keys: consumers?.keys ?? new Map(),
    strays: consumers?.strays ?? [],
    hangUps: consumers?.hangUpLog ?? [],
    fuzzKeys,
    books: {
      http: books.http,
      etsi: books.etsi,
      fuzz: books.fuzz,
      probes: books.probes,
      load: mergeBooks(books.load, books.loadEtsi),
    },
    windows,
    outages,
    exits: sys.exits,
    logDir: sys.logDir,
    simNowMs: simEndMs,
    gaps: cfg.gaps,
    staleToleranceMs: cfg.staleToleranceMs,
  });
  direct.disconnect();
  const fired = {
    'drop-reply':
      sys.proxies.kme.fired['drop-reply'] +
      sys.proxies.api.fired['drop-reply'] +
      sys.proxies.worker.fired['drop-reply'],
    reset: sys.proxies.kme.fired.reset + sys.proxies.api.fired.reset + sys.proxies.worker.fired.reset,
  };
  await Promise.all(Object.values(sys.proxies).map((p) => p.close()));
  await sys.redis.stop();

  const fuzzSummary = books.fuzz.summary();
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
  const report: SoakReport = {
    seed: options.seed,
    days: options.days,
    speed,
    mutation: options.mutation ?? null,
    startedAt: new Date(t0).toISOString(),
    realSeconds: Math.round((Date.now() - t0) / 1000),
    faults,
    faultsFired: { 'proxy-drop-reply': fired['drop-reply'], 'proxy-reset': fired.reset },
    bookingsExecuted: figures.bookingsExecuted,
    bookings: figures.bookings,
    bitsDeposited: figures.bitsDeposited,
    bitsDepositedByPasses: figures.bitsDeposited_pass,
    bitsDelivered: figures.bitsDelivered,
    bitsRelayed: figures.bitsRelayed,
    keysServed: figures.keysServed,
    keysReceivedBySlaves: figures.keysReceivedBySlaves,
    keysPendingAtEnd: figures.keysPendingAtEnd,
    keysVoided: figures.keysVoided,
    keysDiscardedByHungUpClients: figures.keysDiscardedByHungUpClients,
    violations,
    http: mergeBooks(books.http, books.load).summary(),
    etsi: mergeBooks(books.etsi, books.loadEtsi).summary(),
    load: { http: books.load.summary(), etsi: books.loadEtsi.summary() },
    fuzz: { requests: fuzzSummary.requests, status: fuzzSummary.status },
    outageProbes: books.probes.summary(),
    recovery: {
      redisRestartMs: max(recovery.redisRestarts),
      workerTakeoverMs: max(recovery.workerTakeovers),
      redisRestarts: recovery.redisRestarts,
      workerTakeovers: recovery.workerTakeovers,
    },
    relays,
    hangUps: consumers?.hangUps ?? { enc: 0, dec: 0 },
    processStarts: Object.fromEntries(sys.procs.map((p) => [p.name, p.starts])),
    audit: { entries: figures.auditEntries, seals: figures.auditSeals },
  };
  writeReport(report, options.reportDir ?? join(REPO_ROOT, 'var', 'reports'), options.reportName);
  // For a post-mortem: every answer (status, latency, route; never a body) and the fault windows.
  // The consumers' records (key IDs and SHA-256 of the bytes, never the bytes).
  writeFileSync(
    join(runDir, 'keys.json'),
    JSON.stringify({
      keys: [...(consumers?.keys.values() ?? [])],
      strays: consumers?.strays ?? [],
      hangUps: consumers?.hangUpLog ?? [],
      fuzzKeys: [...fuzzKeys],
    }),
  );
  writeFileSync(
    join(runDir, 'traffic.json'),
    JSON.stringify({
      windows,
      outages,
      books: Object.fromEntries(Object.entries(books).map(([k, b]) => [k, b.samples])),
    }),
  );
  if (!options.keep && violations.length === 0) rmSync(runDir, { recursive: true, force: true });
  else log(`run directory kept: ${runDir}`);
  return report;
}

function mergeBooks(...bs: Traffic[]): Traffic {
  const t = new Traffic();
  for (const b of bs) for (const s of b.samples) t.add(s);
  return t;
}

function createHashOf(b64: string): string {
  const buf = Buffer.from(b64, 'base64');
  const h = createHash('sha256').update(buf).digest('hex');
  buf.fill(0);
  return h;
}

function writeReport(report: SoakReport, dir: string, reportName?: string): void {
  mkdirSync(dir, { recursive: true });
  const name = reportName ?? (report.mutation ? `soak-mutation-${report.mutation}` : 'soak-latest');
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  const table = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '-';
  const md = [
    `# qkdsat soak: seed ${report.seed}, ${report.days} simulated ` +
      `days${report.mutation ? ` (MUTATION ${report.mutation})` : ''}`,
    '',
    `Started ${report.startedAt}, ${report.realSeconds} s real time at ${report.speed}x.`,
    '',
    `**Violations: ${report.violations.length}**`,
    ...report.violations.map((v) => `- ${v.invariant}: ${v.detail}`),
    '',
    `- faults: ${table(report.faults)} (proxy faults that fired: ${table(report.faultsFired)})`,
    `- bookings executed ${report.bookingsExecuted} (states: ${table(report.bookings)})`,
    `- bits deposited ${report.bitsDeposited} (by passes ${report.bitsDepositedByPasses}), delivered ` +
      `${report.bitsDelivered}, relayed ${report.bitsRelayed}`,
    `- keys served ${report.keysServed}, received by slaves ${report.keysReceivedBySlaves}, voided ` +
      `${report.keysVoided}, still bound at the end ${report.keysPendingAtEnd}, written before a ` +
      `consumer's hang-up ${report.keysDiscardedByHungUpClients}`,
    `- relays: ${table(report.relays)}; consumer hang-ups: enc ${report.hangUps.enc}, dec ${report.hangUps.dec}`,
    `- REST: ${report.http.requests} requests, p50 ${report.http.p50Ms} ms, p99 ${report.http.p99Ms} ms, ` +
      `status ${table(report.http.status)}`,
    `- ETSI: ${report.etsi.requests} requests, p50 ${report.etsi.p50Ms} ms, p99 ${report.etsi.p99Ms} ms, ` +
      `status ${table(report.etsi.status)}`,
    `- under load bursts: REST p99 ${report.load.http.p99Ms} ms (${report.load.http.requests} requests), ` +
      `ETSI status p99 ${report.load.etsi.p99Ms} ms (${report.load.etsi.requests} requests)`,
    `- fuzz: ${report.fuzz.requests} requests, status ${table(report.fuzz.status)}`,
    `- Redis outage probes: ${report.outageProbes.requests}, status ${table(report.outageProbes.status)}, ` +
      `p99 ${report.outageProbes.p99Ms} ms`,
    `- recovery: Redis restart to ready ${report.recovery.redisRestartMs ?? '-'} ms (max), worker ` +
      `takeover ${report.recovery.workerTakeoverMs ?? '-'} ms (max of ${report.recovery.workerTakeovers.length})`,
    `- audit: ${report.audit.entries} entries, ${report.audit.seals} seals`,
    '',
  ].join('\n');
  writeFileSync(join(dir, `${name}.md`), md);
}
