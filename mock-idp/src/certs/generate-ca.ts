/**
 * Creates the local certificate authority the learner trusts once. Only this
 * CA's certificate goes into a trust store; the leaf it signs can then be
 * replaced freely without asking the learner to trust anything again.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { x509, x509Crypto } from './x509.ts';
import { CA_VALIDITY_YEARS, CLOCK_SKEW_MS, randomSerialNumber } from './certificate-policy.ts';
import { generateEcKeyPair, privateKeyToPkcs8Pem } from './ec-keys.ts';

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export async function generateCa(now: Date): Promise<PemPair> {
  const keys = await generateEcKeyPair();
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);

  // Hostname plus a random id: a learner who reinstalls ends up with several
  // lab CAs in the trust store and must be able to tell them apart (and find
  // the stale ones to remove).
  const commonName = `MCP Lab Development CA (${hostname()} ${randomBytes(3).toString('hex')})`;

  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      // JSON form rather than a "CN=..." string: a hostname is not escaped for RFC 4514.
      name: [{ CN: [commonName] }, { O: ['MCP x Entra ID Lab (local development only)'] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        // pathLength 0: this CA may sign leaves only, never another CA.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, x509Crypto),
      ],
    },
    x509Crypto,
  );

  return { certPem: cert.toString('pem'), keyPem: privateKeyToPkcs8Pem(keys.privateKey) };
}
