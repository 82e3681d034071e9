import { spawn } from 'node:child_process';
import { PublicClientApplication, type AccountInfo, type AuthenticationResult, type Configuration } from '@azure/msal-node';
import type { Config } from './config.ts';
import { EncryptedCachePlugin } from './cache-plugin.ts';

/** Least privilege: reading the signed-in user's own profile needs User.Read, nothing more. */
export const SCOPES = ['User.Read'];

/** What the user must do to sign in (the device code message, and the page to open), sent to the MCP client — never to stdout. */
export interface SignInPrompt {
  message: string;
  url?: string;
}
export type Notify = (prompt: SignInPrompt) => Promise<void>;

/** A sign-in that did not work, with a message the user can act on. */
export class SignInFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInFailed';
  }
}

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com']);

export function msalConfig(config: Config): Configuration {
  const host = new URL(config.authorityHost).host;
  return {
    auth: {
      clientId: config.clientId,
      authority: `${config.authorityHost}/${config.tenantId}`,
      // MSAL validates authorities against Microsoft's instance discovery; any other host must be declared known.
      ...(MICROSOFT_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
    },
    cache: { cachePlugin: new EncryptedCachePlugin(config.cacheDir) },
  };
}

/**
 * Whether a browser window can appear at all. Windows and macOS always have a
 * screen; elsewhere a desktop session sets DISPLAY (X11) or WAYLAND_DISPLAY.
 * Without one (SSH, a container, WSL without a desktop) xdg-open "succeeds"
 * and nothing opens, so the user would wait for a page that never comes.
 */
function hasDisplay(): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Opens a URL with the operating system's default browser. */
function openBrowser(url: string): Promise<void> {
  const [command, args]: [string, string[]] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

function errorCode(error: unknown): string {
  const e = error as { errorCode?: string; subError?: string; errorMessage?: string; message?: string };
  return `${e.errorCode ?? ''} ${e.subError ?? ''} ${e.errorMessage ?? e.message ?? ''}`;
}

/** Turns MSAL's errors into messages a person can act on (and that never carry a token). */
export function explain(error: unknown): string {
  const code = errorCode(error);
  if (/authorization_declined|access_denied|user_cancelled|65004/.test(code)) return 'Sign-in was cancelled or declined. Call the tool again to retry.';
  if (/expired_token|code_expired|70019/.test(code)) return 'The device code expired before the sign-in was completed. Call the tool again for a new code.';
  if (/consent_required|65001/.test(code)) return 'The app has no consent for User.Read yet. Sign in again and accept the permissions, or ask an administrator to grant consent.';
  if (/unauthorized_client|700016/.test(code)) {
    return 'The identity provider does not know this app (unauthorized_client, AADSTS700016): CLIENT_ID is not registered in the tenant that TENANT_ID names. Check both in .env (in the lab, `npm run lab -- doctor` checks them).';
  }
  if (/invalid_client|7000218/.test(code)) return 'The app registration does not allow this sign-in: enable "Allow public client flows" for device code sign-in.';
  if (/invalid_scope/.test(code)) return 'The identity provider refused the requested permission (User.Read).';
  const text = (error as Error).message ?? String(error);
  return `Sign-in failed: ${text.replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted]').slice(0, 300)}`;
}

/**
 * Signs the user in with MSAL's PublicClientApplication: silently from the
 * (persistent, encrypted) cache when it can, interactively otherwise — the
 * system browser, or a device code when LAB_AUTH_MODE=device or no browser
 * can be opened.
 */
export class AuthService {
  readonly #config: Config;
  readonly #pca: PublicClientApplication;
  #pending: Promise<AuthenticationResult> | undefined;

  constructor(config: Config) {
    this.#config = config;
    this.#pca = new PublicClientApplication(msalConfig(config));
  }

  /** An access token for Graph; one interactive sign-in at a time. */
  async getAccessToken(notify: Notify): Promise<string> {
    const silent = await this.#trySilent();
    if (silent) return silent.accessToken;
    this.#pending ??= this.#interactive(notify).finally(() => {
      this.#pending = undefined;
    });
    return (await this.#pending).accessToken;
  }

  /** Removes the cached account (e.g. after Graph refused its token), so the next call signs in again. */
  async forget(): Promise<void> {
    const cache = this.#pca.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
  }

  async #account(): Promise<AccountInfo | undefined> {
    const accounts = await this.#pca.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  async #trySilent(): Promise<AuthenticationResult | undefined> {
    const account = await this.#account();
    if (!account) return undefined;
    try {
      return await this.#pca.acquireTokenSilent({ account, scopes: SCOPES });
    } catch (error) {
      // interaction_required, an expired refresh token, …: fall back to an interactive sign-in.
      process.stderr.write(`silent sign-in not possible (${(error as { errorCode?: string }).errorCode ?? 'error'}); signing in interactively\n`);
      return undefined;
    }
  }

  async #interactive(notify: Notify): Promise<AuthenticationResult> {
    try {
      if (this.#config.authMode === 'browser' && !hasDisplay()) {
        process.stderr.write('LAB_AUTH_MODE=browser, but there is no display to open a browser on (DISPLAY and WAYLAND_DISPLAY are unset): signing in with a device code instead.\n');
      }
      if (this.#config.authMode === 'browser' && hasDisplay()) {
        try {
          return await this.#pca.acquireTokenInteractive({
            scopes: SCOPES,
            openBrowser,
            successTemplate: 'Signed in. You can close this window and return to your MCP client.',
            errorTemplate: 'Sign-in failed. You can close this window; your MCP client shows what happened.',
          });
        } catch (error) {
          // No browser here (SSH, a container, CI): fall back to a device code.
          if (!/ENOENT|spawn|EACCES|ERR_ACCESS_DENIED/.test(errorCode(error))) throw error;
          await notify({ message: 'No browser could be opened; using a device code instead.' });
        }
      }
      const result = await this.#pca.acquireTokenByDeviceCode({
        scopes: SCOPES,
        deviceCodeCallback: (response) => {
          // MSAL calls back even when the IdP refused to give a code (then every field is undefined); its error follows.
          if (!response.userCode) return;
          process.stderr.write(`${response.message}\n`);
          void notify({ message: response.message, url: response.verificationUri }).catch(() => undefined);
        },
      });
      if (!result) throw new SignInFailed('The sign-in returned no token.');
      return result;
    } catch (error) {
      if (error instanceof SignInFailed) throw error;
      throw new SignInFailed(explain(error));
    }
  }
}
