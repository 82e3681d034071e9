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

  get(tenantId: string, userOid: string): unknown {
    const key = `${tenantId}/${userOid}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(tenantId: string, userOid: string, value: unknown): void {
    this.#entries.set(`${tenantId}/${userOid}`, { value, expiresAt: Date.now() + this.#ttlMs });
  }

  /** Sign-out or a refused renewal: what was cached for the user goes too. */
  forget(tenantId: string, userOid: string): void {
    this.#entries.delete(`${tenantId}/${userOid}`);
  }
}
