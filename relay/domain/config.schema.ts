/**
 * The `relay` section of the config file: SAEs (key consumers) per station, ground fibre links with
 * their key rates, key sizes and limits of the ETSI GS QKD 014 API, pool lifetimes, TLS paths.
 */
import { z } from 'zod';

export const SAE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const STATION_ID_PATTERN = /^[a-z0-9_-]{1,32}$/;

const SaeSchema = z.object({
  id: z.string().regex(SAE_ID_PATTERN, 'SAE IDs use only [A-Za-z0-9._-]'),
  stationId: z.string().regex(STATION_ID_PATTERN),
  description: z.string().optional(),
});

const FibreLinkSchema = z.object({
  a: z.string().regex(STATION_ID_PATTERN),
  b: z.string().regex(STATION_ID_PATTERN),
  /** Secret key rate of the (simulated) QKD link, bits per second. */
  keyRateBps: z.number().positive(),
  lengthKm: z.number().positive().optional(),
  note: z.string().optional(),
});

export const RelayConfigSchema = z
  .object({
    saes: z.array(SaeSchema).min(1),
    fibreLinks: z.array(FibreLinkSchema).default([]),
    keys: z
      .object({
        defaultKeySizeBits: z.number().int().positive().multipleOf(8).default(256),
        minKeySizeBits: z.number().int().positive().multipleOf(8).default(64),
        maxKeySizeBits: z.number().int().positive().multipleOf(8).default(1024),
        maxKeyPerRequest: z.number().int().positive().max(1024).default(128),
        maxKeyCount: z.number().int().positive().default(100_000),
        /** Pools are cut into units of this size at deposit; enc_keys of exactly this size is one Lua call. */
        segmentBits: z.number().int().positive().multipleOf(8).default(256),
        /** Lifetime of stored key material and of keys awaiting their slave. */
        ttlS: z
          .number()
          .int()
          .positive()
          .default(7 * 86_400),
        /** A reservation older than this is released (a process died between reserve and commit). */
        reservationTimeoutMs: z.number().int().positive().default(30_000),
        /**
         * Keys handed to an ETSI request are leased until its response is flushed; a lease its KME
         * never settles (the process died, Redis went away) is settled within about this plus 2 s:
         * enc_keys keys voided, dec_keys keys bound again.
         */
        leaseTimeoutMs: z.number().int().min(1000).max(600_000).default(20_000),
      })
      .default({} as never),
    /** Simulated fibre QKD: every tick each fibre link gains keyRateBps * tick bits, up to maxPoolBits. */
    fibre: z
      .object({
        tickMs: z.number().int().min(0).default(5_000),
        maxPoolBits: z.number().int().positive().default(8_000_000),
      })
      .default({} as never),
    /** Per-SAE limit: requestsPerSecond on average over windows of windowS seconds (the burst allowance). */
    rateLimit: z
      .object({
        requestsPerSecond: z.number().int().positive().default(200),
        windowS: z.number().int().positive().max(3600).default(1),
      })
      .default({} as never),
    /** Maximum ETSI request body, bytes. */
    maxBodyBytes: z.number().int().positive().default(65_536),
    /** POST /v1/admin/deposits (simulated passes for demos and tests). */
    adminDeposits: z.boolean().default(true),
    /** Production certificates; when absent a development PKI is generated under var/pki/. */
    tls: z.object({ caFile: z.string(), certFile: z.string(), keyFile: z.string() }).optional(),
  })
  .superRefine((c, ctx) => {
    const k = c.keys;
    if (!(k.minKeySizeBits <= k.defaultKeySizeBits && k.defaultKeySizeBits <= k.maxKeySizeBits)) {
      ctx.addIssue({
        code: 'custom',
        path: ['keys'],
        message: 'need minKeySizeBits <= defaultKeySizeBits <= maxKeySizeBits',
      });
    }
    const seen = new Set<string>();
    c.saes.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['saes', i, 'id'], message: `duplicate SAE ID ${s.id}` });
      seen.add(s.id);
    });
    c.fibreLinks.forEach((l, i) => {
      if (l.a === l.b)
        ctx.addIssue({ code: 'custom', path: ['fibreLinks', i], message: 'a fibre link joins two different stations' });
    });
  });

export type RelayConfig = z.infer<typeof RelayConfigSchema>;
