import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import tls from 'node:tls';
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ensureCertificates, describeCertificate } from '../src/certs/ensure-certificates.ts';
import type { DevCertificates } from '../src/certs/ensure-certificates.ts';
import { leafProblem } from '../src/certs/check-certificates.ts';
import { importSigningKey, privateKeyToPkcs8Pem } from '../src/certs/ec-keys.ts';
import { x509, x509Crypto } from '../src/certs/x509.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const FILES = ['ca-key.pem', 'ca.pem', 'localhost-key.pem', 'localhost.pem'];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-certs-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

interface RunningServer {
  port: number;
  close: () => Promise<void>;
}

/** A real HTTPS server with the generated leaf; undefined when the host has no such address (e.g. no IPv6). */
async function startServer(certs: DevCertificates, host: string): Promise<RunningServer | undefined> {
  const server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (_req, res) => res.end('ok'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return undefined;
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Handshake {
  peer: tls.PeerCertificate;
  identitiesChecked: string[];
}

/** Connects with full verification and records which names Node checked the certificate against. */
function handshake(options: tls.ConnectionOptions): Promise<Handshake> {
  const identitiesChecked: string[] = [];
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      ...options,
      checkServerIdentity: (host, cert) => {
        identitiesChecked.push(host);
        return tls.checkServerIdentity(host, cert);
      },
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      socket.end();
      resolve({ peer, identitiesChecked });
    });
    socket.once('error', reject);
  });
}

function httpsGet(options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(options, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .once('error', reject);
  });
}

type CodedError = Error & { code?: string };

async function rejectionOf(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (error) {
    return error as CodedError;
  }
  throw new Error('expected the call to fail');
}

const UNTRUSTED_CODES = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
];

describe('ensureCertificates: first start and reuse', () => {
  it('creates CA and leaf on first call and reuses both afterwards', async () => {
    const first = await ensureCertificates(dir);
    expect(first.created).toEqual({ ca: true, leaf: true });
    expect(first.caCertPath).toBe(path.join(dir, 'ca.pem'));
    expect(path.isAbsolute(first.caCertPath)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(FILES); // no temp files left behind
    expect(read('ca.pem')).toBe(first.caPem);
    expect(read('localhost.pem')).toBe(first.certPem);
    expect(read('localhost-key.pem')).toBe(first.keyPem);
    expect(first.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    const second = await ensureCertificates(dir);
    expect(second.created).toEqual({ ca: false, leaf: false });
    expect(fingerprint(second.caPem)).toBe(fingerprint(first.caPem));
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('accepts a relative directory and reports an absolute CA path', async () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'nested', 'certs'));
    const certs = await ensureCertificates(relative);
    expect(certs.caCertPath).toBe(path.join(dir, 'nested', 'certs', 'ca.pem'));
  });

  it('issues a CA and a leaf with the intended profile', async () => {
    const now = new Date();
    const certs = await ensureCertificates(dir, { now });
    const ca = new x509.X509Certificate(certs.caPem);
    const leaf = new x509.X509Certificate(certs.certPem);

    expect(ca.subject).toMatch(/^CN=MCP Lab Development CA \(.+ [0-9a-f]{6}\), O=MCP x Entra ID Lab \(local development only\)$/);
    const caBasic = ca.getExtension(x509.BasicConstraintsExtension);
    expect(caBasic).toMatchObject({ ca: true, pathLength: 0, critical: true });
    const caUsage = ca.getExtension(x509.KeyUsagesExtension);
    expect(caUsage?.critical).toBe(true);
    expect(caUsage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const caSki = ca.getExtension(x509.SubjectKeyIdentifierExtension);
    expect(caSki?.keyId).toMatch(/^[0-9a-f]+$/);
    expect(ca.notBefore.getTime()).toBeLessThan(now.getTime());
    expect(ca.notAfter.getUTCFullYear() - ca.notBefore.getUTCFullYear()).toBe(10);
    // 16 bytes, positive: first byte below 0x80 so no sign byte is needed.
    expect(ca.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);

    expect(leaf.subject).toBe('CN=localhost');
    expect(leaf.issuer).toBe(ca.subject);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const leafUsage = leaf.getExtension(x509.KeyUsagesExtension);
    expect(leafUsage).toMatchObject({ usages: x509.KeyUsageFlags.digitalSignature, critical: true });
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caSki?.keyId);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();
    expect(new X509Certificate(certs.certPem).subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(leaf.notBefore.getTime()).toBeLessThan(now.getTime());
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBeLessThanOrEqual(397 * DAY_MS);
    expect(leaf.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
  });

  it('describes a certificate for doctor/trust', async () => {
    const certs = await ensureCertificates(dir);
    const description = describeCertificate(certs.caPem);
    expect(description.subject).toMatch(/^CN=MCP Lab Development CA .*, O=MCP x Entra ID Lab/);
    expect(description.fingerprintSha256).toBe(fingerprint(certs.caPem));
    expect(description.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(description.notAfter).toEqual(new X509Certificate(certs.caPem).validToDate);
  });

  it.skipIf(process.platform === 'win32')('writes private keys with mode 0600', async () => {
    await ensureCertificates(dir);
    expect(fs.statSync(path.join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'localhost-key.pem')).mode & 0o777).toBe(0o600);

    // A regenerated key is protected too, not only the first one.
    fs.writeFileSync(path.join(dir, 'localhost.pem'), 'garbage');
    await ensureCertificates(dir);
    expect(fs.statSync(path.join(dir, 'localhost-key.pem')).mode & 0o777).toBe(0o600);
  });
});

describe('ensureCertificates: real TLS', () => {
  it('serves HTTPS on 127.0.0.1 that verifies against the CA for localhost and 127.0.0.1', async () => {
    const certs = await ensureCertificates(dir);
    const server = await startServer(certs, '127.0.0.1');
    if (!server) throw new Error('cannot listen on 127.0.0.1');
    try {
      const byName = await handshake({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: certs.caPem });
      expect(byName.identitiesChecked).toEqual(['localhost']);
      expect(byName.peer.subject.CN).toBe('localhost');

      // No servername: Node checks the certificate against the IP itself.
      const byIp = await handshake({ host: '127.0.0.1', port: server.port, ca: certs.caPem });
      expect(byIp.identitiesChecked).toEqual(['127.0.0.1']);

      for (const name of ['localhost', '127.0.0.1', '::1']) {
        expect(tls.checkServerIdentity(name, byName.peer)).toBeUndefined();
      }
      expect(tls.checkServerIdentity('example.com', byName.peer)).toBeInstanceOf(Error);

      const body = await httpsGet({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: certs.caPem, path: '/' });
      expect(body).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('serves HTTPS on ::1 that verifies against the CA for ::1', async (ctx) => {
    const certs = await ensureCertificates(dir);
    const server = await startServer(certs, '::1');
    if (!server) {
      ctx.skip('this machine has no IPv6 loopback');
      return;
    }
    try {
      const byIp = await handshake({ host: '::1', port: server.port, ca: certs.caPem });
      expect(byIp.identitiesChecked).toEqual(['::1']);
      const byName = await handshake({ host: '::1', port: server.port, servername: 'localhost', ca: certs.caPem });
      expect(byName.identitiesChecked).toEqual(['localhost']);
    } finally {
      await server.close();
    }
  });

  it('is rejected as untrusted when the client does not know the CA', async () => {
    const certs = await ensureCertificates(dir);
    const server = await startServer(certs, '127.0.0.1');
    if (!server) throw new Error('cannot listen on 127.0.0.1');
    try {
      const error = await rejectionOf(handshake({ host: '127.0.0.1', port: server.port, servername: 'localhost' }));
      expect(UNTRUSTED_CODES).toContain(error.code);
    } finally {
      await server.close();
    }
  });

  it('keeps serving a trusted chain after the leaf is regenerated under the same CA', async () => {
    const first = await ensureCertificates(dir);
    fs.writeFileSync(path.join(dir, 'localhost.pem'), 'not a certificate');
    const second = await ensureCertificates(dir);
    expect(second.created).toEqual({ ca: false, leaf: true });

    const server = await startServer(second, '127.0.0.1');
    if (!server) throw new Error('cannot listen on 127.0.0.1');
    try {
      // The learner trusted first.caPem once; that must still be enough.
      const result = await handshake({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: first.caPem });
      expect(result.peer.fingerprint256).toBe(fingerprint(second.certPem));
    } finally {
      await server.close();
    }
  });
});

describe('ensureCertificates: renewal', () => {
  it('regenerates a leaf that expires within 30 days and keeps the CA', async () => {
    const first = await ensureCertificates(dir);
    const later = new Date(Date.now() + 390 * DAY_MS);
    const renewed = await ensureCertificates(dir, { now: later });
    expect(renewed.created).toEqual({ ca: false, leaf: true });
    expect(fingerprint(renewed.caPem)).toBe(fingerprint(first.caPem));
    expect(renewed.certPem).not.toBe(first.certPem);

    const leaf = new X509Certificate(renewed.certPem);
    expect(leaf.verify(new X509Certificate(first.caPem).publicKey)).toBe(true);
    expect(leaf.validToDate.getTime()).toBeGreaterThan(later.getTime() + 30 * DAY_MS);
    expect(leaf.validFromDate.getTime()).toBeLessThan(later.getTime());

    const again = await ensureCertificates(dir, { now: later });
    expect(again.created).toEqual({ ca: false, leaf: false });
  });

  it('regenerates both when the CA expires within 30 days', async () => {
    const first = await ensureCertificates(dir);
    const caExpiry = new X509Certificate(first.caPem).validToDate;
    const renewed = await ensureCertificates(dir, { now: new Date(caExpiry.getTime() - 10 * DAY_MS) });
    expect(renewed.created).toEqual({ ca: true, leaf: true });
    expect(fingerprint(renewed.caPem)).not.toBe(fingerprint(first.caPem));
  });

  it('regenerates a corrupted leaf and keeps the CA', async () => {
    const first = await ensureCertificates(dir);
    fs.writeFileSync(path.join(dir, 'localhost.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n');
    const second = await ensureCertificates(dir);
    expect(second.created).toEqual({ ca: false, leaf: true });
    expect(second.caPem).toBe(first.caPem);
    expect(read('localhost.pem')).toBe(second.certPem);
  });

  it('regenerates the leaf when its key file is missing or belongs to another certificate', async () => {
    await ensureCertificates(dir);
    fs.rmSync(path.join(dir, 'localhost-key.pem'));
    expect((await ensureCertificates(dir)).created).toEqual({ ca: false, leaf: true });

    // What a crash between writing the key and the certificate would leave.
    fs.copyFileSync(path.join(dir, 'ca-key.pem'), path.join(dir, 'localhost-key.pem'));
    const repaired = await ensureCertificates(dir);
    expect(repaired.created).toEqual({ ca: false, leaf: true });
    expect(new X509Certificate(repaired.certPem).checkPrivateKey(createPrivateKey(repaired.keyPem))).toBe(true);
  });

  it('regenerates a leaf signed by a different CA', async () => {
    const first = await ensureCertificates(dir);
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-certs-other-'));
    try {
      const other = await ensureCertificates(otherDir);
      fs.writeFileSync(path.join(dir, 'localhost.pem'), other.certPem);
      fs.writeFileSync(path.join(dir, 'localhost-key.pem'), other.keyPem);
      const repaired = await ensureCertificates(dir);
      expect(repaired.created).toEqual({ ca: false, leaf: true });
      expect(new X509Certificate(repaired.certPem).verify(new X509Certificate(first.caPem).publicKey)).toBe(true);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('regenerates a leaf that lacks one of the SANs', async () => {
    const first = await ensureCertificates(dir);
    const stale = await issueLeafWithoutIpv6(first.caPem, read('ca-key.pem'));
    expect(leafProblem(stale.certPem, stale.keyPem, first.caPem, new Date())).toBe('no subjectAltName for ::1');
    fs.writeFileSync(path.join(dir, 'localhost.pem'), stale.certPem);
    fs.writeFileSync(path.join(dir, 'localhost-key.pem'), stale.keyPem);

    const repaired = await ensureCertificates(dir);
    expect(repaired.created).toEqual({ ca: false, leaf: true });
    expect(new X509Certificate(repaired.certPem).checkIP('::1')).toBe('::1');
  });

  it('regenerates both when the CA file is corrupted', async () => {
    const first = await ensureCertificates(dir);
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'corrupted');
    const second = await ensureCertificates(dir);
    expect(second.created).toEqual({ ca: true, leaf: true });
    expect(read('ca.pem')).toBe(second.caPem);
    expect(fingerprint(second.caPem)).not.toBe(fingerprint(first.caPem));
    expect(new X509Certificate(second.certPem).verify(new X509Certificate(second.caPem).publicKey)).toBe(true);
  });

  it('regenerates both when the CA key is missing', async () => {
    await ensureCertificates(dir);
    fs.rmSync(path.join(dir, 'ca-key.pem'));
    expect((await ensureCertificates(dir)).created).toEqual({ ca: true, leaf: true });
  });
});

describe('ensureCertificates: unusable folders', () => {
  it('reports a folder under a regular file as CERTS_UNWRITABLE, naming the path', async () => {
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const target = path.join(file, 'certs');
    const error = await rejectionOf(ensureCertificates(target));
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('CERTS_UNWRITABLE');
    expect(error.message).toContain(target);
    expect(error.message).toContain('--data');
  });

  it('reports a folder where a PEM file should be as CERTS_UNREADABLE', async () => {
    fs.mkdirSync(path.join(dir, 'ca.pem'));
    const error = await rejectionOf(ensureCertificates(dir));
    expect(error.code).toBe('CERTS_UNREADABLE');
    expect(error.message).toContain(path.join(dir, 'ca.pem'));
  });
});

/** A leaf as an older version of the lab might have made it: valid, but without IP:::1. */
async function issueLeafWithoutIpv6(caPem: string, caKeyPem: string): Promise<{ certPem: string; keyPem: string }> {
  const ca = new x509.X509Certificate(caPem);
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=localhost',
      issuer: ca.subjectName,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 100 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: await importSigningKey(caKeyPem),
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
      ],
    },
    x509Crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: privateKeyToPkcs8Pem(keys.privateKey) };
}
