import fs from 'node:fs';
import path from 'node:path';
import { AdminRequestError } from '@mcp-lab/harness';
import { connectAdmin } from '../admin-client.ts';
import { CliError, EXIT, exitCodeOfRefusal } from '../cli-error.ts';
import { appRoute, output, tenantQuery, type AdminApp, type TargetOptions } from './admin-shapes.ts';

interface ImportResult {
  app: AdminApp;
  replaced: boolean;
  kept: { appId: boolean; id: boolean };
  secrets: { imported: number; message: string; fix: string };
  certificates: { imported: number; listed: number };
  warnings: string[];
}

/** Indexes of password credentials that carry a value: an export must have none. */
function secretValues(manifest: unknown): number[] {
  const credentials = (manifest as { passwordCredentials?: { secretText?: unknown }[] | null }).passwordCredentials ?? [];
  return credentials.flatMap((c, i) => (c.secretText === null || c.secretText === undefined || c.secretText === '' ? [] : [i]));
}

export async function runAppExport(appId: string, o: TargetOptions & { out?: string }): Promise<number> {
  const admin = await connectAdmin(o);
  const manifest = await admin.call<Record<string, unknown>>('GET', appRoute(appId, '/manifest'));
  // The IdP never exports a value; checking again here keeps a future regression from writing a secret to disk or a terminal log.
  const leaked = secretValues(manifest);
  if (leaked.length > 0) {
    throw new CliError('SECRET_IN_EXPORT', `The IdP returned a manifest with a secret value (passwordCredentials[${leaked.join('], [')}]); nothing was written.`, 'Report this as an IdP bug: manifests must carry secretText: null.');
  }
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!o.out) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  const file = path.resolve(o.out);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new CliError('FILE_UNWRITABLE', `Could not write ${file}: ${(error as Error).message}`, 'Choose another --out path.');
  }
  output(o.json, { appId, out: file }, () => [`Manifest of ${appId} written to ${file} (secret values are never exported).`]);
  return EXIT.ok;
}

function readManifest(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('FILE_UNREADABLE', `Could not read ${file}: ${(error as Error).message}`, 'Check the path (an exported manifest, e.g. from `mcp-lab app export <appId> --out FILE`).');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('INVALID_JSON', `${file} is not JSON: ${(error as Error).message}`, 'Import the manifest file as the portal or `mcp-lab app export` saved it.', EXIT.usage);
  }
}

export async function runAppImport(file: string, o: TargetOptions & { replace?: boolean; tenant?: string }): Promise<number> {
  const manifest = readManifest(path.resolve(file));
  const admin = await connectAdmin(o);
  const result = await admin.call<ImportResult>('POST', `/apps/import${tenantQuery(o.tenant, o.replace ? { replace: 'true' } : {})}`, manifest).catch((error: unknown) => {
    // The API's fix names its query parameter; here the same choice is a flag.
    if (error instanceof AdminRequestError && error.code === 'APP_EXISTS') {
      throw new CliError(error.code, error.message, 'Run it again with --replace to replace that registration (its secrets, consent and role assignments go with it), or remove appId and id from the manifest to import a copy with new IDs.', exitCodeOfRefusal(error));
    }
    throw error;
  });
  const { app } = result;
  output(o.json, result, () => [
    `Imported "${app.displayName}"${result.replaced ? ', replacing the registration with that appId' : ''}.`,
    `Application (client) ID: ${app.appId}${result.kept.appId ? ' (as in the manifest)' : ' (new)'}`,
    `Object ID:               ${app.id}${result.kept.id ? ' (as in the manifest)' : ' (new)'}`,
    `Directory (tenant) ID:   ${app.tenantId}`,
    ...(result.certificates.listed > 0 ? [`Certificates:            ${result.certificates.imported} of ${result.certificates.listed} imported (public parts; see the warnings for the rest)`] : []),
    `note: ${result.secrets.message}`,
    // The API's fix names its own route; on the command line the same step is a verb.
    `fix: If the app is a confidential client, add a secret with \`mcp-lab app secret add ${app.appId}\` and put it in the app's .env as CLIENT_SECRET.`,
    ...result.warnings.map((w) => `warning: ${w}`),
  ]);
  return EXIT.ok;
}
