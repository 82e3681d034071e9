import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the Entra steps decided about a request before oidc-provider sees it.
 * oidc-provider loads a client by ID alone, but an Entra app registration can
 * act as a public client on one request (a desktop redirect URI, no secret) and
 * as a confidential client on the next (its web redirect URI, with a secret).
 * The client metadata built for oidc-provider reads this decision.
 */
export interface RequestContext {
  clientAuth: 'public' | 'secret' | 'assertion';
  /**
   * The API the token request names and the identifier it used for it
   * (`api://contoso` or the appId): a v1.0 access token's `aud`.
   */
  audience?: { indicator: string; named: string };
  /** The user whose password the Entra step verified (ROPC; see entra/verify-user-password.ts). */
  passwordUser?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
