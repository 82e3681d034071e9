import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '@mcp-lab/mock-idp';
import { runCli, startCliIdp, type CliIdp, type CliResult } from './run-cli.ts';

let cli: CliIdp;
let labHome: string;
let dataDir: string;
let env: CliIdp['env'];
let baseUrl: string;

beforeAll(async () => {
  cli = await startCliIdp('app');
  ({ labHome, dataDir, env, baseUrl } = cli);
});
afterAll(() => cli.stop());

/** `mcp-lab <args>` against this file's IdP. */
const lab = (...args: string[]): Promise<CliResult> => runCli([...args, '--idp', baseUrl, '--data', dataDir], env);

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface ShownApp {
  appId: string;
  web: { redirectUris: string[] };
  spa: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  api: { requestedAccessTokenVersion: 1 | 2 | null };
  passwordCredentials: { keyId: string }[];
}

/** A real client-credentials request, as a daemon using the secret would make it. */
async function clientCredentials(tenantId: string, clientId: string, clientSecret: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function match(text: string, pattern: RegExp): string {
  const found = pattern.exec(text);
  expect(found, `${pattern} in:\n${text}`).not.toBeNull();
  return found![1]!;
}

describe('mcp-lab app: a full round', () => {
  it('creates, refuses bad redirect URIs, adds a usable secret, exports, deletes and imports the same appId', { timeout: 120_000 }, async () => {
    // Create: a desktop (public client) redirect and public client flows; the three Overview IDs are printed.
    const created = await lab('app', 'create', '--name', 'Round Trip App', '--public-client-flows', '--redirect', 'publicClient:http://localhost');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const appId = match(created.stdout, /Application \(client\) ID: ([0-9a-f-]{36})/);
    const tenantId = match(created.stdout, /Directory \(tenant\) ID:\s+([0-9a-f-]{36})/);
    expect(created.stdout).toMatch(/Object ID:\s+[0-9a-f-]{36}/);
    expect(tenantId).toBe(SEED.tenants.home.id);

    const web = await lab('app', 'redirect', 'add', appId, 'web', 'https://localhost:3001/auth/callback');
    expect(web.code).toBe(0);
    expect(web.stdout).toContain('Added https://localhost:3001/auth/callback to the Web redirect URIs');

    // Entra's rules come through with their code, wording and fix, as usage errors, and change nothing.
    const http = await lab('app', 'redirect', 'add', appId, 'web', 'http://reports.contoso.test/cb');
    expect(http.code).toBe(64);
    expect(http.stdout).toBe('');
    expect(http.stderr).toContain('error REDIRECT_URI_HTTPS_REQUIRED: Must start with "HTTPS" or "http://localhost"');
    expect(http.stderr).toContain('fix: Use https://reports.contoso.test/cb');
    const wildcard = await lab('app', 'redirect', 'add', appId, 'spa', 'https://*.contoso.test/cb');
    expect(wildcard.code).toBe(64);
    expect(wildcard.stderr).toMatch(/^error REDIRECT_URI_WILDCARD: .+\nfix: .+/m);
    const shown = json<ShownApp>(await lab('app', 'show', appId, '--json'));
    expect({ web: shown.web, spa: shown.spa, publicClient: shown.publicClient }).toEqual({
      web: { redirectUris: ['https://localhost:3001/auth/callback'] },
      spa: { redirectUris: [] },
      publicClient: { redirectUris: ['http://localhost'] },
    });
    // A new registration gets Entra's default, null: v1.0 access tokens.
    expect(shown.api.requestedAccessTokenVersion).toBeNull();
    expect((await lab('app', 'show', appId)).stdout).toContain('Access token version:    v1.0 (requestedAccessTokenVersion null, the default)');

    // A secret: its value printed once, clearly labelled; nothing lists it again.
    const added = await lab('app', 'secret', 'add', appId, '--description', 'ci', '--expires-in-days', '30');
    expect(added.code).toBe(0);
    const value = match(added.stdout, /^\s+Value:\s+(\S+)$/m);
    const keyId = match(added.stdout, /^\s+Secret ID:\s+([0-9a-f-]{36})$/m);
    expect(added.stdout).toContain('shown only this once');
    for (const listing of [await lab('app', 'secret', 'list', appId), await lab('app', 'secret', 'list', appId, '--json'), await lab('app', 'show', appId), await lab('app', 'show', appId, '--json')]) {
      expect(listing.code).toBe(0);
      expect(listing.stdout).toContain(keyId);
      expect(listing.stdout).not.toContain(value);
    }

    const token = await clientCredentials(tenantId, appId, value);
    expect(token.status).toBe(200);
    expect(typeof token.body.access_token).toBe('string');

    // Export: the manifest, with the secret by hint only.
    const file = path.join(labHome, 'exports', 'round-trip.manifest.json');
    const exported = await lab('app', 'export', appId, '--out', file);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`written to ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(value);
    const manifest = JSON.parse(text) as { appId: string; passwordCredentials: { keyId: string; secretText: unknown }[] };
    expect(manifest.appId).toBe(appId);
    expect(manifest.passwordCredentials).toMatchObject([{ keyId, secretText: null }]);
    // To stdout: the same manifest (only the export time in `notes` differs).
    const toStdout = await lab('app', 'export', appId);
    expect(toStdout.stdout).not.toContain(value);
    expect({ ...(JSON.parse(toStdout.stdout) as object), notes: '' }).toEqual({ ...manifest, notes: '' });

    // Delete: the next token request fails at once.
    const deleted = await lab('app', 'delete', appId, '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`Deleted "Round Trip App" (${appId})`);
    const gone = await clientCredentials(tenantId, appId, value);
    expect(gone.status).toBe(400);
    expect(gone.body.error_description).toMatch(/^AADSTS700016:/);

    // Import: the same appId is back, without the secret (the API's note, with the CLI verb to add one).
    const imported = await lab('app', 'import', file);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Application (client) ID: ${appId} (as in the manifest)`);
    expect(imported.stdout).toMatch(/note: A manifest never carries secret values/);
    expect(imported.stdout).toContain(`mcp-lab app secret add ${appId}`);
    const back = json<ShownApp>(await lab('app', 'show', appId, '--json'));
    expect(back).toMatchObject({ appId, web: shown.web, publicClient: shown.publicClient, passwordCredentials: [] });
    const oldSecret = await clientCredentials(tenantId, appId, value);
    expect(oldSecret.status).toBe(401);
    expect(oldSecret.body.error_description).toMatch(/^AADSTS7000215:/);
  });
});

// Each step is a CLI process (~1 s), so several steps outgrow the default 30 s on a busy machine.
describe('mcp-lab app: the other verbs and their errors', { timeout: 90_000 }, () => {
  it('lists registrations, per tenant too', async () => {
    const all = json<{ appId: string }[]>(await lab('app', 'list', '--json'));
    expect(all.map((a) => a.appId)).toEqual(expect.arrayContaining([SEED.apps.publicClient.appId, SEED.apps.protectedApi.appId]));
    expect(json<unknown[]>(await lab('app', 'list', '--tenant', SEED.tenants.foreign.domain, '--json'))).toEqual([]);
    const text = await lab('app', 'list');
    expect(text.stdout).toContain(`${SEED.apps.protectedApi.appId}  MCP Lab Protected API`);
  });

  it('shows scopes, roles and API permissions for people', async () => {
    const shown = await lab('app', 'show', SEED.apps.protectedApi.appId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Scopes \(1\)\n\s+user_impersonation/);
    expect(shown.stdout).toContain('Access token version:    v2.0 (requestedAccessTokenVersion 2)');
    expect(shown.stdout).toMatch(/App roles \(2\)\n\s+Tools\.Read\s+for User and Application/);
    expect(shown.stdout).toMatch(/API permissions \(1\)\n\s+Microsoft Graph \/ User\.Read\s+delegated/);
  });

  it("passes the admin API's code on for an unknown app (64)", async () => {
    for (const args of [
      ['app', 'show', '11111111-1111-4111-8111-111111111111'],
      ['app', 'secret', 'add', '11111111-1111-4111-8111-111111111111'],
      ['app', 'delete', '11111111-1111-4111-8111-111111111111', '--yes'],
    ]) {
      const result = await lab(...args);
      expect(result.code).toBe(64);
      expect(result.stderr).toMatch(/^error APP_NOT_FOUND: .+\nfix: .+/);
    }
  });

  it('asks before deleting an app or a secret, and without a terminal refuses unless --yes', async () => {
    const appId = json<{ appId: string }>(await lab('app', 'create', '--name', 'Keep Me', '--json')).appId;
    const { keyId, secretText } = json<{ keyId: string; secretText: string }>(await lab('app', 'secret', 'add', appId, '--json'));
    expect(secretText).toMatch(/^.{3}8Q~/);
    for (const args of [
      ['app', 'delete', appId],
      ['app', 'secret', 'delete', appId, keyId],
    ]) {
      const refused = await lab(...args);
      expect(refused.code).toBe(64);
      expect(refused.stderr).toContain('error CONFIRMATION_NEEDED');
    }
    expect(json<{ keyId: string }[]>(await lab('app', 'secret', 'list', appId, '--json'))).toMatchObject([{ keyId }]);

    const deleted = await lab('app', 'secret', 'delete', appId, keyId, '--yes');
    expect(deleted.code).toBe(0);
    expect(json<unknown[]>(await lab('app', 'secret', 'list', appId, '--json'))).toEqual([]);
    const again = await lab('app', 'secret', 'delete', appId, keyId, '--yes');
    expect(again.code).toBe(64);
    expect(again.stderr).toContain('error SECRET_NOT_FOUND');
  });

  it('accepts mobile/desktop for publicClient and says where a URI to remove really is', async () => {
    const appId = json<{ appId: string }>(await lab('app', 'create', '--name', 'Desktop Tool', '--redirect', 'desktop:myapp://auth', '--json')).appId;
    const wrong = await lab('app', 'redirect', 'remove', appId, 'web', 'myapp://auth');
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toContain('error REDIRECT_URI_NOT_FOUND');
    expect(wrong.stderr).toContain('Mobile and desktop applications');
    const removed = await lab('app', 'redirect', 'remove', appId, 'mobile', 'myapp://auth', '--json');
    expect(json<{ redirectUris: string[] }>(removed).redirectUris).toEqual([]);

    const custom = await lab('app', 'redirect', 'add', appId, 'spa', 'myapp://auth');
    expect(custom.code).toBe(64);
    expect(custom.stderr).toContain('error REDIRECT_URI_CUSTOM_SCHEME');
  });

  it('refuses an unknown platform before calling the IdP (64)', async () => {
    const platform = await lab('app', 'redirect', 'add', SEED.apps.publicClient.appId, 'tv', 'https://localhost/cb');
    expect(platform.code).toBe(64);
    expect(platform.stderr).toContain("error INVALID_PLATFORM: No platform called 'tv'.");
    const create = await lab('app', 'create', '--name', 'X', '--redirect', 'https://localhost/cb');
    expect(create.code).toBe(64);
    expect(create.stderr).toContain('error INVALID_PLATFORM');
  });

  it('imports: APP_EXISTS says --replace; a manifest with a secret value is refused', async () => {
    const appId = json<{ appId: string }>(await lab('app', 'create', '--name', 'Twice', '--json')).appId;
    const file = path.join(labHome, 'twice.json');
    expect((await lab('app', 'export', appId, '--out', file)).code).toBe(0);

    const exists = await lab('app', 'import', file);
    expect(exists.code).toBe(64);
    expect(exists.stderr).toContain('error APP_EXISTS');
    expect(exists.stderr).toContain('fix: Run it again with --replace');
    const replaced = json<{ replaced: boolean; app: { appId: string } }>(await lab('app', 'import', file, '--replace', '--json'));
    expect(replaced).toMatchObject({ replaced: true, app: { appId } });

    const leaky = path.join(labHome, 'leaky.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(leaky, JSON.stringify({ ...manifest, appId: undefined, id: undefined, passwordCredentials: [{ keyId: crypto.randomUUID(), secretText: 'abc8Q~leaked', displayName: 'x' }] }));
    const refused = await lab('app', 'import', leaky);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('error SECRET_IN_MANIFEST');

    const missing = await lab('app', 'import', path.join(labHome, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error FILE_UNREADABLE');
  });

  it('says how to start the IdP when none is running (2)', async () => {
    const result = await runCli(['app', 'list', '--idp', 'https://localhost:1', '--data', dataDir], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error IDP_NOT_RUNNING');
    expect(result.stderr).toContain('fix: Start it with `npm start`');
  });
});
