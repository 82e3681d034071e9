import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { LabManifest } from '@mcp-lab/harness';
import { labHome, SEED } from '@mcp-lab/mock-idp';

/**
 * The `.env` values of a lab whose server runs as in production (lab 04),
 * on top of the lab contract's: it serves HTTPS with the lab's own
 * localhost certificate (the one `npm start` made, issued by the dev CA
 * that `mcp-lab trust` trusts), so its origin and callback are https; its
 * tools' app roles come from the lab's protected API; and its session store
 * gets a key of its own. Only the variables the lab declares are written.
 */
export function productionEnvValues(manifest: LabManifest): Record<string, string> {
  if (!manifest.env.includes('TLS_CERT_FILE')) return {};
  const certs = path.join(labHome(), 'certs');
  return {
    PUBLIC_URL: 'https://localhost:3001',
    REDIRECT_URI: 'https://localhost:3001/auth/callback',
    TLS_CERT_FILE: path.join(certs, 'localhost.pem'),
    TLS_KEY_FILE: path.join(certs, 'localhost-key.pem'),
    ROLES_SCOPE: `api://${SEED.apps.protectedApi.appId}/${SEED.scopes.userImpersonation.value}`,
    AUDIT_LOG: '.lab-cache/audit.log',
    // A development key in .env (which git ignores); in production it comes from Key Vault or the OS keychain.
    TOKEN_STORE_KEY: randomBytes(32).toString('base64'),
  };
}
