/**
 * A short cache of Graph answers, keyed by the user they belong to: a
 * repeat call within the lifetime is answered without calling Graph (fewer
 * calls, less throttling), and one user's answer can never be another's.
 * Short, because a profile changes and a removed user must stop seeing it.
 */
export class ProfileCache {
  readonly #entries = new Map<string, { value: unknown; expiresAt: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = 60_000) {
    this.#ttlMs = ttlMs;
  }

  // TODO(backoff): get() returns the value set() stored for this tenant and user while it is younger than
  // this.#ttlMs, else undefined. The key must name the user: never one key all users share.
  get(_tenantId: string, _userOid: string): unknown {
    return undefined;
  }

  set(_tenantId: string, _userOid: string, _value: unknown): void {
    void this.#ttlMs;
  }

  /** Sign-out or a refused renewal: what was cached for the user goes too. */
  forget(tenantId: string, userOid: string): void {
    this.#entries.delete(`${tenantId}/${userOid}`);
  }
}
