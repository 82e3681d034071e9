import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

/**
 * TODO(cache): MSAL's token cache, persisted to LAB_CACHE_DIR and encrypted
 * at rest with AES-256-GCM, so a restarted server signs in silently and a
 * copied cache file gives nobody your tokens. See step 3 of the README. This
 * whole file is yours: add the helpers and constants you need.
 *
 * Suggested layout in LAB_CACHE_DIR:
 * - `cache.key`: 32 random bytes (crypto.randomBytes(32)), written once with
 *   mode 0o600 (owner only);
 * - `msal-cache.enc`: { v, iv, tag, data } — a fresh 12-byte IV per write,
 *   the GCM auth tag, and the ciphertext of tokenCache.serialize().
 *
 * In production keep the key in the OS keychain instead:
 * `@azure/msal-node-extensions`' PersistenceCachePlugin.
 */
export class EncryptedCachePlugin implements ICachePlugin {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    // When the cache file exists in this.#dir, read it, decrypt it (aes-256-gcm: createDecipheriv,
    // setAuthTag) and hand the JSON to context.tokenCache.deserialize(...). A file that does not
    // decrypt is ignored.
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    // When context.cacheHasChanged, encrypt context.tokenCache.serialize() (aes-256-gcm: createCipheriv
    // with a fresh IV, getAuthTag) and write it to this.#dir with mode 0o600. Never write the serialized
    // cache as plain text: it holds your tokens. Every file you create (a temporary one too) goes in
    // this.#dir only, with mode 0o600 from the start.
  }
}
