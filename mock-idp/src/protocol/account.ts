import type { FindAccount } from 'oidc-provider';
import type { Directory } from '../store/directory.ts';

/**
 * Users as oidc-provider accounts. The claims are the ones Entra puts in a
 * v2.0 ID token and that MSAL reads into its account object:
 * `oid`, `tid`, `preferred_username`, `name`.
 */
export function makeFindAccount(directory: Directory): FindAccount {
  return (ctx, id) => {
    const user = directory.user(id);
    if (!user?.accountEnabled) return undefined;
    return {
      accountId: user.id,
      // oidc-provider replaces `sub` with the pairwise value (pairwiseIdentifier in create-provider.ts).
      claims: () => ({
        sub: user.id,
        oid: user.id,
        tid: user.tenantId,
        ver: '2.0',
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        given_name: user.givenName,
        family_name: user.surname,
        email: user.mail,
      }),
    };
  };
}
