import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AdminRequestError, CheckFailure, defineChecks, describeFinding, readCommittableFiles, secretsInFiles, secretsInText, type CheckContext, type CheckRun, type CommittableFile } from '@mcp-lab/harness';
import { GRAPH_APP_ID, SEED, type AppRegistration } from '@mcp-lab/mock-idp';

/**
 * Lab 01 — the app registration. No server runs: the checks read the
 * manifest the learner downloaded from the portal (app-manifest.json), hold
 * it against the registration in the IdP, and look for client secrets in
 * every file git would commit. Titles, hints and points are in lab.json.
 */

const MANIFEST = 'app-manifest.json';
const DESKTOP_REDIRECT = 'http://localhost';
const WEB_REDIRECT = 'http://localhost:3001/auth/callback';
/** Microsoft Graph's delegated permission User.Read: the same GUID in every tenant. */
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLATFORMS = ['publicClient', 'web', 'spa'] as const;
const PLATFORM_NAMES = { publicClient: 'Mobile and desktop applications', web: 'Web', spa: 'Single-page application' } as const;

/** The fields of the Microsoft Graph app manifest these checks read; anything may be missing or of the wrong type. */
interface Manifest {
  appId?: unknown;
  displayName?: unknown;
  signInAudience?: unknown;
  isFallbackPublicClient?: unknown;
  publicClient?: { redirectUris?: unknown } | null;
  web?: { redirectUris?: unknown; implicitGrantSettings?: { enableAccessTokenIssuance?: unknown; enableIdTokenIssuance?: unknown } | null } | null;
  spa?: { redirectUris?: unknown } | null;
  requiredResourceAccess?: unknown;
  passwordCredentials?: unknown;
  oauth2AllowImplicitFlow?: unknown;
  oauth2AllowIdTokenImplicitFlow?: unknown;
}

const DOWNLOAD = 'In the portal: App registrations > your app > Manifest > Download, and save it as work/01-register-app/app-manifest.json.';

function manifestText(ctx: CheckContext): string | undefined {
  const file = path.join(ctx.dir, MANIFEST);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** The manifest, or a failure that says what is wrong with the file. */
function manifestOf(ctx: CheckContext): Manifest {
  const text = manifestText(ctx);
  if (text === undefined) throw new CheckFailure(`there is no ${MANIFEST} in your folder. ${DOWNLOAD}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CheckFailure(`${MANIFEST} is not JSON (${(error as Error).message}). Download it again rather than editing it by hand. ${DOWNLOAD}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CheckFailure(`${MANIFEST} must be one JSON object, the app manifest. ${DOWNLOAD}`);
  if ('replyUrlsWithType' in parsed || 'oauth2Permissions' in parsed) {
    throw new CheckFailure(`${MANIFEST} is in the old Azure AD Graph format (it has replyUrlsWithType / oauth2Permissions). In Entra's Manifest blade, download the "Microsoft Graph App Manifest" tab instead.`);
  }
  return parsed;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function redirectUris(m: Manifest, platform: (typeof PLATFORMS)[number]): string[] {
  return strings(m[platform]?.redirectUris);
}

/** The manifest's appId, which must be a GUID of a registration of your own. */
function appIdOf(m: Manifest): string {
  assert.ok(typeof m.appId === 'string' && GUID.test(m.appId), `the manifest's appId should be your application (client) ID, a GUID, but is ${JSON.stringify(m.appId)}. ${DOWNLOAD}`);
  const seeded = Object.values(SEED.apps).find((a) => a.appId.toLowerCase() === (m.appId as string).toLowerCase());
  assert.ok(!seeded, `${m.appId} is the lab's ready-made app "${seeded?.displayName ?? ''}", not a registration of your own: register a new app (step 1) and download its manifest.`);
  return m.appId;
}

/** Where the same URI was put instead, for a message that says what to move. */
function whereElse(m: Manifest, uri: string, expected: (typeof PLATFORMS)[number]): string {
  const near = (u: string) => u.replace(/\/+$/, '').toLowerCase() === uri.toLowerCase();
  for (const platform of PLATFORMS) {
    const found = redirectUris(m, platform).find(near);
    if (found && (platform !== expected || found !== uri)) return ` Found "${found}" under ${PLATFORM_NAMES[platform]}: it must be exactly "${uri}" under ${PLATFORM_NAMES[expected]}.`;
  }
  return '';
}

interface PasswordCredential {
  keyId?: unknown;
  hint?: unknown;
  secretText?: unknown;
}

function passwordCredentials(m: Manifest): PasswordCredential[] {
  return Array.isArray(m.passwordCredentials) ? m.passwordCredentials.filter((c): c is PasswordCredential => Boolean(c) && typeof c === 'object') : [];
}

/** What the IdP answered, as a sentence (its admin API errors carry code, message, fix and the problems found). */
function idpRefusal(error: unknown): string {
  if (!(error instanceof AdminRequestError)) return (error as Error).message;
  const details = error.details.map((d) => `${d.path ?? ''}: ${d.message ?? ''}`).join('; ');
  return `${error.code}: ${error.message}${details ? ` (${details})` : ''}${error.fix ? ` Fix: ${error.fix}` : ''}`;
}

const sorted = (list: readonly string[]) => [...list].sort();

/** An app as the admin API returns it: the registration plus its secrets' metadata (never their values). */
type LiveApp = AppRegistration & { passwordCredentials?: { keyId: string }[] };

/** A check that only reads files: its failures become a rejected promise, as the engine expects. */
const reading =
  (check: (ctx: CheckContext) => void): CheckRun =>
  (ctx) =>
    new Promise<void>((resolve) => {
      check(ctx);
      resolve();
    });

/** The settings this lab asks for, as they differ between the manifest and the live registration. */
function differences(m: Manifest, live: LiveApp, compareSecrets: boolean): string[] {
  const out: string[] = [];
  if (m.signInAudience !== live.signInAudience) out.push(`supported account types: manifest ${JSON.stringify(m.signInAudience)}, IdP "${live.signInAudience}"`);
  if (m.isFallbackPublicClient !== live.isFallbackPublicClient) out.push(`allow public client flows: manifest ${JSON.stringify(m.isFallbackPublicClient)}, IdP ${String(live.isFallbackPublicClient)}`);
  for (const platform of PLATFORMS) {
    const mine = sorted(redirectUris(m, platform));
    const theirs = sorted(live[platform].redirectUris);
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) out.push(`${PLATFORM_NAMES[platform]} redirect URIs: manifest ${JSON.stringify(mine)}, IdP ${JSON.stringify(theirs)}`);
  }
  if (compareSecrets) {
    const mine = sorted(passwordCredentials(m).map((c) => String(c.keyId)));
    const theirs = sorted((live.passwordCredentials ?? []).map((c) => c.keyId));
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) out.push(`client secrets (by key ID): manifest ${mine.length}, IdP ${theirs.length}${mine.length === theirs.length ? ', not the same ones' : ''}`);
  }
  return out;
}

/** Every secret value the IdP knows in clear (the seeded apps' dev secrets). */
function knownSecrets(ctx: CheckContext): string[] {
  return ctx.info.apps.flatMap((a) => (a.devSecret ? [a.devSecret] : []));
}

export default defineChecks({
  'manifest-exported': reading((ctx) => {
    const m = manifestOf(ctx);
    appIdOf(m);
    assert.ok(typeof m.displayName === 'string' && m.displayName.trim() !== '' && !m.displayName.includes('TODO('), `the manifest has no displayName of its own (${JSON.stringify(m.displayName)}). ${DOWNLOAD}`);
  }),
  'single-tenant': reading((ctx) => {
    const m = manifestOf(ctx);
    const why =
      m.signInAudience === 'AzureADMultipleOrgs'
        ? ' It is multi-tenant: users of any Entra tenant could sign in to your MCP server, and your code would have to decide which tenants to trust.'
        : typeof m.signInAudience === 'string' && m.signInAudience.includes('PersonalMicrosoftAccount')
          ? ' It lets personal Microsoft accounts in as well.'
          : '';
    assert.ok(m.signInAudience === 'AzureADMyOrg', `signInAudience is ${JSON.stringify(m.signInAudience)}, not "AzureADMyOrg" (accounts in this organizational directory only).${why}`);
  }),
  'desktop-redirect-uri': reading((ctx) => {
    const m = manifestOf(ctx);
    assert.ok(
      redirectUris(m, 'publicClient').includes(DESKTOP_REDIRECT),
      `publicClient.redirectUris is ${JSON.stringify(redirectUris(m, 'publicClient'))}: lab 02's server signs in through MSAL's loopback redirect, which needs "${DESKTOP_REDIRECT}" under Mobile and desktop applications.${whereElse(m, DESKTOP_REDIRECT, 'publicClient')}`,
    );
  }),
  'public-client-flows': reading((ctx) => {
    const m = manifestOf(ctx);
    assert.ok(
      m.isFallbackPublicClient === true,
      `isFallbackPublicClient is ${JSON.stringify(m.isFallbackPublicClient)}: without "Allow public client flows" the IdP refuses lab 02's device code sign-in without a client secret (AADSTS7000218).`,
    );
  }),
  'web-redirect-uri': reading((ctx) => {
    const m = manifestOf(ctx);
    assert.ok(
      redirectUris(m, 'web').includes(WEB_REDIRECT),
      `web.redirectUris is ${JSON.stringify(redirectUris(m, 'web'))}: lab 03's server receives the authorization code at "${WEB_REDIRECT}", and the IdP redirects only to a URI registered exactly so (AADSTS50011 otherwise).${whereElse(m, WEB_REDIRECT, 'web')}`,
    );
  }),
  'no-implicit-grant': reading((ctx) => {
    const m = manifestOf(ctx);
    const grant = m.web?.implicitGrantSettings;
    const on = [
      ...(grant?.enableAccessTokenIssuance === true || m.oauth2AllowImplicitFlow === true ? ['access tokens'] : []),
      ...(grant?.enableIdTokenIssuance === true || m.oauth2AllowIdTokenImplicitFlow === true ? ['ID tokens'] : []),
    ];
    assert.deepEqual(on, [], `the implicit grant is on for ${on.join(' and ')}: tokens would travel in the browser's URL fragment. Lab 03 uses the authorization code flow; untick both boxes.`);
  }),
  'graph-user-read': reading((ctx) => {
    const m = manifestOf(ctx);
    const entries = Array.isArray(m.requiredResourceAccess) ? (m.requiredResourceAccess as { resourceAppId?: unknown; resourceAccess?: unknown }[]) : [];
    const graph = entries.filter((r) => r && typeof r === 'object' && r.resourceAppId === GRAPH_APP_ID).flatMap((r) => (Array.isArray(r.resourceAccess) ? (r.resourceAccess as { id?: unknown; type?: unknown }[]) : []));
    assert.ok(
      graph.some((a) => a.id === USER_READ && a.type === 'Scope'),
      'the manifest does not ask for Microsoft Graph User.Read as a delegated permission (resourceAppId 00000003-0000-0000-c000-000000000000, id e1fe6dd8-…, type Scope): both labs read the signed-in user with it.',
    );
    const more = graph.filter((a) => !(a.id === USER_READ && a.type === 'Scope'));
    assert.deepEqual(
      more.map((a) => `${String(a.type)} ${String(a.id)}`),
      [],
      'the manifest asks for more from Microsoft Graph than User.Read: least privilege means a stolen token can do no more than the labs need. Remove the other Graph permissions.',
    );
  }),
  'client-secret': reading((ctx) => {
    const m = manifestOf(ctx);
    const listed = passwordCredentials(m).filter((c) => typeof c.keyId === 'string' && GUID.test(c.keyId));
    assert.ok(listed.length > 0, `the manifest lists no client secret (passwordCredentials is ${JSON.stringify(m.passwordCredentials)}): lab 03's confidential client proves who it is with one. Add it, then download the manifest again.`);
  }),
  'no-secret-in-manifest': reading((ctx) => {
    const text = manifestText(ctx);
    if (text === undefined) return;
    let filled: PasswordCredential[] = [];
    try {
      filled = passwordCredentials(JSON.parse(text) as Manifest).filter((c) => c.secretText !== null && c.secretText !== undefined && c.secretText !== '');
    } catch {
      // Not JSON: manifest-exported says so; the text is still searched below.
    }
    const problems = [...filled.map((c) => `passwordCredentials (hint ${JSON.stringify(c.hint)}) has a secretText`), ...secretsInText(text, MANIFEST, knownSecrets(ctx)).map(describeFinding)];
    assert.deepEqual(
      problems,
      [],
      'a secret value is in the manifest. Treat it as leaked: delete that secret in the portal (Certificates & secrets), add a new one for your .env, and download the manifest again (secretText stays null).',
    );
  }),
  'registration-in-idp': async (ctx) => {
    const m = manifestOf(ctx);
    const appId = appIdOf(m);
    const { value: apps } = await ctx.idp.admin<{ value: LiveApp[] }>('GET', '/apps');
    let live = apps.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
    if (!live && !ctx.idp.ephemeral) {
      throw new CheckFailure(
        `your running IdP (${ctx.idp.baseUrl}) has no registration ${appId}. Was it reset (\`mcp-lab idp reset\`) or is the manifest from another IdP? Register the app again and download its manifest, or recreate it with \`npm run lab -- app import work/01-register-app/app-manifest.json\` (then add a new secret: secrets are never imported).`,
      );
    }
    if (!live) {
      // A fresh IdP (grading, CI, a check with nothing running): the manifest is imported
      // with its appId kept, so labs 02 and 03 can use the learner's registration here.
      try {
        live = (await ctx.idp.admin<{ app: LiveApp }>('POST', '/apps/import', JSON.parse(manifestText(ctx) ?? '{}'))).app;
        ctx.note(`imported ${appId} into this run's IdP from ${MANIFEST}`);
      } catch (error) {
        // Another run (a learner graded in parallel with the same appId) imported it first: compare with that.
        if (!(error instanceof AdminRequestError && error.code === 'APP_EXISTS')) throw new CheckFailure(`the IdP refuses to import your manifest, as Entra would refuse the registration: ${idpRefusal(error)}`);
        live = await ctx.idp.admin<LiveApp>('GET', `/apps/${appId}`);
      }
    }
    const diff = differences(m, live, !ctx.idp.ephemeral);
    if (diff.length > 0) {
      throw new CheckFailure(`your manifest and the registration ${appId} in the IdP differ:\n${diff.map((d) => `  ${d}`).join('\n')}\nDownload the manifest again after your last change (Manifest > Download).`);
    }
  },
  'no-committed-secret': async (ctx) => {
    // Git is asked about the learner's own folder; the files are read from the staged copy (the same paths).
    const view = await readCommittableFiles(ctx.sourceDir);
    const how = new Map(view.files.map((f) => [f.path, f.how]));
    const findings = secretsInFiles(ctx.dir, view.files.map((f) => f.path), knownSecrets(ctx));
    if (findings.length === 0) return;
    const lines = findings.map((f) => {
      const state = how.get(f.file);
      const where = state === 'tracked' ? 'tracked by git' : state === 'not-ignored' ? 'not ignored by git, so the next `git add` commits it' : 'handed in with your work';
      return `  ${describeFinding(f)} — ${where}`;
    });
    const files = (state: CommittableFile['how']) => [...new Set(findings.filter((f) => how.get(f.file) === state).map((f) => f.file))];
    const tracked = files('tracked');
    const untracked = files('not-ignored');
    const handedIn = files('in-folder');
    throw new CheckFailure(
      [
        'a client secret is in a file that is (or would be) committed:',
        ...lines,
        ...(tracked.length ? [`Fix: take it out of git with \`git rm --cached ${tracked.join(' ')}\` (your copy stays), add the file name to .gitignore (as .env is), and commit.`] : []),
        ...(untracked.length ? [`Fix: add ${untracked.join(', ')} to .gitignore (as .env is) before anything commits it, or move the secret into an ignored .env file.`] : []),
        ...(handedIn.length ? [`Fix: remove the secret from ${handedIn.join(', ')}; secrets belong in git-ignored .env files, which are never handed in.`] : []),
        'Then rotate the secret: in the portal, Certificates & secrets > delete it > New client secret, and put the new value only in work/03-confidential-client/.env. A secret that was ever committed or handed in stays where it went (the history, a copy): removing the file does not make it secret again.',
      ].join('\n'),
    );
  },
});
