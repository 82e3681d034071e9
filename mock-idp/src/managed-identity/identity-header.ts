import { randomBytes } from 'node:crypto';
import type { Directory } from '../store/directory.ts';

const SETTING = 'managed-identity.identity-header';

/**
 * App Service's `IDENTITY_HEADER`: a per-installation secret the managed
 * identity endpoint requires in `X-IDENTITY-HEADER`, so that only a program
 * given the environment (not any page a browser opens) gets tokens. Like a
 * seeded dev secret it opens nothing but this mock, and /_lab/info shows it.
 */
export function identityHeader(directory: Directory): string {
  return directory.transaction(() => {
    const existing = directory.getSetting(SETTING);
    if (existing) return existing;
    const fresh = randomBytes(24).toString('base64url');
    directory.setSetting(SETTING, fresh);
    return fresh;
  });
}
