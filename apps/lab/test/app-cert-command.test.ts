import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificate, SEED } from '@mcp-lab/mock-idp';
import { runCli, startCliIdp, type CliIdp, type CliResult } from './run-cli.ts';

let cli: CliIdp;
let keyDir: string;
beforeAll(async () => {
  cli = await startCliIdp('cert');
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-keys-'));
});
afterAll(async () => {
  await cli.stop();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

const lab = (...args: string[]): Promise<CliResult> => runCli([...args, '--idp', cli.baseUrl, '--data', cli.dataDir], { ...cli.env, MCP_LAB_KEY_DIR: keyDir });

describe('mcp-lab app fic', () => {
  it('adds a federated credential for the lab’s user-assigned managed identity, lists and deletes it', async () => {
    const info = (await (await fetch(`${cli.baseUrl}/_lab/info`)).json()) as { managedIdentity: { identities: { type: string; issuer: string; objectId: string }[] } };
    const user = info.managedIdentity.identities.find((i) => i.type === 'UserAssigned')!;
    const added = await lab('app', 'fic', 'add', SEED.apps.webServer.appId, '--issuer', user.issuer, '--subject', user.objectId, '--name', 'lab-mi', '--json');
    expect(added.code).toBe(0);
    const fic = JSON.parse(added.stdout) as { id: string; audiences: string[] };
    expect(fic.audiences).toEqual(['api://AzureADTokenExchange']);
    expect((await lab('app', 'fic', 'list', SEED.apps.webServer.appId)).stdout).toContain(`subject ${user.objectId}`);
    expect((await lab('app', 'fic', 'delete', SEED.apps.webServer.appId, fic.id, '--yes')).code).toBe(0);
  });
});

describe('mcp-lab app cert', () => {
  it('--create makes a key pair, uploads the certificate, keeps the private key outside the repository (0600) and says where; MSAL signs in with it', async () => {
    const created = await lab('app', 'create', '--name', 'Cert daemon', '--json');
    const appId = (JSON.parse(created.stdout) as { appId: string }).appId;
    const added = await lab('app', 'cert', 'add', appId, '--create', '--json');
    expect(added.code).toBe(0);
    const info = JSON.parse(added.stdout) as { privateKeyFile: string; certificateFile: string; thumbprints: { 'x5t#S256': string } };
    expect(path.dirname(info.privateKeyFile)).toBe(keyDir);
    expect(fs.statSync(info.privateKeyFile).mode & 0o777).toBe(0o600);
    const text = await lab('app', 'cert', 'list', appId);
    expect(text.stdout).toContain('thumbprint');

    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: appId,
        authority: `${cli.baseUrl}/${SEED.tenants.home.id}`,
        knownAuthorities: [new URL(cli.baseUrl).host],
        clientCertificate: { thumbprintSha256: Buffer.from(info.thumbprints['x5t#S256'], 'base64url').toString('hex'), privateKey: fs.readFileSync(info.privateKeyFile, 'utf8') },
      },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ appid: appId, appidacr: '2' });
  });

  it('--pem uploads a certificate one has; a private key in its place is refused with the reason (64 for usage, the IdP’s code otherwise)', async () => {
    const mine = await createClientCertificate();
    const pem = path.join(keyDir, 'mine.cert.pem');
    fs.writeFileSync(pem, mine.certificatePem);
    const uploaded = await lab('app', 'cert', 'add', SEED.apps.webServer.appId, '--pem', pem);
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toContain(mine.thumbprint);
    const keyPath = path.join(keyDir, 'mine.key.pem');
    fs.writeFileSync(keyPath, mine.privateKeyPem);
    const refused = await lab('app', 'cert', 'add', SEED.apps.webServer.appId, '--pem', keyPath);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('private key');
    const neither = await lab('app', 'cert', 'add', SEED.apps.webServer.appId);
    expect(neither.code).toBe(64);
  });
});

describe('mcp-lab app show', () => {
  it('lists the app’s certificates (thumbprint, expiry) and federated credentials (issuer, subject, audiences), as text and as JSON', async () => {
    const created = await lab('app', 'create', '--name', 'Credentials shown', '--json');
    const appId = (JSON.parse(created.stdout) as { appId: string }).appId;
    const cert = await createClientCertificate({ subject: 'shown-in-app-show' });
    const pemFile = path.join(keyDir, 'shown.pem');
    fs.writeFileSync(pemFile, cert.certificatePem);
    expect((await lab('app', 'cert', 'add', appId, '--pem', pemFile, '--description', 'ci-cert')).code).toBe(0);
    const info = (await (await fetch(`${cli.baseUrl}/_lab/info`)).json()) as { managedIdentity: { identities: { type: string; issuer: string; objectId: string }[] } };
    const mi = info.managedIdentity.identities.find((i) => i.type === 'SystemAssigned')!;
    expect((await lab('app', 'fic', 'add', appId, '--issuer', mi.issuer, '--subject', mi.objectId, '--name', 'from-mi')).code).toBe(0);

    const text = (await lab('app', 'show', appId)).stdout;
    expect(text).toContain('Certificates (1; only the public part is stored)');
    expect(text).toMatch(new RegExp(`"ci-cert"  thumbprint ${cert.thumbprint}  expires \\d{4}-\\d\\d-\\d\\dT`));
    expect(text).toContain('Federated credentials (1)');
    expect(text).toContain(`from-mi  issuer ${mi.issuer}  subject ${mi.objectId}  audience api://AzureADTokenExchange`);

    const shown = JSON.parse((await lab('app', 'show', appId, '--json')).stdout) as {
      keyCredentials: { customKeyIdentifier: string; endDateTime: string }[];
      federatedIdentityCredentials: { issuer: string; subject: string; audiences: string[] }[];
    };
    expect(shown.keyCredentials).toEqual([expect.objectContaining({ customKeyIdentifier: cert.thumbprint })]);
    expect(Date.parse(shown.keyCredentials[0]!.endDateTime)).toBeGreaterThan(Date.now());
    expect(shown.federatedIdentityCredentials).toEqual([expect.objectContaining({ issuer: mi.issuer, subject: mi.objectId, audiences: ['api://AzureADTokenExchange'] })]);
  });
});
