import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevPki } from '../../relay/adapters/pki.js';

describe('development PKI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qkdsat-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates exactly the contract files under var/pki, usable by curl and ETSI clients', () => {
    const pki = ensureDevPki(dir, ['sae-graz-a', 'sae-matera-a']);
    for (const f of [
      'ca.crt',
      'server.crt',
      'server.key',
      'sae/sae-graz-a.crt',
      'sae/sae-graz-a.key',
      'sae/sae-matera-a.crt',
      'sae/sae-matera-a.key',
    ]) {
      expect(existsSync(join(dir, 'pki', f)), f).toBe(true);
    }
    expect(statSync(join(dir, 'pki', 'server.key')).mode & 0o077).toBe(0);
    expect(statSync(join(dir, 'pki', 'sae', 'sae-graz-a.key')).mode & 0o077).toBe(0);
    const ca = new X509Certificate(pki.ca);
    const server = new X509Certificate(pki.server.cert);
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.verify(ca.publicKey)).toBe(true);
    const client = new X509Certificate(readFileSync(join(dir, 'pki', 'sae', 'sae-graz-a.crt')));
    expect(client.subject).toContain('CN=sae-graz-a');
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.checkIssued(ca)).toBe(true);
    // A second start keeps what exists and adds only new SAEs.
    const again = ensureDevPki(dir, ['sae-graz-a', 'sae-matera-a', 'sae-ottawa-a']);
    expect(again.created).toEqual([join(dir, 'pki', 'sae', 'sae-ottawa-a.crt')]);
    expect(again.ca).toBe(pki.ca);
  });
});
