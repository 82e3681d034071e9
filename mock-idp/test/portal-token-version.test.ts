import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../src/index.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { alerts, notice, pageText, parseForms, PortalBrowser } from './support/portal-browser.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let portal: PortalBrowser;
beforeAll(async () => {
  idp = await startTestIdp();
  portal = new PortalBrowser(idp.baseUrl);
  const admin = userOf(idp, 'admin');
  await portal.signIn(admin.username, admin.password);
});
afterAll(async () => {
  await idp.dispose();
});

/** The access token version in the portal: a new registration's null, the Manifest blade's setting, the Overview's line. */
describe('portal: the access token version', () => {
  it('registers with null, shows v1.0 on Overview once an API is exposed, and the Manifest blade switches it; the next token follows', async () => {
    const form = await portal.open('/portal/apps/new');
    const overview = await portal.submit(form, 'Register', { displayName: 'Portal API', signInAudience: 'AzureADMyOrg' });
    const appId = /\/portal\/apps\/([0-9a-f-]{36})\//.exec(overview.url.pathname)?.[1] ?? '';
    expect(idp.directory.app(appId)?.api.requestedAccessTokenVersion).toBeNull();
    // Expose the API (admin API: the Expose an API blade is another test's) and give a daemon access.
    idp.directory.updateApp(appId, { identifierUris: [`api://${appId}`] });
    const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
    const token = async () => {
      const res = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.devSecret!, scope: `api://${appId}/.default` });
      return decodeJwt(String(res.body.access_token));
    };
    expect(pageText(await portal.open(`/portal/apps/${appId}/overview`))).toContain('Access token version v1.0 (requestedAccessTokenVersion null)');
    expect(await token()).toMatchObject({ ver: '1.0', aud: `api://${appId}` });

    const manifest = await portal.open(`/portal/apps/${appId}/manifest`);
    expect(pageText(manifest)).toContain('"requestedAccessTokenVersion": null');
    const saved = await portal.submit(manifest, 'Save requestedAccessTokenVersion', { requestedAccessTokenVersion: '2' });
    expect(alerts(saved)).toEqual([]);
    expect(notice(saved)).toMatch(/next access token/);
    expect(pageText(saved)).toContain('"requestedAccessTokenVersion": 2');
    expect(await token()).toMatchObject({ ver: '2.0', aud: appId });
    expect(pageText(await portal.open(`/portal/apps/${appId}/overview`))).toContain('Access token version v2.0 (requestedAccessTokenVersion 2)');

    const back = await portal.submit(saved, 'Save requestedAccessTokenVersion', { requestedAccessTokenVersion: 'null' });
    expect(pageText(back)).toContain('"requestedAccessTokenVersion": null');
    expect((await token()).ver).toBe('1.0');
  });

  it('refuses a value that is not null, 1 or 2, and changes nothing', async () => {
    const manifest = await portal.open(`/portal/apps/${SEED.apps.protectedApi.appId}/manifest`);
    // What a tampered form would send (the radio buttons offer only null, 1 and 2).
    const form = parseForms(manifest).find((f) => f.action.endsWith('/manifest/token-version'))!;
    const csrf = form.controls.find((c) => c.name === 'csrf')!.value;
    const refused = await portal.post(form.action, { csrf, requestedAccessTokenVersion: 'toString' });
    expect(refused.status).toBe(400);
    expect(alerts(refused).join(' ')).toContain('Select null, 1 or 2');
    expect(idp.directory.app(SEED.apps.protectedApi.appId)?.api.requestedAccessTokenVersion).toBe(2);
  });
});
