/**
 * Access control of the REST API: bearer tokens with roles viewer < planner < admin, and a rate
 * limit per token. Every `api.route` declares the role it needs (default: GET viewer, anything
 * else planner); reads are open without a token when `auth.openReads` is set (the demo default).
 * Tokens are compared in constant time (SHA-256 of both sides, timingSafeEqual, every configured
 * token tried), never logged; failures are 401 (no or unknown token) or 403 (role too low)
 * problem+json naming `headers.authorization`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';

export const ROLES = ['viewer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const rank = (r: Role) => ROLES.indexOf(r);

/** The `auth` section of the config file. */
export const AuthConfigSchema = z
  .object({
    /** Reads (role viewer) need no token. The demo sets it; the default is off. */
    openReads: z.boolean().default(false),
    /** More tokens besides the three of the environment: name, role and the SHA-256 (hex) of the token. */
    tokens: z
      .array(
        z.object({
          name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
          role: z.enum(ROLES),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256 of the token'),
        }),
      )
      .default([]),
    /** Requests per second per token (per client address without a token), averaged over windowS. */
    rateLimit: z
      .object({ requestsPerSecond: z.number().positive().default(50), windowS: z.number().int().positive().default(1) })
      .prefault({}),
  })
  .prefault({});
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

export interface Principal {
  name: string;
  role: Role;
}
interface Known {
  name: string;
  role: Role;
  digest: Buffer;
}

export interface AuthOptions {
  config: AuthConfig;
  /** Tokens from the environment (or generated under var/): QKDSAT_VIEWER_TOKEN, _PLANNER_, _ADMIN_. */
  tokens: { viewer: string; planner: string; admin: string };
  /** Shared rate-limit counters across API processes; per-process memory when absent. */
  rateLimitStore?: { redis: Redis; keyPrefix: string };
}

export type Authorize = (req: Request, res: Response, role: Role) => Promise<Principal | undefined>;

/** How long the REST rate limit waits for Redis before letting a request go on without a verdict. */
const SHARED_LIMIT_WAIT_MS = 150;

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function createAuth(options: AuthOptions): Authorize {
  const known: Known[] = [
    ...(['viewer', 'planner', 'admin'] as const).map((role) => ({
      name: role,
      role,
      digest: sha(options.tokens[role]),
    })),
    ...options.config.tokens.map((t) => ({ name: t.name, role: t.role, digest: Buffer.from(t.sha256, 'hex') })),
  ];
  const { requestsPerSecond, windowS } = options.config.rateLimit;
  const points = Math.max(1, Math.round(requestsPerSecond * windowS));
  // One count for all API processes in Redis. When Redis does not answer within
  // SHARED_LIMIT_WAIT_MS (stopped, paused, failing over), the request goes on without a verdict: it
  // needs Redis itself and answers 503 within a second; the count resumes when Redis answers.
  // Without a Redis store (tests, tools), this process counts.
  const limiter: RateLimiterAbstract = options.rateLimitStore
    ? new RateLimiterRedis({
        storeClient: options.rateLimitStore.redis,
        keyPrefix: options.rateLimitStore.keyPrefix,
        points,
        duration: windowS,
      })
    : new RateLimiterMemory({ points, duration: windowS });
  const consume = (key: string): Promise<unknown> => {
    if (!options.rateLimitStore) return limiter.consume(key);
    const verdict = limiter.consume(key).catch((e: unknown) => {
      if (e instanceof RateLimiterRes) throw e;
    });
    verdict.catch(() => undefined); // a verdict arriving after the wait is moot
    return Promise.race([verdict, new Promise((r) => setTimeout(r, SHARED_LIMIT_WAIT_MS).unref())]);
  };

  const identify = (header: string | undefined): Principal | 'missing' | 'invalid' => {
    const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
    if (!m) return header ? 'invalid' : 'missing';
    const given = sha(m[1]!);
    let found: Known | undefined;
    for (const k of known) if (timingSafeEqual(given, k.digest) && !found) found = k;
    return found ? { name: found.name, role: found.role } : 'invalid';
  };

  return async (req, res, role) => {
    const who = identify(req.get('authorization'));
    if (typeof who === 'string') {
      if (!(role === 'viewer' && options.config.openReads && who === 'missing')) {
        const message =
          who === 'missing'
            ? `this route needs a ${role} token (Authorization: Bearer <token>)`
            : 'unknown bearer token';
        res.set(
          'WWW-Authenticate',
          who === 'missing' ? 'Bearer realm="qkdsat"' : 'Bearer realm="qkdsat", error="invalid_token"',
        );
        throw new QkdsatError('UNAUTHORIZED', `headers.authorization: ${message}`, [
          { path: ['headers', 'authorization'], message },
        ]);
      }
    } else if (rank(who.role) < rank(role)) {
      const message = `token '${who.name}' has role ${who.role}; this route needs ${role}`;
      throw new QkdsatError('FORBIDDEN', `headers.authorization: ${message}`, [
        { path: ['headers', 'authorization'], message },
      ]);
    }
    const key = typeof who === 'string' ? `ip:${req.ip ?? 'unknown'}` : `token:${who.name}`;
    try {
      await consume(key);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      res.set('Retry-After', String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))));
      const caller = typeof who === 'string' ? 'this client' : `token '${who.name}'`;
      throw new QkdsatError('RATE_LIMITED', `more than ${requestsPerSecond} requests per second for ${caller}`, [
        { path: ['headers', 'authorization'], message: 'rate limit exceeded' },
      ]);
    }
    return typeof who === 'string' ? undefined : who;
  };
}

/** The access control as express middleware, for surfaces outside `Api.route` (Bull Board, GET /metrics). */
export const roleGuard =
  (authorize: Authorize, role: Role): RequestHandler =>
  (req, res, next) => {
    authorize(req, res, role).then(() => next(), next);
  };
