import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { labHome, playUser, SEED, SignInError, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { connectToIdp, idpUrl } from '../lab-idp.ts';
import { runServerToken } from './server-token.ts';

export interface TokenOptions {
  user: string;
  scope: string[];
  /** An MCP server that is its own authorization server (lab 03): get its token instead of an Entra one. */
  server?: string;
  client?: string;
  idp?: string;
  json?: boolean;
}

type LabUser = LabInfo['users'][number];
type LabApp = LabInfo['apps'][number];

/** `--user alice` matches alice@contoso.test; a full name must match exactly. */
export function findUser(info: LabInfo, name: string): LabUser {
  const wanted = name.toLowerCase();
  const matches = info.users.filter((u) => u.username.toLowerCase() === wanted || u.username.toLowerCase().startsWith(`${wanted}@`));
  const known = info.users.map((u) => u.username).join(', ');
  if (matches.length === 0) throw new CliError('UNKNOWN_USER', `No test user called '${name}'.`, `Use one of: ${known}.`, EXIT.usage);
  if (matches.length > 1) throw new CliError('AMBIGUOUS_USER', `'${name}' matches ${matches.map((u) => u.username).join(' and ')}.`, 'Give the full user name.', EXIT.usage);
  return matches[0]!;
}

function findApp(info: LabInfo, clientId: string | undefined): LabApp {
  const id = (clientId ?? SEED.apps.publicClient.appId).toLowerCase();
  const app = info.apps.find((a) => a.clientId.toLowerCase() === id);
  if (!app) {
    throw new CliError('UNKNOWN_CLIENT', `No app registration with client ID ${clientId}.`, `Use one of: ${info.apps.map((a) => `${a.clientId} (${a.name})`).join(', ')}.`, EXIT.usage);
  }
  return app;
}

/** Splits `--scope "User.Read api://x/y"` or repeated flags into MSAL's scope list. */
function parseScopes(values: string[]): string[] {
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/**
 * `mcp-lab token`: a real access token through a real flow. MSAL (the same
 * library the labs use) runs the authorization code flow with PKCE, and the
 * CLI plays the test user at the IdP's sign-in and consent pages.
 */
export async function runToken(options: TokenOptions): Promise<number> {
  const scopes = parseScopes(options.scope);
  if (options.server && scopes.length > 0) throw new CliError('SCOPE_WITH_SERVER', '--scope and --server do not go together.', 'With --server the MCP server decides the scope of its own token; leave --scope out.', EXIT.usage);
  if (!options.server && scopes.length === 0) throw new CliError('NO_SCOPE', 'No scope given.', 'Pass --scope, e.g. --scope User.Read or --scope api://<appId>/user_impersonation (or --server for a lab server’s own token).', EXIT.usage);
  const info = await connectToIdp(idpUrl(options.idp), path.join(labHome(), 'certs', 'ca.pem'));
  const user = findUser(info, options.user);
  if (!user.password) {
    throw new CliError('PASSWORD_UNKNOWN', `The lab does not know ${user.username}'s password (the user was created after seeding).`, 'Use a seeded test user, or sign in yourself in the browser.', EXIT.usage);
  }
  if (options.server) return runServerToken(options.server, user, info.baseUrl, options.json ?? false);
  const app = findApp(info, options.client);
  const authority = `${info.baseUrl}/${app.tenantId}`;
  const knownAuthorities = [new URL(info.baseUrl).host];

  // A desktop (loopback) redirect makes this a public client; otherwise the app's web redirect and its dev secret.
  const loopback = app.redirectUris.find((u) => /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(u));
  const redirectUri = loopback ?? app.redirectUris[0];
  if (!redirectUri) throw new CliError('NO_REDIRECT_URI', `${app.name} has no redirect URI, so no user can sign in to it.`, 'Add one on its Authentication blade, or choose another --client.', EXIT.usage);
  const client = loopback
    ? new PublicClientApplication({ auth: { clientId: app.clientId, authority, knownAuthorities } })
    : app.devSecret
      ? new ConfidentialClientApplication({ auth: { clientId: app.clientId, clientSecret: app.devSecret, authority, knownAuthorities } })
      : undefined;
  if (!client) throw new CliError('NO_CREDENTIAL', `${app.name} is a web app and the lab has no secret for it.`, 'Use a seeded app, or an app with a Mobile and desktop redirect URI (http://localhost).', EXIT.usage);

  const pkce = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();
  const nonce = randomUUID();
  const url = await client.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', state, nonce });
  let code: string;
  try {
    const delivery = await playUser(url, { username: user.username, password: user.password, consent: 'accept' });
    const error = delivery.params.get('error');
    if (error) throw new CliError('SIGN_IN_REFUSED', delivery.params.get('error_description') ?? error, 'Read the AADSTS code above; `mcp-lab doctor` can help.');
    if (delivery.params.get('state') !== state) throw new CliError('STATE_MISMATCH', 'The IdP returned a different state.', 'Report this: the IdP must echo state.');
    code = delivery.params.get('code') ?? '';
  } catch (error) {
    if (error instanceof SignInError) throw new CliError('SIGN_IN_FAILED', error.message, 'Check the user and the app registration; the message names the AADSTS code.');
    throw error;
  }
  let result: AuthenticationResult;
  try {
    result = await client.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier, state, nonce });
  } catch (error) {
    const e = error as { errorCode?: string; errorMessage?: string };
    throw new CliError('TOKEN_REQUEST_FAILED', e.errorMessage ?? String(error), 'Read the AADSTS code in the message.');
  }

  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          accessToken: result.accessToken,
          tokenType: result.tokenType,
          expiresOn: result.expiresOn?.toISOString(),
          scopes: result.scopes,
          account: result.account?.username,
          claims: decodeJwt(result.accessToken),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`${result.accessToken}\n`);
    process.stderr.write(`Access token for ${user.username} (${scopes.join(' ')}) via ${app.name}; expires ${result.expiresOn?.toLocaleTimeString() ?? '?'}.\n`);
  }
  return EXIT.ok;
}
