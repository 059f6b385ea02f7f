/**
 * ETSI GS QKD 014 key delivery over HTTPS with mutual TLS, on its own port. The caller's SAE ID is
 * the verified client certificate's CN, looked up in the configured allow-list; anything else gets
 * a JSON 401. Plain node:https (no framework) so that every byte of every answer is ours: exact
 * messages, a JSON body on every error, `Cache-Control: no-store` everywhere, never a 500 for input.
 *
 * Delivery: each enc_keys/dec_keys request is one script call under a fresh operation ID, whose
 * keys stay leased until the response is flushed to the socket ('finish': the lease settles as
 * sent and the audit says `deliver`) or the socket closes first (settles as unsent: enc_keys keys
 * are voided, dec_keys keys are bound again so the slave can ask anew). Over the per-SAE rate
 * limit the answer is 503 with Retry-After (ETSI GS QKD 014 defines 200, 400, 401 and 503 only).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { newOpId } from '../../src/platform/lua.js';
import type { Logger } from '../../src/platform/logger.js';
import { SAE_ID_PATTERN, type RelayConfig } from '../domain/config.schema.js';
import { KeyIntegrityError } from '../domain/integrity.js';
import { zeroiseAll } from '../domain/key-material.js';
import type { DeliveredKey, KmeService } from '../adapters/kme.service.js';
import type { LeaseSettler } from '../adapters/lease-settler.js';
import type { LeaseRecord } from '../adapters/kme-leases.redis.js';
import { m as metrics } from '../../src/platform/metrics.js';
import { EtsiError, etsiErrorOf, MSG, parseDecRequest, parseEncRequest, ROUTE_EXTENSION } from './etsi.requests.js';

export interface KmeTls {
  ca: string;
  cert: string;
  key: string;
}

export interface KmeServerDeps {
  config: RelayConfig;
  kme: KmeService;
  logger: Logger;
  tls: KmeTls;
  settler: LeaseSettler;
}

const PATH = /^\/api\/v1\/keys\/([^/]+)\/(status|enc_keys|dec_keys)$/;

const callerCache = new WeakMap<TLSSocket, string | null>();

/** The SAE ID of a verified client certificate in the allow-list, else undefined. */
function callerOf(socket: TLSSocket, saes: Map<string, string>): string | undefined {
  let id = callerCache.get(socket);
  if (id === undefined) {
    id = null;
    if (socket.authorized) {
      const cn = socket.getPeerCertificate()?.subject?.CN;
      if (typeof cn === 'string' && SAE_ID_PATTERN.test(cn) && saes.has(cn)) id = cn;
    }
    callerCache.set(socket, id);
  }
  return id ?? undefined;
}

/** Writes the whole response in one socket write (node joins the header and a string body: one TLS record). */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Metrics: keys and bits of a leased response by SAE pair, route and outcome. */
function countKeys(lease: LeaseRecord, bits: number, outcome: 'sent' | 'unsent'): void {
  const labels = {
    master: lease.master,
    slave: lease.slave,
    route: lease.side === 'master' ? 'enc_keys' : 'dec_keys',
    outcome,
  };
  metrics.etsiKeys.inc(labels, lease.keyIds.length);
  metrics.etsiBits.inc(labels, bits);
}

/** Sends keys under a lease and reports to the settler whether the response left the process. */
function sendLeased(
  res: ServerResponse,
  settler: LeaseSettler,
  opId: string,
  lease: LeaseRecord,
  body: unknown,
  bits: number,
): void {
  if (res.destroyed || res.socket?.destroyed) {
    settler.add(opId, 'unsent', lease);
    countKeys(lease, bits, 'unsent');
    return;
  }
  let flushed = false;
  res.once('finish', () => {
    flushed = true;
    settler.add(opId, 'sent', lease);
    countKeys(lease, bits, 'sent');
  });
  res.once('close', () => {
    if (!flushed) {
      settler.add(opId, 'unsent', lease);
      countKeys(lease, bits, 'unsent');
    }
  });
  send(res, 200, body);
}

interface RequestTarget {
  pathname: string;
  query: string;
}

/** Path and query of the request target (no URL object per request: this is the hot path). */
function targetOf(raw: string): RequestTarget {
  const q = raw.indexOf('?');
  return q < 0 ? { pathname: raw, query: '' } : { pathname: raw.slice(0, q), query: raw.slice(q + 1) };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new EtsiError(400, `request body exceeds ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new EtsiError(400, `request body exceeds ${limit} bytes`);
  const text = await readBody(req, limit);
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new EtsiError(400, 'request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new EtsiError(400, 'request body shall be a JSON object');
  return v as Record<string, unknown>;
}

function container(keys: DeliveredKey[], route?: string): unknown {
  const out = {
    keys: keys.map((k) => ({ key_ID: k.keyId, key: k.material.toBase64() })),
    ...(route ? { key_container_extension: { [ROUTE_EXTENSION]: route } } : {}),
  };
  zeroiseAll(...keys.map((k) => k.material));
  return out;
}

export function createKmeServer({ config, kme, logger, tls, settler }: KmeServerDeps): Server {
  const retryAfter = String(config.rateLimit.windowS);
  // The caller's logger already names the component (startKme): one `component` per line.
  const log = logger;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    caller: string,
    url: RequestTarget,
  ): Promise<number> {
    const m = PATH.exec(url.pathname);
    if (!m) throw new EtsiError(404, 'not found');
    const [, rawId, op] = m as unknown as [string, string, 'status' | 'enc_keys' | 'dec_keys'];
    const method = req.method ?? 'GET';
    if (method !== 'GET' && !(method === 'POST' && op !== 'status')) throw new EtsiError(405, 'method not allowed');
    let other: string;
    try {
      other = decodeURIComponent(rawId);
    } catch {
      throw new EtsiError(400, 'SAE ID in the path is malformed');
    }
    const role = op === 'dec_keys' ? 'master_SAE_ID' : 'slave_SAE_ID';
    if (!SAE_ID_PATTERN.test(other) || !kme.stationOf(other)) throw new EtsiError(400, `${role}: unknown SAE ID`);
    if (other === caller) throw new EtsiError(400, `${role}: shall differ from the caller's SAE ID`);
    const body =
      method === 'POST' ? await jsonBody(req, config.maxBodyBytes) : Object.fromEntries(new URLSearchParams(url.query));
    if (op === 'status') {
      send(res, 200, await kme.status(caller, other));
      return 0;
    }
    const opId = newOpId();
    if (op === 'enc_keys') {
      const r = parseEncRequest(body, config.keys);
      const out = await kme.encKeys(caller, other, r.number, r.size, r.route, opId);
      const bits = out.keys.reduce((n, k) => n + k.material.lengthBits, 0);
      sendLeased(res, settler, opId, out.lease, container(out.keys, out.route), bits);
      return out.keys.length;
    }
    const ids = parseDecRequest(body, config.keys, method === 'GET');
    const out = await kme.decKeys(other, caller, ids, opId);
    const bits = out.keys.reduce((n, k) => n + k.material.lengthBits, 0);
    sendLeased(res, settler, opId, out.lease, container(out.keys), bits);
    return out.keys.length;
  }

  const server = createServer(
    { ca: tls.ca, cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    (req, res) => {
      const started = process.hrtime.bigint();
      const caller = callerOf(req.socket as TLSSocket, kme.saeStation);
      const url = targetOf(req.url ?? '/');
      const done = (status: number, keys: number) => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const route = PATH.exec(url.pathname)?.[2] ?? 'other';
        metrics.etsiRequests.inc({ route, status });
        metrics.etsiDuration.observe({ route, status }, ms / 1000);
        log.info(
          { sae: caller ?? null, method: req.method, path: url.pathname, status, keyCount: keys, ms },
          'etsi request',
        );
      };
      if (!caller) {
        req.resume();
        send(res, 401, { message: MSG.unauthorized });
        done(401, 0);
        return;
      }
      handle(req, res, caller, url)
        .then((n) => done(200, n))
        .catch((e: unknown) => {
          const etsi = etsiErrorOf(e);
          if (!etsi) log.error({ err: e, path: url.pathname }, 'etsi request failed');
          // Record IDs, pools and sizes, picked field by field: nothing else of the error reaches the log.
          if (e instanceof KeyIntegrityError) {
            const voided = e.voided.map(({ id, pool, bits }) => ({ id, pool, bits }));
            log.error(
              { sae: caller, path: url.pathname, voided },
              'stored key material failed its integrity check and was voided',
            );
          }
          // Anything unexpected is logged above and answered 503 (the only server error ETSI GS QKD 014 defines).
          const status = etsi?.status ?? 503;
          req.resume();
          if (!res.headersSent) {
            send(
              res,
              status,
              { message: etsi?.message ?? 'internal error', ...(etsi?.details ? { details: etsi.details } : {}) },
              status === 503 ? { 'retry-after': etsi?.retryAfterS ? String(etsi.retryAfterS) : retryAfter } : {},
            );
          }
          done(status, 0);
        });
    },
  );
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.on('tlsClientError', () => undefined);
  return server;
}
