import type { JWK } from 'jose';
import type { Directory } from '../store/directory.ts';
import { newSigningKey, parseSigningKeys, SIGNING_KEYS } from '../store/key-material.ts';

const RETIRE_AT = 'keys.signing.retire-at';

/** The public half of a signing key, as Entra's JWKS publishes it: with its certificate (`x5c`) and thumbprint (`x5t`) when it has them. */
function publicJwk({ kty, kid, alg, use, n, e, x5t, x5c }: JWK): JWK {
  return { kty, kid, alg, use, n, e, ...(x5t ? { x5t } : {}), ...(x5c ? { x5c } : {}) };
}

/**
 * The tenants' signing keys. The first key signs; keys being rotated out stay
 * published (so tokens they signed still verify) until their grace period
 * ends, as Entra does when it rolls its keys. A resource server that caches
 * the JWKS and refetches on an unknown `kid` survives a rotation; one that
 * pinned a key does not — which is the lesson.
 */
export class KeyRing {
  readonly #directory: Directory;
  readonly #now: () => number;

  /** The stored key set as last parsed: the setting is read per call (a rotation applies at once), parsed only when it changed. */
  #parsed: { raw: string; keys: JWK[] } | undefined;

  constructor(directory: Directory, now: () => number = () => Date.now()) {
    this.#directory = directory;
    this.#now = now;
  }

  #storedKeys(): JWK[] {
    const raw = this.#directory.getSetting(SIGNING_KEYS) ?? '[]';
    if (this.#parsed?.raw !== raw) this.#parsed = { raw, keys: parseSigningKeys(raw) };
    return this.#parsed.keys;
  }

  /** The private keys, signing key first; retired keys past their grace period are dropped for good. */
  privateKeys(): JWK[] {
    const keys = this.#storedKeys();
    const retireAt = this.#retireAt();
    const now = this.#now();
    const live = keys.filter((k) => !retireAt[k.kid ?? ''] || Date.parse(retireAt[k.kid ?? '']!) > now);
    if (live.length !== keys.length) {
      this.#directory.setSetting(SIGNING_KEYS, JSON.stringify(live));
      this.#directory.setSetting(RETIRE_AT, JSON.stringify(Object.fromEntries(Object.entries(retireAt).filter(([kid]) => live.some((k) => k.kid === kid)))));
    }
    return live;
  }

  publicKeys(): JWK[] {
    return this.privateKeys().map(publicJwk);
  }

  /** Changes whenever the published set changes (providers are rebuilt then). */
  version(): string {
    return this.privateKeys()
      .map((k) => k.kid)
      .join(',');
  }

  async rotate(graceSeconds: number): Promise<{ signingKid: string; retiring: { kid: string; until: string }[] }> {
    const fresh = await newSigningKey();
    const current = this.privateKeys();
    const until = new Date(this.#now() + graceSeconds * 1000).toISOString();
    const retireAt = { ...this.#retireAt() };
    for (const key of current) retireAt[key.kid ?? ''] ??= until;
    this.#directory.setSetting(SIGNING_KEYS, JSON.stringify([fresh, ...current]));
    this.#directory.setSetting(RETIRE_AT, JSON.stringify(retireAt));
    this.privateKeys(); // a grace of 0 removes the old keys at once
    return { signingKid: fresh.kid ?? '', retiring: current.map((k) => ({ kid: k.kid ?? '', until: retireAt[k.kid ?? '']! })) };
  }

  #retireAt(): Record<string, string> {
    const raw = this.#directory.getSetting(RETIRE_AT);
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  }
}
