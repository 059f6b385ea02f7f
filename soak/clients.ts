/**
 * HTTP clients of the soak: plain HTTP to the REST API and mutual-TLS HTTPS to the KME, with the
 * development PKI the KME wrote (var/pki). Every answer is recorded in a `Traffic` book (status,
 * latency, time, and for 503s their kind) so the report has histograms and percentiles and the
 * checker can tell 5xx inside injected fault windows from those outside. Key bytes never enter a
 * record: consumers hash them at once (consumers.ts).
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';

export interface Sample {
  atMs: number;
  ms: number;
  status: number;
  route: string;
  /** 503 split: 'insufficient' (no key, ETSI's answer), 'unavailable', 'rate', 'integrity', 'other'. */
  kind?: string;
  note?: string;
}

export class Traffic {
  readonly samples: Sample[] = [];
  add(sample: Sample): void {
    this.samples.push(sample);
  }

  summary(): { requests: number; status: Record<string, number>; p50Ms: number; p99Ms: number } {
    const status: Record<string, number> = {};
    for (const s of this.samples) status[String(s.status)] = (status[String(s.status)] ?? 0) + 1;
    const lat = this.samples
      .filter((s) => s.status > 0)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    const q = (p: number) =>
      lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! * 10) / 10 : 0;
    return { requests: this.samples.length, status, p50Ms: q(0.5), p99Ms: q(0.99) };
  }
}

export interface Reply {
  status: number;
  text: string;
  body: unknown;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
}

function kindOf503(text: string): string {
  if (/insufficient key/i.test(text)) return 'insufficient';
  if (/too many requests/i.test(text)) return 'rate';
  if (/integrity/i.test(text)) return 'integrity';
  if (/unavailable|not answering|redis|retry/i.test(text)) return 'unavailable';
  return 'other';
}

/** The traffic sample of an answered call (status 0: the connection failed; its error is the note). */
const sampleOf = (reply: Reply, route: string): Sample => ({
  atMs: Date.now(),
  ms: reply.ms,
  status: reply.status,
  route,
  ...(reply.status === 503 ? { kind: kindOf503(reply.text) } : {}),
  ...(reply.status === 0 ? { note: reply.text } : {}),
});

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export interface CallOptions {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One HTTP(S) call; status 0 for a transport error (refused, reset, timeout). */
function call(
  req: typeof httpRequest | typeof httpsRequest,
  agent: HttpAgent | HttpsAgent,
  port: number,
  o: CallOptions,
): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Omit<Reply, 'ms'>) => {
      if (!done) {
        done = true;
        resolve({ ...r, ms: performance.now() - t0 });
      }
    };
    const headers: Record<string, string | number> = { ...(o.headers ?? {}) };
    if (o.body !== undefined && headers['content-length'] === undefined)
      headers['content-length'] = Buffer.byteLength(o.body);
    // The client refuses to send some bytes (spaces, non-ASCII) in a path: those go percent-encoded.
    const path = o.path.replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
    let r: ReturnType<typeof httpRequest>;
    try {
      r = req({ host: '127.0.0.1', port, method: o.method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          finish({ status: res.statusCode ?? 0, text, body: parse(text), headers: res.headers });
        });
        res.on('error', (e) => finish({ status: 0, text: e.message, body: undefined, headers: {} }));
      });
    } catch (e) {
      finish({ status: -1, text: `not sendable: ${(e as Error).message}`, body: undefined, headers: {} });
      return;
    }
    r.setTimeout(o.timeoutMs ?? 30_000, () => r.destroy(new Error('client timeout')));
    r.on('error', (e) => finish({ status: 0, text: e.message, body: undefined, headers: {} }));
    if (o.body !== undefined) r.write(o.body);
    r.end();
  });
}

export class RestClient {
  private readonly agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  /** `authorization`: the bearer token sent when a call sets none (the operator's; the fuzzer has none). */
  constructor(
    readonly ports: number[],
    private readonly authorization?: string,
  ) {}

  /** Calls API process `i` (default: round robin). */
  private next = 0;
  async call(options: CallOptions, book?: Traffic, route = options.path, portIndex?: number): Promise<Reply> {
    const port = this.ports[portIndex ?? (this.next = (this.next + 1) % this.ports.length)]!;
    const withAuth =
      this.authorization && !Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'authorization')
        ? { ...options, headers: { ...(options.headers ?? {}), authorization: this.authorization } }
        : options;
    const r = await call(httpRequest, this.agent, port, withAuth);
    if (r.status >= 0) book?.add(sampleOf(r, route));
    return r;
  }

  json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): CallOptions {
    return {
      method,
      path,
      ...(body === undefined
        ? { headers }
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Pki {
  ca: string;
  certs: Map<string, { cert: string; key: string }>;
}

export function readPki(varDir: string, saeIds: string[]): Pki {
  const dir = join(varDir, 'pki');
  const certs = new Map(
    saeIds.map((id) => [
      id,
      {
        cert: readFileSync(join(dir, 'sae', `${id}.crt`), 'utf8'),
        key: readFileSync(join(dir, 'sae', `${id}.key`), 'utf8'),
      },
    ]),
  );
  return { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), certs };
}

export class EtsiClient {
  private readonly agents = new Map<string, HttpsAgent>();
  constructor(
    readonly port: number,
    private readonly pki: Pki,
  ) {}

  /** The TLS options of `sae` ('none': no client certificate). */
  tlsOf(sae: string): { ca: string; cert?: string; key?: string; servername: string } {
    const c = this.pki.certs.get(sae);
    return { ca: this.pki.ca, servername: 'localhost', ...(c ? { cert: c.cert, key: c.key } : {}) };
  }

  agentOf(sae: string): HttpsAgent {
    let a = this.agents.get(sae);
    if (!a) {
      a = new HttpsAgent({ keepAlive: true, maxSockets: 32, ...this.tlsOf(sae) });
      this.agents.set(sae, a);
    }
    return a;
  }

  async call(sae: string, options: CallOptions, book?: Traffic, route = options.path): Promise<Reply> {
    const r = await call(httpsRequest, this.agentOf(sae), this.port, options);
    if (r.status >= 0) book?.add(sampleOf(r, route));
    return r;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
