import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openRelay, readAudit, sealAudit, verifyAudit } from '../../relay/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { fixture, type Fixture } from './relay-support.js';

const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanup();
});

/**
 * What someone with write access to Redis but without the KEK can do: edit an entry and rebuild every hash after it.
 */
async function rebuildChain(f: Fixture, prefix: string, edit: (seq: number, data: string) => string): Promise<void> {
  const entries = [];
  for await (const e of readAudit(f.redis, prefix)) entries.push(e);
  await f.redis.del(`${prefix}audit`);
  let prev = 'genesis';
  for (const e of entries) {
    const data = edit(e.seq, e.rawData);
    const hash = createHash('sha1').update(`${prev}|${e.seq}|${e.at}|${e.type}|${data}`).digest('hex');
    await f.redis.xadd(
      `${prefix}audit`,
      e.id,
      'seq',
      String(e.seq),
      'at',
      String(e.at),
      'type',
      e.type,
      'data',
      data,
      'prev',
      prev,
      'hash',
      hash,
    );
    prev = hash;
  }
  await f.redis.set(`${prefix}audit:head`, prev);
}

async function setup() {
  const f = fixture();
  fixtures.push(f);
  const core = openRelay({ config: f.config, redis: f.redis });
  for (let i = 0; i < 3; i += 1) await core.sink.deposit('graz', 43_001, 4096, { source: 'test' });
  return { f, core };
}

describe('audit seals (KEK-keyed HMAC over the chain head; real Redis)', () => {
  it('a chain rebuilt without the KEK passes the bare hash check but not the seals', async () => {
    const { f, core } = await setup();
    expect(await sealAudit(f.redis, core.prefix, core.auditSealKey, Date.now())).toBe(3);
    expect(await sealAudit(f.redis, core.prefix, core.auditSealKey, Date.now())).toBeUndefined(); // nothing new
    expect(await verifyAudit(f.redis, core.prefix, core.auditSealKey)).toMatchObject({
      ok: true,
      entries: 3,
      seals: 1,
      sealedThroughSeq: 3,
    });
    await rebuildChain(f, core.prefix, (seq, data) => (seq === 2 ? data.replace('"bits":4096', '"bits":1') : data));
    expect((await verifyAudit(f.redis, core.prefix)).ok).toBe(true);
    const v = await verifyAudit(f.redis, core.prefix, core.auditSealKey);
    expect(v.ok).toBe(false);
    expect(v.brokenAt!.reason).toBe('entry 3 differs from its seal (chain rewritten)');
  });

  it('catches truncation behind a seal, forged seals, and seals checked with another KEK', async () => {
    const { f, core } = await setup();
    await sealAudit(f.redis, core.prefix, core.auditSealKey, Date.now());
    const other = openRelay({ config: loadConfig({ ...f.env, QKDSAT_KEK: 'ab'.repeat(32) }, {}), redis: f.redis });
    expect((await verifyAudit(f.redis, core.prefix, other.auditSealKey)).brokenAt!.reason).toMatch(
      /^seal MAC does not verify/,
    );
    // Drop the last entry and point the head at the one before: the bare chain is consistent again.
    const all: { id: string; hash: string }[] = [];
    for await (const e of readAudit(f.redis, core.prefix)) all.push(e);
    await f.redis.xdel(`${core.prefix}audit`, all[2]!.id);
    await f.redis.set(`${core.prefix}audit:head`, all[1]!.hash);
    expect((await verifyAudit(f.redis, core.prefix)).ok).toBe(true);
    expect((await verifyAudit(f.redis, core.prefix, core.auditSealKey)).brokenAt!.reason).toBe(
      'a seal covers entry 3 but the chain ends at 2 (entries removed)',
    );
    const [sealId, fields] = (
      (await f.redis.xrange(`${core.prefix}audit:seals`, '-', '+')) as [string, string[]][]
    )[0]!;
    await f.redis.del(`${core.prefix}audit:seals`);
    await f.redis.xadd(
      `${core.prefix}audit:seals`,
      sealId,
      ...fields.map((v, i) => (fields[i - 1] === 'mac' ? '0'.repeat(64) : v)),
    );
    expect((await verifyAudit(f.redis, core.prefix, core.auditSealKey)).brokenAt!.reason).toMatch(
      /^seal MAC does not verify/,
    );
  });
});
