import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClientCertificate, labHome } from '@mcp-lab/mock-idp';
import { connectAdmin } from '../admin-client.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { appRoute, output, type CertificateInfo, type TargetOptions } from './admin-shapes.ts';

/**
 * Where `--create` writes private keys: `MCP_LAB_KEY_DIR`, else
 * `~/.mcp-lab/keys`. Never inside the repository (not even `.lab/`, which
 * a careless `git add -f` or a zip of the folder would carry along).
 */
function keyDirectory(): string {
  return path.resolve(process.env.MCP_LAB_KEY_DIR ?? path.join(os.homedir(), '.mcp-lab', 'keys'));
}

/** This repository's root (apps/lab/src/commands → four levels up), and the lab home wherever MCP_LAB_HOME put it. */
function insideRepository(file: string): boolean {
  return [path.resolve(import.meta.dirname, '..', '..', '..', '..'), labHome()].some((root) => isWithin(root, file));
}

function isWithin(root: string, file: string): boolean {
  const repo = root;
  const relative = path.relative(repo, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Writes the private key with mode 0600 (the file is created so, never widened afterwards), refusing to overwrite. */
function writePrivateKey(file: string, pem: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
}

export async function runCertAdd(appId: string, o: TargetOptions & { pem?: string; create?: boolean; description?: string }): Promise<number> {
  if (Boolean(o.pem) === Boolean(o.create)) {
    throw new CliError('USAGE', 'Give either --pem FILE (a certificate you have) or --create (a new key pair and certificate).', 'mcp-lab app cert add <appId> --create', EXIT.usage);
  }
  let certificate: string;
  let keyFile: string | undefined;
  let certFile: string | undefined;
  let privateKeyPem: string | undefined;
  if (o.pem) {
    try {
      certificate = fs.readFileSync(path.resolve(o.pem), 'utf8');
    } catch (error) {
      throw new CliError('FILE_UNREADABLE', `Cannot read ${o.pem}: ${(error as Error).message}.`, 'Give the path of a PEM (.pem, .crt) or base64 .cer certificate.', EXIT.usage);
    }
  } else {
    const made = await createClientCertificate({ subject: `mcp-lab ${appId}` });
    certificate = made.certificatePem;
    privateKeyPem = made.privateKeyPem;
    const base = path.join(keyDirectory(), `${appId}-${made.thumbprint.slice(0, 8).toLowerCase()}`);
    keyFile = `${base}.key.pem`;
    certFile = `${base}.cert.pem`;
    if (insideRepository(keyFile)) {
      throw new CliError('KEY_IN_REPOSITORY', `${keyFile} is inside the repository; a private key must never be there.`, 'Set MCP_LAB_KEY_DIR to a folder outside the repository (the default is ~/.mcp-lab/keys).', EXIT.usage);
    }
  }
  const admin = await connectAdmin(o);
  const added = await admin.call<CertificateInfo>('POST', appRoute(appId, '/certificates'), { certificate, ...(o.description ? { displayName: o.description } : {}) });
  // The key is written only once the IdP took the certificate: no orphan key files for a refused upload.
  if (keyFile && certFile && privateKeyPem) {
    writePrivateKey(keyFile, privateKeyPem);
    fs.writeFileSync(certFile, certificate, { mode: 0o644, flag: 'wx' });
  }
  output(o.json, { ...added, ...(keyFile ? { privateKeyFile: keyFile, certificateFile: certFile } : {}) }, () => [
    `Certificate added to ${appId}.`,
    `  Description: ${added.displayName}`,
    `  Key ID:      ${added.keyId}`,
    `  Thumbprint:  ${added.customKeyIdentifier}`,
    `  Expires:     ${added.endDateTime}`,
    ...(keyFile
      ? [
          `  Private key: ${keyFile} (mode 0600; not in the repository, never sent to the IdP)`,
          `  Certificate: ${certFile}`,
          'Use it with @azure/identity ClientCertificateCredential (the key and the certificate in one PEM) or MSAL Node clientCertificate { thumbprintSha256, privateKey }.',
        ]
      : []),
  ]);
  return EXIT.ok;
}

export const certificateLine = (c: CertificateInfo) => `  ${c.keyId}  "${c.displayName}"  thumbprint ${c.customKeyIdentifier}  expires ${c.endDateTime}`;

export async function runCertList(appId: string, o: TargetOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: CertificateInfo[] }>('GET', appRoute(appId, '/certificates'));
  output(o.json, value, () =>
    value.length === 0 ? [`${appId} has no certificates.`] : value.map(certificateLine),
  );
  return EXIT.ok;
}

export async function runCertDelete(appId: string, keyId: string, o: TargetOptions & { yes?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  if (!(await confirm(`Delete certificate ${keyId} of ${appId}? Anything signing with it fails its next token request (AADSTS700027).`, o.yes))) {
    output(o.json, { deleted: false, keyId }, () => ['Nothing was changed.']);
    return EXIT.ok;
  }
  await admin.call('DELETE', appRoute(appId, `/certificates/${encodeURIComponent(keyId)}`));
  output(o.json, { deleted: true, keyId }, () => [`Deleted certificate ${keyId} of ${appId}.`]);
  return EXIT.ok;
}
