import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

/**
 * MSAL's token cache, persisted to LAB_CACHE_DIR and encrypted at rest with
 * AES-256-GCM. The key is a separate file (`cache.key`, mode 0600) created on
 * first use: someone who copies only the cache file gets nothing usable, and
 * GCM's tag makes a tampered file fail to load instead of loading garbage.
 *
 * A key file next to the cache is only as strong as the file permissions of
 * your account. In production use the OS keychain instead (DPAPI on Windows,
 * Keychain on macOS, libsecret on Linux) through
 * `@azure/msal-node-extensions`' `PersistenceCachePlugin`.
 */
const CACHE_FILE = 'msal-cache.enc';
const KEY_FILE = 'cache.key';
const AAD = Buffer.from('mcp-lab 02-public-client token cache v1');

interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

export class EncryptedCachePlugin implements ICachePlugin {
  readonly #dir: string;
  #key: Buffer | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  get cacheFile(): string {
    return path.join(this.#dir, CACHE_FILE);
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    let sealed: string;
    try {
      sealed = await fs.promises.readFile(this.cacheFile, 'utf8');
    } catch {
      return; // No cache yet: the first sign-in creates it.
    }
    try {
      context.tokenCache.deserialize(this.#open(JSON.parse(sealed) as Sealed));
    } catch {
      // Tampered with, or encrypted with another key: start again with a sign-in.
      process.stderr.write('token cache: could not be decrypted; ignoring it (you will be asked to sign in again)\n');
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const sealed = JSON.stringify(this.#seal(context.tokenCache.serialize()));
    await fs.promises.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    // Write then rename, so a crash never leaves half a cache behind.
    const temp = `${this.cacheFile}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, sealed, { mode: 0o600 });
    await fs.promises.rename(temp, this.cacheFile);
  }

  #seal(plaintext: string): Sealed {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#keyBytes(), iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  #open(sealed: Sealed): string {
    if (sealed.v !== 1) throw new Error('unknown cache format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#keyBytes(), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  }

  /** The 256-bit key: read from the key file, or made once and written with owner-only permissions. */
  #keyBytes(): Buffer {
    if (this.#key) return this.#key;
    const file = path.join(this.#dir, KEY_FILE);
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    try {
      const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
      if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key`);
      this.#key = key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const key = crypto.randomBytes(32);
      // 'wx': never overwrite a key another process has just written.
      fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
      this.#key = key;
    }
    return this.#key;
  }
}
