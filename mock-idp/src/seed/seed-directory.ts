import type { Directory } from '../store/directory.ts';
import { DEV_SECRET_DISPLAY_NAME, SEED, SEED_PASSWORDS } from './seed-data.ts';

/** Dev secrets outlive a course: two years, the longest the Entra portal offers. */
const DEV_SECRET_LIFETIME_DAYS = 730;

/**
 * Fills an empty directory with the seed (tenants, lab apps, users, roles).
 * Does nothing when any tenant exists, so it is safe on every start and never
 * overwrites a learner's changes. All or nothing: one transaction.
 *
 * No consent is pre-granted: learners meet the consent page on first sign-in,
 * as they would in Entra.
 */
export function seedDirectory(directory: Directory): { seeded: boolean } {
  return directory.transaction(() => {
    if (directory.tenants().length > 0) return { seeded: false };

    directory.createTenant(SEED.tenants.home);
    directory.createTenant(SEED.tenants.foreign);

    for (const app of Object.values(SEED.apps)) directory.createApp(app);

    for (const user of Object.values(SEED.users)) {
      const password = SEED_PASSWORDS[user.userPrincipalName];
      if (password === undefined) throw new Error(`Seed data lists no password for ${user.userPrincipalName}.`);
      directory.createUser({ ...user, password });
    }

    // A random value per installation, stored hashed like any secret, and in
    // dev_secrets so that /_lab/info can show it: it opens nothing but this mock.
    const endDateTime = new Date(Date.now() + DEV_SECRET_LIFETIME_DAYS * 24 * 60 * 60 * 1000).toISOString();
    for (const appId of SEED.confidentialApps) {
      const { secretText } = directory.addSecret(appId, { displayName: DEV_SECRET_DISPLAY_NAME, endDateTime });
      directory.setDevSecret(appId, secretText);
    }

    for (const assignment of SEED.roleAssignments) directory.assignAppRole(assignment);

    return { seeded: true };
  });
}
