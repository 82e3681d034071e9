/**
 * The mock IdP serves HTTPS because MSAL refuses http authorities. This makes
 * sure a dev CA and a localhost certificate exist in `dir`, creating only what
 * is missing or no longer usable: the learner trusts the CA once, so it is
 * kept as long as possible and the leaf is renewed underneath it.
 */
import { join, resolve } from 'node:path';
import { caProblem, leafProblem } from './check-certificates.ts';
import { generateCa } from './generate-ca.ts';
import type { PemPair } from './generate-ca.ts';
import { generateLeaf } from './generate-leaf.ts';
import { ensureDirectory, readTextIfPresent, writeFileAtomic } from './pem-files.ts';

export { describeCertificate } from './describe-certificate.ts';
export type { CertificateDescription } from './describe-certificate.ts';
export { CertificateStoreError } from './certificate-error.ts';
export type { CertificateErrorCode } from './certificate-error.ts';

export interface DevCertificates {
  caCertPath: string; // absolute path of ca.pem
  caPem: string; // PEM of the CA certificate
  certPem: string; // PEM of the leaf (localhost) certificate
  keyPem: string; // PKCS#8 PEM of the leaf's private key
  created: { ca: boolean; leaf: boolean }; // what this call had to make
}

const PRIVATE_MODE = 0o600;
const PUBLIC_MODE = 0o644;

interface PemPaths {
  cert: string;
  key: string;
}

async function readPair(paths: PemPaths): Promise<PemPair | undefined> {
  const [certPem, keyPem] = await Promise.all([readTextIfPresent(paths.cert), readTextIfPresent(paths.key)]);
  return certPem === undefined || keyPem === undefined ? undefined : { certPem, keyPem };
}

// Key first: if we crash in between, the old certificate no longer matches the
// new key, and the next start notices and regenerates instead of serving a
// mismatched pair.
async function writePair(paths: PemPaths, pair: PemPair): Promise<void> {
  await writeFileAtomic(paths.key, pair.keyPem, PRIVATE_MODE);
  await writeFileAtomic(paths.cert, pair.certPem, PUBLIC_MODE);
}

/** Reuse the pair on disk if usable, otherwise create it and write it back. */
async function reuseOrCreate(
  paths: PemPaths,
  existing: PemPair | undefined,
  isUsable: (pair: PemPair) => boolean,
  create: () => Promise<PemPair>,
): Promise<{ pair: PemPair; created: boolean }> {
  if (existing !== undefined && isUsable(existing)) return { pair: existing, created: false };
  const pair = await create();
  await writePair(paths, pair);
  return { pair, created: true };
}

export async function ensureCertificates(dir: string, options?: { now?: Date }): Promise<DevCertificates> {
  const now = options?.now ?? new Date();
  const root = resolve(dir);
  const caPaths: PemPaths = { cert: join(root, 'ca.pem'), key: join(root, 'ca-key.pem') };
  const leafPaths: PemPaths = { cert: join(root, 'localhost.pem'), key: join(root, 'localhost-key.pem') };

  await ensureDirectory(root);

  const ca = await reuseOrCreate(
    caPaths,
    await readPair(caPaths),
    (pair) => caProblem(pair.certPem, pair.keyPem, now) === undefined,
    () => generateCa(now),
  );
  // A new CA invalidates any existing leaf, so it is not even read.
  const leaf = await reuseOrCreate(
    leafPaths,
    ca.created ? undefined : await readPair(leafPaths),
    (pair) => leafProblem(pair.certPem, pair.keyPem, ca.pair.certPem, now) === undefined,
    () => generateLeaf(ca.pair, now),
  );

  return {
    caCertPath: caPaths.cert,
    caPem: ca.pair.certPem,
    certPem: leaf.pair.certPem,
    keyPem: leaf.pair.keyPem,
    created: { ca: ca.created, leaf: leaf.created },
  };
}
