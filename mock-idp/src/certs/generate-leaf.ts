/**
 * Creates the server certificate the mock IdP presents, signed by the dev CA.
 * It covers every way the lab reaches the IdP: the name MSAL is given
 * (localhost) and both loopback addresses localhost may resolve to.
 */
import { x509, x509Crypto } from './x509.ts';
import { CLOCK_SKEW_MS, LEAF_VALIDITY_MS, randomSerialNumber } from './certificate-policy.ts';
import { generateEcKeyPair, importSigningKey, privateKeyToPkcs8Pem } from './ec-keys.ts';
import type { PemPair } from './generate-ca.ts';

export const LEAF_DNS_NAMES = ['localhost'] as const;
export const LEAF_IP_ADDRESSES = ['127.0.0.1', '::1'] as const;

export async function generateLeaf(ca: PemPair, now: Date): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importSigningKey(ca.keyPem);
  const keys = await generateEcKeyPair();

  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  // Never outlive the issuer: a chain with a leaf valid past its CA is rejected by some clients.
  const notAfter = new Date(Math.min(notBefore.getTime() + LEAF_VALIDITY_MS, caCert.notAfter.getTime()));

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: [{ CN: ['localhost'] }],
      issuer: caCert.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, false),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        // Clients match names against the SAN only; the CN is for humans.
        new x509.SubjectAlternativeNameExtension([
          ...LEAF_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
          ...LEAF_IP_ADDRESSES.map((value) => ({ type: 'ip' as const, value })),
        ]),
        await authorityKeyIdentifier(caCert),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, x509Crypto),
      ],
    },
    x509Crypto,
  );

  return { certPem: cert.toString('pem'), keyPem: privateKeyToPkcs8Pem(keys.privateKey) };
}

/**
 * Copy the CA's own subject key identifier rather than recomputing it, so the
 * chain links up even for a CA whose identifier was derived another way.
 */
async function authorityKeyIdentifier(caCert: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false);
  return x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, x509Crypto);
}
