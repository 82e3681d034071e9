import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The admin API's bearer token: made on first start, kept beside the IdP's
 * state (mode 0600). Tooling on this machine reads it from the file; it is
 * never put in a graded submission's environment.
 */
export function ensureAdminToken(dataDir: string): { token: string; path: string } {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 43) return { token: existing, path: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, path: file };
}
