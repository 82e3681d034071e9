import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { userOf } from './support/flows.ts';

let idp: TestIdp;
let apiToken: string;
let graphToken: string;
const API = SEED.apps.protectedApi.appId;

/** Alice signs in to the lab's public client, which asks for a token to the protected API (and one for Graph). */
beforeAll(async () => {
  idp = await startTestIdp();
  const pca = new PublicClientApplication({ auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
  const redirectUri = 'http://localhost:45111';
  const scopes = [`api://${API}/user_impersonation`];
  const pkce = await new CryptoProvider().generatePkceCodes();
  const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', extraScopesToConsent: ['User.Read'] });
  const delivery = await playUser(url, userOf(idp, 'alice'));
  const result = await pca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes, redirectUri, codeVerifier: pkce.verifier });
  apiToken = result.accessToken;
  graphToken = (await pca.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] })).accessToken;
});
afterAll(async () => {
  await idp.dispose();
});

function apiApp(): ConfidentialClientApplication {
  const secret = idp.info().apps.find((a) => a.clientId === API)!.devSecret!;
  return new ConfidentialClientApplication({ auth: { clientId: API, clientSecret: secret, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
}

describe('on-behalf-of with MSAL', () => {
  it('needs consent for the downstream API first (AADSTS65001)', async () => {
    const error = (await apiApp()
      .acquireTokenOnBehalfOf({ oboAssertion: apiToken, scopes: ['User.Read'] })
      .catch((e: unknown) => e)) as { errorCode?: string; errorMessage?: string };
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS65001');
  });

  it('exchanges the user’s API token for a Graph token for the same user once an admin has consented', async () => {
    idp.directory.grantPermission({ clientAppId: API, consentType: 'AllPrincipals', principalId: null, resourceAppId: SEED.graph.appId, scopes: ['User.Read'] });
    const result = await apiApp().acquireTokenOnBehalfOf({ oboAssertion: apiToken, scopes: ['User.Read'] });
    const claims = decodeJwt(result!.accessToken);
    // A Graph token: v1.0, aud as the scope named Graph, the client in appid.
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', appid: API, appidacr: '1', oid: userOf(idp, 'alice').oid, scp: 'User.Read', tid: idp.homeTenantId, ver: '1.0' });
  });

  it('refuses a token that was not issued to the calling API (AADSTS50013): no token passthrough', async () => {
    const error = (await apiApp()
      .acquireTokenOnBehalfOf({ oboAssertion: graphToken, scopes: ['User.Read'] })
      .catch((e: unknown) => e)) as { errorMessage?: string };
    expect(error.errorMessage).toContain('AADSTS50013');
    expect(error.errorMessage).toContain(`not the calling app ${API}`);
  });

  it('refuses an app-only token as the assertion', async () => {
    const webSecret = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!.devSecret!;
    const web = new ConfidentialClientApplication({ auth: { clientId: SEED.apps.webServer.appId, clientSecret: webSecret, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const appOnly = await web.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] });
    const error = (await apiApp()
      .acquireTokenOnBehalfOf({ oboAssertion: appOnly!.accessToken, scopes: ['User.Read'] })
      .catch((e: unknown) => e)) as { errorMessage?: string };
    expect(error.errorMessage).toContain('AADSTS50013');
    expect(error.errorMessage).toContain('app-only');
  });
});
