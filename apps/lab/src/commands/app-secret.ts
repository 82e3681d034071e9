import { connectAdmin } from '../admin-client.ts';
import { EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { appRoute, output, type SecretInfo, type TargetOptions } from './admin-shapes.ts';

interface NewSecret extends SecretInfo {
  secretText: string;
  note: string;
}

/** Secrets as the Certificates & secrets blade lists them: description, hint, expiry, ID — never a value. */
export function secretLines(secrets: SecretInfo[]): string[] {
  return secrets.map((s) => `  ${s.keyId}  "${s.displayName}"  ${s.hint}…  expires ${s.endDateTime}`);
}

export async function runSecretAdd(appId: string, o: TargetOptions & { description?: string; expiresInDays?: number }): Promise<number> {
  const admin = await connectAdmin(o);
  const body = { ...(o.description !== undefined ? { displayName: o.description } : {}), ...(o.expiresInDays !== undefined ? { expiresInDays: o.expiresInDays } : {}) };
  const secret = await admin.call<NewSecret>('POST', appRoute(appId, '/secrets'), body);
  // The only moment the value exists outside the IdP's hash: print it once, labelled so it is not mistaken for the key ID.
  output(o.json, secret, () => [
    `Client secret added to ${appId}.`,
    `  Description: ${secret.displayName || '(none)'}`,
    `  Secret ID:   ${secret.keyId}`,
    `  Expires:     ${secret.endDateTime}`,
    `  Value:       ${secret.secretText}`,
    'Copy the value now: it is shown only this once and cannot be read again (put it in the app’s .env as CLIENT_SECRET).',
  ]);
  return EXIT.ok;
}

export async function runSecretList(appId: string, o: TargetOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: SecretInfo[] }>('GET', appRoute(appId, '/secrets'));
  output(o.json, value, () => (value.length === 0 ? [`${appId} has no client secrets.`] : ['Values are never shown again; the hint is their first characters.', ...secretLines(value)]));
  return EXIT.ok;
}

export async function runSecretDelete(appId: string, keyId: string, o: TargetOptions & { yes?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: SecretInfo[] }>('GET', appRoute(appId, '/secrets'));
  const secret = value.find((s) => s.keyId.toLowerCase() === keyId.toLowerCase());
  // An unknown keyId is not asked about: the DELETE below answers with the API's SECRET_NOT_FOUND.
  if (secret) {
    const question = `Delete the client secret "${secret.displayName}" (${secret.hint}…, ${secret.keyId}) of ${appId}? Anything still using it fails its next token request (AADSTS7000215).`;
    if (!(await confirm(question, o.yes))) {
      output(o.json, { deleted: false, keyId }, () => ['Nothing was changed.']);
      return EXIT.ok;
    }
  }
  await admin.call('DELETE', appRoute(appId, `/secrets/${encodeURIComponent(keyId)}`));
  output(o.json, { deleted: true, keyId }, () => [`Deleted client secret ${keyId} of ${appId}.`]);
  return EXIT.ok;
}
