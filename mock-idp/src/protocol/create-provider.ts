import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { errorPageHtml } from '../errors/render-error.ts';
import { fromOidcFailure } from '../errors/from-oidc-error.ts';
import { PAGE_SECURITY_HEADERS } from '../html/layout.ts';
import { makeFindAccount } from './account.ts';
import { makeAccessTokenCustomizer } from './access-token-claims.ts';
import { makeLoadExistingGrant } from './consent.ts';
import { entraAuthorizeErrors, entraDeviceCodeResponse, entraDiscovery, entraTokenErrors, entraTokenResponse, FAILURE_KEY } from './koa-steps.ts';
import { matchRedirectUri } from './redirect-uris.ts';
import { successSource, userCodeConfirmSource, userCodeInputSource } from '../interaction/device-pages.ts';
import { GRAPH_INDICATOR } from './resources.ts';
import { resourceServerInfo } from './resource-server-info.ts';
import { pairwiseSubject } from './pairwise.ts';
import { koaTrace } from '../trace/koa-trace.ts';
import { LIFETIMES } from './lifetimes.ts';
import { makeOnBehalfOf, OBO_GRANT, OBO_PARAMS } from './on-behalf-of.ts';
import { makePasswordGrant, PASSWORD_PARAMS } from './password-grant.ts';
import type { TenantContext } from './lab-context.ts';

/** Entra's v2.0 endpoint paths, relative to `/{tenant}`. */
export const ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  jwks: '/discovery/v2.0/keys',
  end_session: '/oauth2/v2.0/logout',
  device_authorization: '/oauth2/v2.0/devicecode',
  // Entra's is the global https://microsoft.com/devicelogin; here each tenant has its own.
  code_verification: '/devicelogin',
} as const;

export interface ProviderOptions {
  issuer: string;
  signingKeys: JWK[];
  cookieKeys: string[];
  adapter: NonNullable<Configuration['adapter']>;
}

/**
 * One oidc-provider per tenant (a Provider has one issuer), configured to
 * behave like Entra ID's v2.0 endpoints. What Entra does differently from
 * a generic OpenID provider is listed in `docs/architecture.md` and done by
 * small, named steps: here (token claims, consent, redirect URIs) and in
 * `../entra/` (before the request reaches oidc-provider).
 */
export function createProvider(ctx: TenantContext, options: ProviderOptions): Provider {
  const tid = ctx.tenant.id;
  const configuration: Configuration = {
    adapter: options.adapter,
    findAccount: makeFindAccount(ctx.directory),
    jwks: { keys: options.signingKeys },
    cookies: {
      keys: options.cookieKeys,
      names: { session: `_session_${tid}`, interaction: `_interaction_${tid}`, resume: `_interaction_resume_${tid}` },
      long: { signed: true, sameSite: 'lax' },
      short: { signed: true, sameSite: 'lax' },
    },
    claims: {
      openid: ['sub', 'oid', 'tid', 'ver'],
      profile: ['name', 'preferred_username', 'given_name', 'family_name'],
      email: ['email'],
    },
    // Entra puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    // Entra's ID-token `sub` differs per app for the same user (oid does not).
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSubject(accountId, client.clientId),
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    responseTypes: ['code'],
    routes: ROUTES,
    ttl: {
      ...LIFETIMES,
      // From the resource server info, where the lifetime fault applies.
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? LIFETIMES.AccessToken,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? LIFETIMES.ClientCredentials,
    },
    interactions: { url: (_ctx, interaction) => `/${tid}/login/${interaction.uid}` },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // Entra hands out a new refresh token on every use and keeps the old one
    // valid; the adapter decides whether "consumed" means anything (strict mode).
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    loadExistingGrant: makeLoadExistingGrant(ctx),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Nine characters without a dash, like Entra's user codes.
      deviceFlow: { enabled: true, charset: 'base-20', mask: '*********', userCodeInputSource, userCodeConfirmSource, successSource },
      introspection: { enabled: false },
      revocation: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf?.[0] ?? GRAPH_INDICATOR,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator, client) => {
          const info = resourceServerInfo(ctx, indicator, client.clientId);
          if (!info) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return info;
        },
      },
    },
    formats: { customizers: { jwt: makeAccessTokenCustomizer(ctx, tid) as never } },
    renderError: (koa: KoaContextWithOIDC, out, error) => {
      const err = fromOidcFailure({ ...out, ...(error as object) });
      koa.status = err.status;
      koa.set(PAGE_SECURITY_HEADERS);
      koa.type = 'html';
      koa.body = errorPageHtml(err);
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.registerGrantType(OBO_GRANT, makeOnBehalfOf(ctx), OBO_PARAMS);
  provider.registerGrantType('password', makePasswordGrant(ctx), PASSWORD_PARAMS);
  // A tenant's IdP is reached directly over HTTPS, never behind a proxy.
  provider.proxy = false;

  // Entra's redirect URI rules (per platform; loopback any port for desktop apps).
  const lookupApp = (clientId: string) => ctx.directory.app(clientId);
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(this: { clientId: string }, uri: string): boolean {
    const app = lookupApp(this.clientId);
    return app !== undefined && matchRedirectUri(app, uri) !== undefined;
  };
  // Sign-out: Entra returns to a post_logout_redirect_uri that is one of the app's registered
  // redirect URIs (any platform, same matching); oidc-provider would want a separate list.
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(this: { clientId: string }, uri: string): boolean {
    const app = lookupApp(this.clientId);
    return app !== undefined && matchRedirectUri(app, uri) !== undefined;
  };

  // Keep the whole error (with oidc-provider's detail) for `entraTokenErrors`.
  const keep = (koa: KoaContextWithOIDC, error: unknown) => {
    koa.state[FAILURE_KEY] = error;
  };
  provider.on('grant.error', keep);
  provider.on('authorization.error', keep);
  // Outermost, so it sees the responses as the Entra steps below leave them.
  provider.use(koaTrace(ctx.trace, tid, ctx.directory));
  provider.use(entraDiscovery(ctx));
  provider.use(entraDeviceCodeResponse(ctx));
  provider.use(entraTokenErrors());
  provider.use(entraAuthorizeErrors());
  provider.use(entraTokenResponse(ctx));
  return provider;
}
