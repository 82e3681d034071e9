import type { AppRegistration, SecretCredential } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';

/** What the admin API shows of a secret: never its value (Graph's passwordCredential without secretText). */
export interface SecretView {
  keyId: string;
  displayName: string;
  hint: string;
  startDateTime: string;
  endDateTime: string;
}

export function secretView(secret: SecretCredential): SecretView {
  return { keyId: secret.keyId, displayName: secret.displayName, hint: secret.hint, startDateTime: secret.startDateTime, endDateTime: secret.endDateTime };
}

/** An app registration as the admin API returns it: the stored model plus its secrets' metadata. */
export type AppView = AppRegistration & { passwordCredentials: SecretView[] };

export function appView(directory: Directory, app: AppRegistration): AppView {
  return { ...app, passwordCredentials: directory.secrets(app.appId).map(secretView) };
}
