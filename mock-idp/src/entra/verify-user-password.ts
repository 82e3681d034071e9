import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { entraLocals } from './entra-locals.ts';

const PASSWORD_GRANT = 'password';

/**
 * The resource owner password credentials grant (`grant_type=password`,
 * MSAL's acquireTokenByUsernamePassword): Entra serves it to a public client
 * with "Allow public client flows" on (and to a confidential client with its
 * secret), and refuses it with the sign-in codes: AADSTS50126 wrong password,
 * AADSTS50034 no such user, AADSTS50057 disabled, AADSTS50020 a user of
 * another tenant. (Entra's further ROPC refusals, MFA required AADSTS50076 and
 * federated users, cannot happen here: the lab has neither.) The password is
 * checked here and then taken out of the request, like a client secret: it
 * never reaches oidc-provider, which gets the verified user instead.
 */
export function verifyUserPassword(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const locals = entraLocals(res);
    const { params, tenant, app } = locals;
    if (params.get('grant_type') !== PASSWORD_GRANT) return next();
    const username = (params.get('username') ?? '').trim();
    const password = params.get('password') ?? '';
    params.delete('password');
    if (!username || !password) throw new EntraError(9002313, { detail: "The request must contain the 'username' and 'password' parameters." });
    const user = lab.directory.verifyPassword(username, password);
    if (!user) throw lab.directory.userByName(username) ? new EntraError(50126) : new EntraError(50034, { username, tenantName: tenant.name });
    if (!user.accountEnabled) throw new EntraError(50057);
    if (user.tenantId !== tenant.id && app?.signInAudience !== 'AzureADMultipleOrgs') {
      throw new EntraError(50020, { username: user.userPrincipalName, userIssuer: `https://sts.windows.net/${user.tenantId}/`, tenantName: tenant.name, clientId: app?.appId ?? '' });
    }
    locals.passwordUser = user.id;
    next();
  };
}
