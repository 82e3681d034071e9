import type { User } from '../../directory/types.ts';

/** A user as the admin API shows it (Graph's user resource, plus the lab's tenantId and isAdmin). Never a password. */
export function userView(user: User): User {
  return {
    id: user.id,
    tenantId: user.tenantId,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    mail: user.mail,
    jobTitle: user.jobTitle,
    isAdmin: user.isAdmin,
    accountEnabled: user.accountEnabled,
  };
}
