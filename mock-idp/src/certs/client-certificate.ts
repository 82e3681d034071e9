/**
 * A certificate credential for an app: an RSA key pair and a self-signed
 * certificate, as `New-SelfSignedCertificate` or `openssl req -x509` would
 * make one for Entra. Used by `mcp-lab app cert add --create` and the tests;
 * the private key goes to the caller (a file of mode 0600), never to the IdP.
 */
import { createHash, KeyObject, webcrypto } from 'node:crypto';
import { randomSerialNumber } from './certificate-policy.ts';
import { x509, x509Crypto } from './x509.ts';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;

export interface ClientCertificate {
  /** The certificate (public part), PEM: what is uploaded to the app registration. */
  certificatePem: string;
  /** The private key, PKCS#8 PEM: what the app signs its assertions with. */
  privateKeyPem: string;
  /** SHA-1 thumbprint, upper-case hex (the portal's "Thumbprint"; MSAL's `thumbprint`). */
  thumbprint: string;
  /** SHA-256 thumbprint, hex (MSAL's `thumbprintSha256`). */
  thumbprintSha256: string;
}

export async function createClientCertificate(options: { subject?: string; validityDays?: number; now?: Date } = {}): Promise<ClientCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']));
  const notBefore = new Date((options.now ?? new Date()).getTime() - 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: [options.subject ?? 'mcp-lab client certificate'] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    },
    x509Crypto,
  );
  const der = Buffer.from(cert.rawData);
  return {
    certificatePem: cert.toString('pem'),
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex'),
  };
}
