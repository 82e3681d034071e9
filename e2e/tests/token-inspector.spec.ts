import { idpAdmin } from '../support/idp-admin.ts';
import { expect, seriousViolations, test } from './fixtures.ts';

const API = '05a91000-0000-4000-8000-000000000005';

test.describe('the token inspector', () => {
  test('says a pasted expired token must be rejected, and explains its claims and signature', async ({ page, lab }) => {
    const { access_token: token } = await idpAdmin<{ access_token: string }>(lab, 'POST', '/tokens', { user: 'alice@contoso.test', audience: API, lifetimeSeconds: -3600 });
    await page.goto('/en');
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'Token inspector' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Token inspector');

    await page.getByLabel('Access token (JWT)').fill(token);
    await page.getByLabel('Your API’s application ID (optional)').fill(`api://${API}`);
    await page.getByRole('button', { name: 'Inspect' }).click();

    const expired = page.locator('[data-finding="expired"]');
    await expect(expired).toContainText('Reject: Expired: exp was');
    await expect(expired).toContainText('1 hour ago');
    await expect(page.locator('[data-finding]')).toHaveCount(1); // audience and tenant are right: only the expiry is wrong
    await expect(page.locator('[data-signature="valid"]')).toContainText(`${lab.idpUrl}/`);
    const claims = page.getByRole('table', { name: 'Claims' });
    await expect(claims.locator('tr[data-claim="aud"]')).toContainText('Audience: the API this token was issued for');
    await expect(claims.locator('tr[data-claim="exp"]')).toContainText('your local time');
    await expect(page.getByRole('table', { name: 'Header' }).locator('tr[data-claim="kid"]')).toContainText('Key ID');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('in Dutch: a Graph token sent to an API, and a changed token whose signature no longer holds', async ({ page, lab }) => {
    const { access_token: token } = await idpAdmin<{ access_token: string }>(lab, 'POST', '/tokens', { user: 'bob@contoso.test', audience: 'graph' });
    await page.goto('/nl/token-inspector');
    await page.getByLabel('Access token (JWT)').fill(token);
    await page.getByRole('button', { name: 'Inspecteer' }).click();
    await expect(page.locator('[data-finding="graph-token"]')).toContainText('Weigeren: Dit is een token voor Microsoft Graph');
    await expect(page.getByRole('table', { name: 'Claims' }).locator('tr[data-claim="tid"]')).toContainText('Tenant-ID: de directory');

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const changed = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    changed.scp = 'User.Read.All';
    await page.getByLabel('Access token (JWT)').fill(`${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`);
    await page.getByRole('button', { name: 'Inspecteer' }).click();
    await expect(page.locator('[data-signature="invalid"]')).toContainText('Ongeldig');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('checks the signature against a key set URL the learner gives, and says when it cannot be had', async ({ page, lab }) => {
    const { access_token: token } = await idpAdmin<{ access_token: string }>(lab, 'POST', '/tokens', { user: 'alice@contoso.test', audience: API });
    const home = 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01';
    await page.goto('/en/token-inspector');
    await page.getByLabel('Access token (JWT)').fill(token);
    await page.getByLabel('Key set URL (optional)').fill(`${lab.idpUrl}/${home}/discovery/v2.0/keys`);
    await page.getByRole('button', { name: 'Inspect' }).click();
    await expect(page.locator('[data-signature="valid"]')).toContainText(`${lab.idpUrl}/${home}/discovery/v2.0/keys`);
    await expect(page.getByText('Nothing to reject')).toBeVisible();

    await page.getByLabel('Key set URL (optional)').fill(`${lab.idpUrl}/_lab/no-such-keys`);
    await page.getByRole('button', { name: 'Inspect' }).click();
    await expect(page.locator('[data-signature="unchecked"]')).toContainText('the key set could not be fetched');
  });

  test('explains what is wrong with something that is not a token', async ({ page }) => {
    await page.goto('/en/token-inspector');
    await page.getByLabel('Access token (JWT)').fill('not-a-token');
    await page.getByRole('button', { name: 'Inspect' }).click();
    await expect(page.getByRole('heading', { name: 'The token could not be inspected' })).toBeFocused();
    await expect(page.getByText('A JWT has three parts separated by dots; this has 1.')).toBeVisible();
  });
});
