/**
 * P-256 keys: generation is instant (an RSA CA would add seconds to the first
 * start) and every TLS client MSAL runs on supports them.
 */
import { KeyObject, createPrivateKey, webcrypto } from 'node:crypto';

const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function generateEcKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  // Extractable: the private key is written to disk for later starts.
  return webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify']);
}

export function privateKeyToPkcs8Pem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Throws if the PEM is not a P-256 private key; callers treat that as "regenerate". */
export async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('not a P-256 private key');
  }
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, EC_ALGORITHM, false, ['sign']);
}
