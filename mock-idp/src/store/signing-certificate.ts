import { createHash, type webcrypto } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { randomSerialNumber } from '../certs/certificate-policy.ts';
import { x509, x509Crypto } from '../certs/x509.ts';

/** Entra's signing certificates are self-signed and long-lived; so are these (they sign nothing but tokens' keys' identity). */
const VALIDITY_YEARS = 5;

/**
 * A signing key as Entra publishes its keys: with the self-signed
 * certificate that carries it (`x5c`, base64 DER) and its SHA-1 thumbprint
 * (`x5t`, base64url). Libraries that read the certificate rather than `n`/`e`
 * (jwks-rsa's `x5c` path, passport-azure-ad, .NET's X509 handling) find one.
 * A key that already has one is returned as it is.
 */
export async function withCertificate(key: JWK): Promise<JWK> {
  if (Array.isArray(key.x5c) && key.x5c.length > 0 && typeof key.x5t === 'string') return key;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = (await importJWK({ ...key, alg: 'RS256' }, 'RS256', { extractable: false })) as webcrypto.CryptoKey;
  const publicKey = (await importJWK({ kty: key.kty, n: key.n, e: key.e, alg: 'RS256' }, 'RS256', { extractable: true })) as webcrypto.CryptoKey;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: ['MCP Lab mock IdP token signing'] }],
      notBefore,
      notAfter,
      keys: { privateKey, publicKey },
      signingAlgorithm: algorithm,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    },
    x509Crypto,
  );
  const der = Buffer.from(cert.rawData);
  return { ...key, x5c: [der.toString('base64')], x5t: createHash('sha1').update(der).digest('base64url') };
}
