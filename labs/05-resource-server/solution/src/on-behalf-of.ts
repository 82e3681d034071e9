import { ConfidentialClientApplication, LogLevel, ManagedIdentityApplication, type Configuration } from '@azure/msal-node';
import type { Config, Credential } from './config.ts';

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com']);

/** The audience a federated credential on the app registration expects in the token it trusts (Entra's fixed value for the public cloud). */
const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** What the start-up line says this server proves itself with (never the credential itself). */
export function describeCredential(credential: Credential): string {
  switch (credential.kind) {
    case 'managed-identity':
      return 'a managed identity (federated credential)';
    case 'certificate':
      return `a certificate (SHA-256 thumbprint ${credential.thumbprintSha256})`;
    case 'secret':
      return 'a client secret (development only)';
  }
}

/**
 * How MSAL proves who this server is at Entra's token endpoint. With a
 * managed identity, MSAL asks the platform's endpoint for a token whose
 * audience is the token exchange, whenever it needs a fresh one, and sends
 * it as the client assertion; a federated credential on the app trusts that
 * identity. With a certificate, MSAL signs the assertion itself. Either way
 * no secret exists that could leak from a config file or a log.
 */
function clientCredential(credential: Credential): Pick<NonNullable<Configuration['auth']>, 'clientSecret' | 'clientCertificate' | 'clientAssertion'> {
  switch (credential.kind) {
    case 'managed-identity': {
      // MSAL reads IDENTITY_ENDPOINT and IDENTITY_HEADER itself (App Service's contract); config only decided that they are both there.
      const identity = new ManagedIdentityApplication({ system: { loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false } } });
      return { clientAssertion: async () => (await identity.acquireToken({ resource: TOKEN_EXCHANGE })).accessToken };
    }
    case 'certificate':
      return { clientCertificate: { thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKey, x5c: credential.certificate } };
    case 'secret':
      return { clientSecret: credential.secret };
  }
}

/** Entra will not trade this user's token (consent missing, user disabled…): the tool reports it, the client's token stays untouched. */
export class OnBehalfOfRefused extends Error {}

/**
 * Calls downstream APIs as the user, with a token of their own: this server
 * trades the user's token (whose audience is this API) for a Graph token
 * through the on-behalf-of flow. Graph's token names this server as the
 * client (`appid`/`azp`), so Graph, its logs and its throttling see who
 * really calls. The client's token is never forwarded: it was issued for
 * this API alone, and an API that accepts tokens meant for someone else is
 * the confused deputy the MCP specification forbids.
 */
export class OnBehalfOf {
  readonly #msal: ConfidentialClientApplication;
  readonly #graphScopes: string[];

  constructor(config: Config) {
    const host = new URL(config.authorityHost).host;
    this.#graphScopes = [`${config.graphResource}/User.Read`];
    this.#msal = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        ...clientCredential(config.credential),
        authority: `${config.authorityHost}/${config.tenantId}`,
        // MSAL validates authorities against Microsoft's instance discovery; any other host must be declared known.
        ...(MICROSOFT_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
      },
      system: {
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (_level, message) => console.error(`[msal] ${message}`),
        },
      },
    });
  }

  /**
   * A Graph token for the user behind `userToken`. MSAL keeps the result in
   * its cache, keyed by the incoming token: the same user's next call (with
   * the same token) is answered from the cache until the Graph token is
   * about to expire, and one user's Graph token never serves another.
   */
  async graphToken(userToken: string): Promise<string> {
    try {
      const result = await this.#msal.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: this.#graphScopes });
      if (!result?.accessToken) throw new OnBehalfOfRefused('Entra returned no token');
      return result.accessToken;
    } catch (error) {
      if (error instanceof OnBehalfOfRefused) throw error;
      // MSAL's errors carry Entra's code (AADSTS…) and never the assertion.
      const { errorCode, message } = error as { errorCode?: string; message: string };
      throw new OnBehalfOfRefused(`${errorCode ?? 'error'}: ${message.split('\n')[0]}`);
    }
  }
}
