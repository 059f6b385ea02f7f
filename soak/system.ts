/**
 * The system under soak, as separate OS processes: a redis-server with AOF (`appendfsync always`)
 * on its own port and directory, TCP fault proxies between some processes and Redis, 2 API
 * processes (src/main.ts without children), the KME (src/kme.ts) and 3 BullMQ workers
 * (src/worker.ts). Every process logs to its own file; every exit is recorded with whether the
 * fault injector caused it, so the checker can tell an injected kill from a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { FaultProxy } from '../test/support/fault-proxy.js';
import { REPO_ROOT } from '../src/platform/config.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface ExitRecord {
  name: string;
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  /** True when the fault injector (or the harness at the end) caused it. */
  expected: boolean;
  atMs: number;
}

/** A redis-server the soak owns: SIGKILL and restart from its AOF, SIGSTOP/SIGCONT. */
class RedisServer {
  private child: ChildProcess | undefined;
  readonly url: string;
  private expectExit = false;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly exits: ExitRecord[],
    private readonly log: WriteStream,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    mkdirSync(dir, { recursive: true });
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--hz',
        '100',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.expectExit = false;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.exits.push({ name: 'redis', pid: child.pid, code, signal, expected: this.expectExit, atMs: Date.now() });
    });
    for (let i = 0; i < 400; i += 1) {
      if (await this.ping()) return;
      await sleep(25);
    }
    throw new Error(`redis-server on ${this.port} did not answer`);
  }

  /** PING over a raw socket: true on +PONG (a Redis still loading its AOF answers -LOADING). */
  ping(): Promise<boolean> {
    return new Promise((res) => {
      const s = connect(this.port, '127.0.0.1');
      const done = (ok: boolean) => {
        s.destroy();
        res(ok);
      };
      s.setTimeout(500, () => done(false));
      s.on('error', () => done(false));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', (d: Buffer) => done(d.toString('latin1').startsWith('+PONG')));
    });
  }

  /** SIGKILL (no shutdown, no final fsync beyond what AOF always already did). */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    this.expectExit = true;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }
  killSync(): void {
    if (this.child && this.child.exitCode === null) {
      this.expectExit = true;
      this.child.kill('SIGKILL');
    }
  }
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    this.expectExit = true;
    c.kill('SIGCONT');
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([gone, sleep(5000)]);
    if (c.exitCode === null) c.kill('SIGKILL');
  }
}

export type Role = 'api' | 'kme' | 'worker';

/** What each role logs once it serves. */
const READY_LINE: Record<Role, string> = {
  api: 'qkdsat REST listening',
  kme: 'KME listening',
  worker: 'qkdsat worker running',
};

/** One service process, restartable; stdout and stderr appended to its log file. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private expectExit = false;
  starts = 0;
  /** Set when the current incarnation logged its ready line. */
  private readyAt = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    readonly logFile: string,
    private readonly exits: ExitRecord[],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, this.entry)], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: REPO_ROOT,
    });
    this.child = child;
    this.expectExit = false;
    this.starts += 1;
    this.readyAt = 0;
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.stdout!.on('data', (c: Buffer) => {
      if (!this.readyAt && c.toString('utf8').includes(READY_LINE[this.role])) this.readyAt = Date.now();
    });
    child.once('exit', (code, signal) => {
      this.exits.push({ name: this.name, pid: child.pid, code, signal, expected: this.expectExit, atMs: Date.now() });
      setTimeout(() => log.end(), 200);
    });
  }

  /** Resolves when this incarnation logged that it serves (false after `timeoutMs`, or when it exited). */
  async ready(timeoutMs = 60_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.readyAt && this.running && Date.now() < until) await sleep(50);
    return !!this.readyAt;
  }

  /** SIGKILL, as the injector does; resolves when the process is gone. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    this.expectExit = true;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGCONT');
    c.kill('SIGKILL');
    await gone;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Graceful stop at the end of the soak (SIGTERM, then SIGKILL after 15 s). */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    this.expectExit = true;
    c.kill('SIGCONT');
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([gone, sleep(15_000)]);
    if (this.running) c.kill('SIGKILL');
  }
}

interface SystemPorts {
  api: number[];
  kme: number;
}

export interface System {
  redis: RedisServer;
  proxies: { kme: FaultProxy; api: FaultProxy; worker: FaultProxy };
  procs: ServiceProcess[];
  ports: SystemPorts;
  exits: ExitRecord[];
  logDir: string;
  stop(): Promise<void>;
}

/**
 * Starts Redis, the proxies and the 6 service processes. Wiring: api-0 and worker-0 talk to Redis
 * directly; api-1 through the `api` proxy; the KME through the `kme` proxy; worker-1 and worker-2
 * through the `worker` proxy.
 */
export async function startSystem(runDir: string, env: Record<string, string>): Promise<System> {
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const exits: ExitRecord[] = [];
  const redis = new RedisServer(
    await freePort(),
    join(runDir, 'redis'),
    exits,
    createWriteStream(join(logDir, 'redis.log'), { flags: 'a' }),
  );
  await redis.start();
  const target = { host: '127.0.0.1', port: redis.port };
  const proxies = {
    kme: await FaultProxy.start(target),
    api: await FaultProxy.start(target),
    worker: await FaultProxy.start(target),
  };
  const ports: SystemPorts = { api: [await freePort(), await freePort()], kme: await freePort() };
  const base = {
    ...env,
    QKDSAT_SPAWN_REDIS: 'never',
    QKDSAT_KMES: '0',
    QKDSAT_WORKERS: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    KME_METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
  };
  const mk = (name: string, role: Role, entry: string, url: string, extra: Record<string, string> = {}) =>
    new ServiceProcess(name, role, entry, { ...base, REDIS_URL: url, ...extra }, join(logDir, `${name}.log`), exits);
  const procs = [
    mk('kme', 'kme', 'src/kme.ts', proxies.kme.url, { KME_PORT: String(ports.kme) }),
    mk('api-0', 'api', 'src/main.ts', redis.url, { PORT: String(ports.api[0]) }),
    mk('api-1', 'api', 'src/main.ts', proxies.api.url, { PORT: String(ports.api[1]) }),
    mk('worker-0', 'worker', 'src/worker.ts', redis.url),
    mk('worker-1', 'worker', 'src/worker.ts', proxies.worker.url),
    mk('worker-2', 'worker', 'src/worker.ts', proxies.worker.url),
  ];
  // Whatever happens to the harness, no process of the soak outlives it.
  process.once('exit', () => {
    for (const p of procs)
      if (p.pid && p.running)
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
    redis.killSync();
  });
  // The KME first: it writes the development PKI the consumers use.
  procs[0]!.start();
  for (const p of procs.slice(1)) p.start();
  return {
    redis,
    proxies,
    procs,
    ports,
    exits,
    logDir,
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
      for (const p of Object.values(proxies)) await p.close();
      await redis.stop();
    },
  };
}
