import { z } from 'zod';

/** Where a fault applies: a tenant, one app in it, or everywhere. Graders scope faults per app so parallel jobs don't disturb each other. */
export const FaultScope = z
  .object({
    tenantId: z.string().optional(),
    clientId: z.string().optional(),
  })
  .strict();

const seconds = z.number().int();

/** Faults that stay on until cleared (or until `expiresInSeconds`). */
export const FaultSpec = z.discriminatedUnion('kind', [
  /** Access tokens live this long (Entra: 60–90 minutes). Short lifetimes make refresh observable. */
  z.object({ kind: z.literal('access-token-lifetime'), seconds: seconds.min(1).max(86_400) }).strict(),
  /** The IdP's clock runs ahead (+) or behind (−): iat/nbf/exp of new access tokens shift. Teaches clock tolerance. */
  z.object({ kind: z.literal('clock-skew'), seconds: seconds.min(-86_400).max(86_400) }).strict(),
  /** The next `count` refresh requests fail with invalid_grant (AADSTS70008), as when Entra revokes a session. */
  z.object({ kind: z.literal('fail-next-refresh'), count: seconds.min(1).max(1000).default(1) }).strict(),
  /** OAuth 2.1 rotation: a used refresh token is dead, and using it again revokes the whole grant. */
  z.object({ kind: z.literal('strict-refresh-tokens') }).strict(),
  /**
   * Device codes tell clients to poll every N seconds instead of Entra's 5. The grader uses 1 so a
   * device-code sign-in does not wait 5 s per poll; MSAL still polls exactly as told.
   */
  z.object({ kind: z.literal('device-code-interval'), seconds: seconds.min(1).max(60) }).strict(),
  /**
   * Microsoft Graph answers 401 InvalidAuthenticationToken to every access token of the scoped app,
   * however valid it looks, as when Entra has revoked them (Continuous Access Evaluation after a
   * password reset, say). Scoped to one app, it refuses one grading run's tokens and leaves every
   * other run alone (a signing key rotation would hit them all). New tokens are refused too until
   * the fault is cleared.
   */
  z.object({ kind: z.literal('graph-refuse-tokens') }).strict(),
  /** Microsoft Graph answers 429 with Retry-After: every Nth call, or every call for a while. */
  z
    .object({
      kind: z.literal('graph-throttle'),
      everyNth: seconds.min(1).max(1000).optional(),
      retryAfterSeconds: seconds.min(0).max(3600).default(2),
    })
    .strict(),
]);
export type FaultSpec = z.infer<typeof FaultSpec>;

export const NewFault = z
  .object({
    fault: FaultSpec,
    scope: FaultScope.default({}),
    /** The fault switches itself off after this long. */
    expiresInSeconds: seconds.min(1).max(7 * 86_400).optional(),
  })
  .strict();
export type NewFault = z.infer<typeof NewFault>;

export interface ActiveFault {
  id: string;
  fault: FaultSpec;
  scope: z.infer<typeof FaultScope>;
  /** ISO 8601 */
  createdAt: string;
  expiresAt?: string;
}

/** One-off actions on the directory or the keys: they happen at once and leave nothing to clear. */
export const FaultAction = z.discriminatedUnion('action', [
  /** A new signing key signs from now on; the old one stays in the JWKS for `graceSeconds`, then disappears. */
  z.object({ action: z.literal('rotate-signing-key'), graceSeconds: seconds.min(0).max(86_400).default(300) }).strict(),
  /** Entra's "Revoke sessions": every refresh token and browser session of the user ends. */
  z.object({ action: z.literal('revoke-sessions'), userId: z.string().min(1) }).strict(),
  /** The account can no longer sign in or refresh (AADSTS50057). `enabled: true` undoes it. */
  z.object({ action: z.literal('disable-user'), userId: z.string().min(1), enabled: z.boolean().default(false) }).strict(),
]);
export type FaultAction = z.infer<typeof FaultAction>;
