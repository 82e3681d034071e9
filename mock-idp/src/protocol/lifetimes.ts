/** Token and session lifetimes as Entra uses them (seconds). Faults may shorten access tokens. */
export const LIFETIMES = {
  AccessToken: 3600,
  AuthorizationCode: 600,
  IdToken: 3600,
  ClientCredentials: 3600,
  RefreshToken: 90 * 24 * 3600,
  Grant: 90 * 24 * 3600,
  Interaction: 3600,
  DeviceCode: 900,
  Session: 14 * 24 * 3600,
} as const;
