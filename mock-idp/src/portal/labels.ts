import { PLATFORM_LABELS, PLATFORMS, type Platform } from '../admin/apps/redirect-uri-rules.ts';
import type { SignInAudience } from '../directory/types.ts';

/** "Supported account types" as the Overview blade words them. */
export const AUDIENCE_SHORT: Readonly<Record<SignInAudience, string>> = {
  AzureADMyOrg: 'My organization only',
  AzureADMultipleOrgs: 'Multiple organizations',
};

/** The choices of "Supported account types" on "Register an application" (the lab has no personal accounts). */
export function audienceChoices(tenantName: string): { value: SignInAudience; label: string }[] {
  return [
    { value: 'AzureADMyOrg', label: `Accounts in this organizational directory only (${tenantName} only - Single tenant)` },
    { value: 'AzureADMultipleOrgs', label: 'Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant)' },
  ];
}

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/** "Select a platform" on the registration form, with the names Entra uses there. */
export const REGISTER_PLATFORM_CHOICES: readonly { value: Platform | ''; label: string }[] = [
  { value: '', label: 'Select a platform' },
  { value: 'web', label: 'Web' },
  { value: 'spa', label: 'Single-page application (SPA)' },
  { value: 'publicClient', label: 'Public client/native (mobile & desktop)' },
];

export { PLATFORM_LABELS, PLATFORMS };
