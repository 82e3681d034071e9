import type { AppRegistration, PermissionScope } from '../directory/types.ts';
import { deepFreeze } from './deep-freeze.ts';
import { HOME_TENANT } from './tenants.ts';

/**
 * Microsoft Graph as a built-in resource. In Entra, Graph is a first-party,
 * multi-tenant application owned by Microsoft that every tenant has a service
 * principal for; nobody registers it. Here it is a constant shaped like an
 * `AppRegistration` so that the protocol code treats it like any API, but it
 * is never stored in the applications table and cannot be edited or deleted.
 *
 * The appId and the permission IDs are Graph's real, well-known ones, so a
 * manifest's requiredResourceAccess reads the same here as in Entra.
 */

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_IDENTIFIER_URI = 'https://graph.microsoft.com';

/** Delegated permission (scope) IDs, as published by Microsoft. */
export const GRAPH_SCOPE_IDS = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.ReadBasic.All': 'b340eb25-3456-403f-be2f-af7a0d370277',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
  profile: '14dad69e-099b-42c9-810b-d002981feec1',
  email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
} as const;

/** Application permission (app role) IDs, as published by Microsoft. */
export const GRAPH_ROLE_IDS = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
} as const;

function scope(value: keyof typeof GRAPH_SCOPE_IDS, admin: [string, string], user: [string, string]): PermissionScope {
  return {
    id: GRAPH_SCOPE_IDS[value],
    value,
    type: 'User',
    adminConsentDisplayName: admin[0],
    adminConsentDescription: admin[1],
    userConsentDisplayName: user[0],
    userConsentDescription: user[1],
    isEnabled: true,
  };
}

export const MICROSOFT_GRAPH: AppRegistration = deepFreeze({
  appId: GRAPH_APP_ID,
  // Graph's object and service principal IDs differ per tenant in Entra;
  // these are the lab's own fixed values.
  id: '96a90000-0000-4000-8000-000000000003',
  servicePrincipalId: '96a95e00-0000-4000-8000-000000000003',
  // Graph belongs to no lab tenant (it is Microsoft's), but the type needs one.
  tenantId: HOME_TENANT.id,
  displayName: 'Microsoft Graph',
  signInAudience: 'AzureADMultipleOrgs',
  isFallbackPublicClient: false,
  identifierUris: [GRAPH_IDENTIFIER_URI],
  web: { redirectUris: [] },
  spa: { redirectUris: [] },
  publicClient: { redirectUris: [] },
  api: {
    oauth2PermissionScopes: [
      scope(
        'User.Read',
        ['Sign in and read user profile', 'Lets users sign in to the app and lets the app read the profile and basic company information of signed-in users.'],
        ['Sign in and read your profile', 'Lets you sign in to the app with your work account and lets the app read your profile and basic company information.'],
      ),
      scope(
        'User.ReadBasic.All',
        ["Read all users' basic profiles", 'Lets the app read the basic profile (name, picture, email) of every user in the organisation on behalf of the signed-in user.'],
        ["Read all users' basic profiles", 'Lets the app read the basic profile (name, picture, email) of the people in your organisation for you.'],
      ),
      scope(
        'openid',
        ['Sign users in', 'Lets users sign in to the app with their work account and lets the app see basic user profile information.'],
        ['Sign you in', 'Lets you sign in to the app with your work account and lets the app see basic profile information.'],
      ),
      scope(
        'profile',
        ["View users' basic profile", "Lets the app see users' basic profile (name, user name, email address)."],
        ['View your basic profile', 'Lets the app see your basic profile (name, user name, email address).'],
      ),
      scope(
        'email',
        ["View users' email address", "Lets the app read users' primary email address."],
        ['View your email address', 'Lets the app read your primary email address.'],
      ),
      scope(
        'offline_access',
        ['Maintain access to data you have given it access to', 'Lets the app keep using the data users gave it access to while they are not using the app. It gives the app no additional permissions.'],
        ['Maintain access to data you have given it access to', 'Lets the app keep using the data you gave it access to while you are not using the app. It gives the app no additional permissions.'],
      ),
    ],
    // Graph's access tokens are v1.0, on Entra and here (aud https://graph.microsoft.com
    // or Graph's appId, iss https://sts.windows.net/{tid}/); see protocol/token-version.ts.
    requestedAccessTokenVersion: 1,
  },
  appRoles: [
    {
      id: GRAPH_ROLE_IDS['User.Read.All'],
      value: 'User.Read.All',
      displayName: "Read all users' full profiles",
      description: 'Lets the app read the full profile of every user in the organisation, without a signed-in user.',
      allowedMemberTypes: ['Application'],
      isEnabled: true,
    },
  ],
  requiredResourceAccess: [],
  createdDateTime: '2016-01-01T00:00:00.000Z',
});
