/**
 * Configuration: one zod schema for the environment and one for the config file, read once at
 * boot. This module is the only reader of process.env. Components parse their own sections of the
 * file (`stations`, `relay`, `scheduler`, ...) with their own schemas in compose.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const port = z.coerce.number().int().min(0).max(65535);

export const EnvSchema = z.object({
  PORT: port.default(8080),
  KME_PORT: port.default(8443),
  /** Address the REST API (and KME) bind to; 0.0.0.0 to serve other machines. */
  HOST: z.string().default('127.0.0.1'),
  /**
   * Open Prometheus endpoints (GET /metrics) of the API, KME and worker processes; 0 turns one off.
   * Children n of `npm start` use port + n.
   */
  METRICS_PORT: port.default(9464),
  KME_METRICS_PORT: port.default(9465),
  WORKER_METRICS_PORT: port.default(9466),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QKDSAT_CONFIG: z.string().default(resolve(REPO_ROOT, 'config/demo.json')),
  QKDSAT_VAR_DIR: z.string().default(resolve(REPO_ROOT, 'var')),
  QKDSAT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/)
    .default('{qkdsat}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `real`, or `simulated` (accelerated): see src/platform/clock.ts. Unset: the config file's `clock`, else real. */
  QKDSAT_CLOCK: z.enum(['real', 'simulated']).optional(),
  QKDSAT_CLOCK_START: z.string().datetime({ offset: true }).optional(),
  QKDSAT_CLOCK_SPEED: z.coerce.number().positive().optional(),
  /** Hex AES-256 key-encryption key for key pools; when absent one is generated under var/. */
  QKDSAT_KEK: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/)
    .optional(),
  /** Bearer token of role admin (deposits, queue overview); when unset one is generated in var/admin-token. */
  QKDSAT_ADMIN_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,512}$/, 'expected 16-512 printable ASCII characters (no spaces)')
    .optional(),
  /** Bearer token of role planner (plans, bookings, stations, satellites, relays); else var/planner-token. */
  QKDSAT_PLANNER_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,512}$/, 'expected 16-512 printable ASCII characters (no spaces)')
    .optional(),
  /** Bearer token of role viewer (reads); else var/viewer-token. */
  QKDSAT_VIEWER_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,512}$/, 'expected 16-512 printable ASCII characters (no spaces)')
    .optional(),
  /** Compute threads of the API process (pass finding, planning, simulations); default cores - 1 (1..4). */
  QKDSAT_COMPUTE_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** BullMQ worker processes (`src/worker.ts`) that `npm start` runs as children; 0 when they run apart. */
  QKDSAT_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** KME processes (`src/kme.ts`, the ETSI 014 server) that `npm start` runs as children; 0 when they run apart. */
  QKDSAT_KMES: z.coerce.number().int().min(0).max(16).default(1),
  /** Start redis-server as a child when nothing answers at REDIS_URL (npm start). */
  QKDSAT_SPAWN_REDIS: z.enum(['auto', 'never']).default('auto'),
});
export type Env = z.infer<typeof EnvSchema>;

/** The config file: top-level sections, each validated by its owner. Paths are relative to the file. */
export const ConfigFileSchema = z
  .object({
    catalog: z.object({ tleFiles: z.array(z.string()).default([]), stationsFile: z.string() }).optional(),
    /** Default clock when QKDSAT_CLOCK is unset (the demo runs at its catalog's epoch). */
    clock: z
      .object({
        mode: z.enum(['real', 'simulated']),
        start: z.string().datetime({ offset: true }).optional(),
        speed: z.number().positive().default(1440),
      })
      .optional(),
  })
  .passthrough();
export type ConfigFile = z.infer<typeof ConfigFileSchema> & Record<string, unknown>;

export interface Config {
  env: Env;
  file: ConfigFile;
  /** Directory of the config file: relative paths inside it resolve against this. */
  configDir: string;
}

function formatIssues(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`).join('; ');
}

/** Reads and validates the configuration once. Tests pass `overrides` instead of touching process.env. */
export function loadConfig(
  overrides: Partial<Record<keyof Env, string>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const parsedEnv = EnvSchema.safeParse({ ...env, ...overrides });
  if (!parsedEnv.success)
    throw new QkdsatError('VALIDATION', `invalid environment: ${formatIssues(parsedEnv.error, 'env')}`);
  const path = resolve(parsedEnv.data.QKDSAT_CONFIG);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new QkdsatError('VALIDATION', `cannot read config file ${path}: ${(e as Error).message}`);
  }
  const parsedFile = ConfigFileSchema.safeParse(raw);
  if (!parsedFile.success)
    throw new QkdsatError('VALIDATION', `invalid config file ${path}: ${formatIssues(parsedFile.error, 'config')}`);
  return { env: parsedEnv.data, file: parsedFile.data as ConfigFile, configDir: dirname(path) };
}

/** Parses one section of the config file with its owner's schema; errors name the section path. */
export function configSection<S extends z.ZodType>(config: Config, name: string, schema: S): z.infer<S> {
  const parsed = schema.safeParse((config.file as Record<string, unknown>)[name]);
  if (!parsed.success)
    throw new QkdsatError('VALIDATION', `invalid config section: ${formatIssues(parsed.error, name)}`);
  return parsed.data;
}
