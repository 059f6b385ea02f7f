/**
 * Development PKI (never for production, which configures relay.tls): a CA, a server certificate
 * for 127.0.0.1 and localhost, and one client certificate per configured SAE (CN = SAE ID), under
 * `<var>/pki/` as ca.crt, server.crt, server.key, sae/<SAE_ID>.crt, sae/<SAE_ID>.key. Existing files
 * are kept; missing SAE certificates are added. RSA keys come from node:crypto (fast, native);
 * node-forge builds and signs the certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface Pem {
  cert: string;
  key: string;
}

function rsaKeys(): { forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function baseCert(publicKey: forge.pki.rsa.PublicKey, cn: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  cert.setSubject([
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'qkdsat development' },
  ]);
  return cert;
}

export function createCa(cn = 'qkdsat development CA'): Pem {
  const k = rsaKeys();
  const cert = baseCert(k.publicKey, cn, 3650);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(k.forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: k.pem };
}

/** A leaf certificate signed by `ca`: `server` gets SANs 127.0.0.1 and localhost, `client` CN = id. */
export function issueCert(ca: Pem, cn: string, role: 'server' | 'client', days = 825): Pem {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const k = rsaKeys();
  const cert = baseCert(k.publicKey, cn, days);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: role === 'server', clientAuth: role === 'client' },
    ...(role === 'server'
      ? [
          {
            name: 'subjectAltName',
            altNames: [
              { type: 7, ip: '127.0.0.1' },
              { type: 2, value: 'localhost' },
            ],
          },
        ]
      : [{ name: 'subjectAltName', altNames: [{ type: 2, value: cn }] }]),
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: k.pem };
}

function writeSecret(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
}

export interface DevPki {
  dir: string;
  ca: string;
  server: Pem;
  created: string[];
}

/** Makes sure the development PKI exists under `<varDir>/pki` for these SAEs; returns the server side. */
export function ensureDevPki(varDir: string, saeIds: readonly string[]): DevPki {
  const dir = join(varDir, 'pki');
  mkdirSync(join(dir, 'sae'), { recursive: true, mode: 0o700 });
  const created: string[] = [];
  const caCrt = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  if (!existsSync(caCrt) || !existsSync(caKey)) {
    const ca = createCa();
    writeFileSync(caCrt, ca.cert);
    writeSecret(caKey, ca.key);
    created.push(caCrt);
  }
  const ca: Pem = { cert: readFileSync(caCrt, 'utf8'), key: readFileSync(caKey, 'utf8') };
  const srvCrt = join(dir, 'server.crt');
  const srvKey = join(dir, 'server.key');
  if (created.length || !existsSync(srvCrt) || !existsSync(srvKey)) {
    const s = issueCert(ca, 'localhost', 'server');
    writeFileSync(srvCrt, s.cert);
    writeSecret(srvKey, s.key);
    created.push(srvCrt);
  }
  for (const id of saeIds) {
    const crt = join(dir, 'sae', `${id}.crt`);
    const key = join(dir, 'sae', `${id}.key`);
    if (created.includes(caCrt) || !existsSync(crt) || !existsSync(key)) {
      const c = issueCert(ca, id, 'client');
      writeFileSync(crt, c.cert);
      writeSecret(key, c.key);
      created.push(crt);
    }
  }
  return {
    dir,
    ca: ca.cert,
    server: { cert: readFileSync(srvCrt, 'utf8'), key: readFileSync(srvKey, 'utf8') },
    created,
  };
}
