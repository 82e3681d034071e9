/**
 * One protocol exchange or lab action, as the course site's live diagrams and
 * the grader see it. Documented in docs/trace-events.md; never holds a token,
 * code or secret — only their fingerprints.
 */
export type TraceEventType =
  | 'discovery' // GET …/.well-known/openid-configuration
  | 'jwks' // GET …/discovery/v2.0/keys
  | 'authorize' // the app sends the browser to /authorize
  | 'authorize.result' // the IdP sends the browser back to the app (code or error)
  | 'signin.page' // the sign-in page is shown
  | 'signin' // a person signed in (or failed to)
  | 'consent.page'
  | 'consent' // consent given or declined
  | 'devicecode' // a device code was issued
  | 'devicecode.verify' // the person entered the code / confirmed / cancelled
  | 'token' // the token endpoint answered (any grant)
  | 'graph' // a call to the mock Microsoft Graph
  | 'fault' // a fault changed what the IdP did
  | 'token.minted' // a test token made through the admin API
  | 'admin'; // a change through the admin API (registration, user, fault)

export interface TraceEvent {
  /** Increasing per IdP process; use it with `?since=`. */
  id: number;
  /** ISO 8601 */
  time: string;
  type: TraceEventType;
  /** One line for people, e.g. "token: authorization_code → access + refresh token for alice@contoso.test". */
  summary: string;
  tenantId?: string;
  clientId?: string;
  /** The client's `client-request-id` header when it sends one (MSAL does), else one per request. */
  correlationId?: string;
  /** Headers as a browser's network tab shows them, credentials as fingerprints (trace-headers.ts). */
  http?: { method: string; path: string; status: number; requestHeaders?: Record<string, string>; responseHeaders?: Record<string, string> };
  grantType?: string;
  /** The user's object ID and sign-in name, when one is involved. */
  user?: { oid: string; username: string };
  scopes?: string[];
  /** Fingerprints (see fingerprint.ts) of what was issued or presented. */
  fingerprints?: {
    accessToken?: string;
    refreshToken?: string;
    idToken?: string;
    code?: string;
    deviceCode?: string;
    /** What the client presented at the token endpoint (a code, refresh token, device code or OBO assertion; `detail.presented` says which). */
    presented?: string;
  };
  /** The claims of an issued access token (safe to show: a JWT's payload is not secret, only its signature makes it usable). */
  claims?: Record<string, unknown>;
  error?: { error: string; aadsts?: number; description?: string };
  /** Anything else worth seeing, never a secret. */
  detail?: Record<string, unknown>;
}

export type NewTraceEvent = Omit<TraceEvent, 'id' | 'time'>;
