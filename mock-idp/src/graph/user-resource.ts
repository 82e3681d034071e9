import type { User } from '../directory/types.ts';

/**
 * Graph's `user` resource, as `GET /me` shows it. The first block is
 * Graph's default property set, in Graph's order; the rest can be asked for
 * with `$select`. Properties the lab's directory does not keep are null or
 * empty, as they are for a freshly created cloud user in Entra.
 */

const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export const USER_PROPERTIES = [
  ...DEFAULT_USER_PROPERTIES,
  'accountEnabled',
  'userType',
  'mailNickname',
  'otherMails',
  'department',
  'companyName',
  'employeeId',
  'city',
  'country',
  'usageLocation',
] as const;

export type UserProperty = (typeof USER_PROPERTIES)[number];
export type GraphUser = Record<UserProperty, string | boolean | string[] | null>;

// The directory keeps "not set" as an empty string; Graph shows null.
const orNull = (value: string): string | null => (value === '' ? null : value);

export function graphUser(user: User): GraphUser {
  return {
    businessPhones: [],
    displayName: orNull(user.displayName),
    givenName: orNull(user.givenName),
    jobTitle: orNull(user.jobTitle),
    mail: orNull(user.mail),
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: orNull(user.surname),
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: user.accountEnabled,
    userType: 'Member',
    mailNickname: user.userPrincipalName.slice(0, user.userPrincipalName.lastIndexOf('@')),
    otherMails: [],
    department: null,
    companyName: null,
    employeeId: null,
    city: null,
    country: null,
    usageLocation: null,
  };
}

/** What `GET /me` (no `$select`) returns: the default set only. */
export function defaultView(user: GraphUser): Partial<GraphUser> {
  return Object.fromEntries(DEFAULT_USER_PROPERTIES.map((p) => [p, user[p]]));
}
