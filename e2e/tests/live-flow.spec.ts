import type { BrowserContext, Locator, Page } from '@playwright/test';
import { writeWorkCopy } from '../support/lab-copies.ts';
import { expect, seriousViolations, test } from './fixtures.ts';

const LAB = '02-public-client';
const ARROWS = ['tool-call', 'discovery', 'device-code', 'prompt', 'enter-code', 'sign-in', 'consent', 'token', 'graph-me', 'tool-result'];

/** The tab where the person acts: the one the page opened, or the one its link opens when the browser blocked the pop-up. */
async function personsTab(prompt: Locator, popup: Promise<Page | undefined>, context: BrowserContext, noTab: string): Promise<Page> {
  const tab = (await prompt.getAttribute('data-opened')) === 'yes' ? await popup : (await Promise.all([context.waitForEvent('page'), prompt.getByRole('link').click()]))[0];
  if (!tab) throw new Error(noTab);
  return tab;
}

/** alice signs in at the IdP and accepts its consent page when it asks (an earlier test may have consented already); true when it asked. */
async function signInAlice(tab: Page): Promise<boolean> {
  await tab.getByLabel('Email or user name').fill('alice@contoso.test');
  await tab.getByLabel('Password').fill('alice-lab-2026');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  const accept = tab.getByRole('button', { name: 'Accept' });
  const signedIn = tab.getByRole('heading', { name: 'Signed in' });
  await expect(accept.or(signedIn)).toBeVisible();
  const consented = await accept.isVisible();
  if (consented) await accept.click();
  await expect(signedIn).toBeVisible();
  return consented;
}

test.describe('a live sequence diagram', () => {
  // Real servers, real sign-ins, device-code polling every 5 s, on a shared 2-core machine: generous limits, no timing assertions.
  test.setTimeout(180_000);

  test('lab 02: runs the real flow, the learner signs in in the browser, every arrow lights up in order', async ({ page, context }) => {
    await page.goto(`/en/06-labs/${LAB}`);
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await expect(flow.locator('.flow-canvas')).toHaveAttribute('data-state', 'drawn');
    await live.getByRole('radio', { name: 'the solution' }).check();
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();

    // The flow needs a person: the page opens the IdP's page (or, where the browser blocks that, offers it), gives the code, and the diagram waits.
    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 60_000 });
    const code = (await live.locator('.user-code').textContent()) ?? '';
    await expect(flow.locator('li[data-arrow="enter-code"]')).toHaveAttribute('data-state', /^(idle|waiting)$/);
    let idp;
    if ((await prompt.getAttribute('data-opened')) === 'yes') {
      idp = await popup;
      await expect(prompt.getByRole('link', { name: 'Show the sign-in page again' })).toBeVisible();
    } else {
      const open = live.getByRole('link', { name: 'Open the sign-in page (new tab)' });
      await expect(open).toBeFocused();
      [idp] = await Promise.all([context.waitForEvent('page'), open.click()]);
    }
    if (!idp) throw new Error('the page said it opened the sign-in page, but no tab opened');
    await expect(idp).toHaveURL(/\/devicelogin/);
    // bob, not alice: the learner tests give alice's consent to this app, and this flow should show the consent step.
    await expect(flow.locator('li[data-arrow="enter-code"]')).toHaveAttribute('data-state', 'waiting'); // the page is open: the diagram waits for the code
    await idp.getByLabel('Code').fill(code);
    await idp.getByRole('button', { name: 'Next' }).click();
    await idp.getByRole('button', { name: 'Continue' }).click();
    await idp.getByLabel('Email or user name').fill('bob@contoso.test');
    await idp.getByLabel('Password').fill('bob-lab-2026');
    await idp.getByRole('button', { name: 'Sign in' }).click();
    await expect(flow.locator('li[data-arrow="sign-in"]')).toHaveAttribute('data-state', 'lit');
    await expect(flow.locator('li[data-arrow="consent"]')).toHaveAttribute('data-state', 'waiting');
    await idp.getByRole('button', { name: 'Accept' }).click();
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
    await idp.close();
    await page.bringToFront(); // back to the course's tab, as the learner goes back to it

    await expect(flow).toHaveAttribute('data-lit-order', ARROWS.join(' '));
    for (const arrow of ARROWS) await expect(flow.locator(`li[data-arrow="${arrow}"]`)).toHaveAttribute('data-state', 'lit');
    await expect(flow.locator('svg .flow-arrow-lit[data-et="message"]')).toHaveCount(ARROWS.length);

    // Open an arrow: the token it issued, decoded, every claim explained.
    await flow.locator('li[data-arrow="token"]').getByRole('button').click();
    const details = flow.locator('.flow-details');
    await expect(details).toContainText('POST /oauth2/v2.0/token');
    const claims = details.getByRole('table', { name: /Access token issued at this step/ });
    await expect(claims.locator('tr[data-claim="upn"]')).toContainText('bob@contoso.test');
    await expect(claims.locator('tr[data-claim="scp"]')).toContainText('Delegated scopes the user consented to');
    await expect(details.locator('[data-finding="graph-token"]')).toContainText('Microsoft Graph token');
    // The real headers of MSAL's token request and of the IdP's answer, credentials as fingerprints.
    await details.getByText('Request: headers and body').first().click();
    await expect(details).toContainText('content-type: application/x-www-form-urlencoded');
    await details.getByText('Response: headers and body').first().click();
    await expect(details).toContainText('cache-control: no-store');
    await expect(details).toContainText('Credentials, cookies and codes show as fingerprints');
    expect(await seriousViolations(page)).toEqual([]);

    // The token inspector offers the tokens this run saw issued (their claims).
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'Token inspector' }).click();
    await expect(page.getByLabel('Or pick a token your last live run saw issued')).toContainText('issued for bob@contoso.test');
    await page.getByRole('button', { name: 'Inspect this one' }).click();
    await expect(page.locator('[data-finding="graph-token"]')).toContainText('Reject: This is a Microsoft Graph token');
    await expect(page.locator('[data-signature="unchecked"]')).toContainText('the trace never holds the token itself');
    await expect(page.getByRole('table', { name: 'Claims' }).locator('tr[data-claim="upn"]')).toContainText('bob@contoso.test');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 03: the learner allows the client and signs in in the browser, every arrow lights up in order, with real headers', async ({ page, context }) => {
    const arrows = ['unauthorized', 'resource-metadata', 'server-metadata', 'register', 'prompt', 'authorize', 'server-consent', 'entra-authorize', 'sign-in', 'consent', 'code', 'callback', 'redeem', 'server-token', 'tool-call', 'graph-me', 'tool-result'];
    await page.goto('/en/06-labs/03-confidential-client');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await expect(flow.locator('.flow-canvas')).toHaveAttribute('data-state', 'drawn');
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();

    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 60_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the server’s page, but no tab opened');
    // The MCP server's own consent page, then Entra's sign-in and consent, then back to the client's loopback redirect URI.
    await expect(tab.getByRole('heading', { level: 1 })).toContainText('to use this MCP server as you?');
    await expect(flow.locator('li[data-arrow="sign-in"]')).toHaveAttribute('data-state', 'idle');
    await tab.getByRole('button', { name: 'Allow and sign in' }).click();
    await tab.getByLabel('Email or user name').fill('alice@contoso.test');
    await tab.getByLabel('Password').fill('alice-lab-2026');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect(flow.locator('li[data-arrow="consent"]')).toHaveAttribute('data-state', 'waiting');
    await tab.getByRole('button', { name: 'Accept' }).click();
    await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await tab.close();
    await page.bringToFront();

    await expect(flow).toHaveAttribute('data-lit-order', arrows.join(' '));
    await expect(flow.locator('svg .flow-arrow-lit[data-et="message"]')).toHaveCount(arrows.length);

    await flow.locator('li[data-arrow="unauthorized"]').getByRole('button').click();
    await flow.locator('.flow-details').getByText('Response: headers and body').click();
    await expect(flow.locator('.flow-details')).toContainText('www-authenticate: Bearer');
    await flow.locator('li[data-arrow="tool-call"]').getByRole('button').click();
    await flow.locator('.flow-details').getByText('Request: headers and body').first().click();
    await expect(flow.locator('.flow-details pre').first()).toContainText(/authorization: Bearer .{8}…\(\d+ characters, hidden\)/);
    await flow.locator('li[data-arrow="graph-me"]').getByRole('button').click();
    await expect(flow.locator('.flow-details')).toContainText('alice@contoso.test');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 04: after the sign-in, the refusal for lack of Tools.Admin, Graph’s 429s and the back-off, then the profile: every arrow in order', async ({ page, context }) => {
    await page.goto('/en/06-labs/04-best-practices');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await expect(flow.locator('.flow-canvas')).toHaveAttribute('data-state', 'drawn');
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();

    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 90_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the server’s page, but no tab opened');
    // Lab 03's sign-in, over HTTPS: the server's consent page, then Entra. alice holds Tools.Read but not Tools.Admin (the seed).
    await expect(tab).toHaveURL(/^https:\/\/localhost:\d+\/authorize/);
    await tab.getByRole('button', { name: 'Allow and sign in' }).click();
    // An earlier test (lab 03) may have had alice consent to the same app: then Entra asks nothing more, and the diagram says consent was skipped.
    const consented = await signInAlice(tab);
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
    await tab.close();
    await page.bringToFront();

    const signIn = ['unauthorized', 'resource-metadata', 'server-metadata', 'register', 'prompt', 'authorize', 'server-consent', 'entra-authorize', 'sign-in', ...(consented ? ['consent'] : []), 'code', 'callback', 'redeem', 'server-token'];
    const arrows = [...signIn, 'admin-call', 'admin-denied', 'throttled-call', 'graph-429', 'try-later', 'tool-call', 'graph-me', 'tool-result'];
    await expect(flow).toHaveAttribute('data-lit-order', arrows.join(' '));
    for (const arrow of arrows) await expect(flow.locator(`li[data-arrow="${arrow}"]`)).toHaveAttribute('data-state', 'lit');
    await expect(flow.locator('li[data-arrow="consent"]')).toHaveAttribute('data-state', consented ? 'lit' : 'skipped');
    await expect(flow.locator('svg .flow-arrow-lit[data-et="message"]')).toHaveCount(arrows.length);

    // The refusal names the missing role; Graph's answer was 429 (and the server tried more than once); the tool said "try again later".
    const details = flow.locator('.flow-details');
    await flow.locator('li[data-arrow="admin-denied"]').getByRole('button').click();
    await expect(details).toContainText('Tools.Admin');
    await flow.locator('li[data-arrow="graph-429"]').getByRole('button').click();
    await expect(details).toContainText('429');
    await expect(details).toContainText('TooManyRequests');
    await flow.locator('li[data-arrow="try-later"]').getByRole('button').click();
    await expect(details).toContainText(/try again later/i);
    await flow.locator('li[data-arrow="graph-me"]').getByRole('button').click();
    await expect(details).toContainText('alice@contoso.test');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 04, a working copy that lets any role through: the privileged call’s answer fails its arrow, the rest of the flow still shows', async ({ page, context, lab }) => {
    writeWorkCopy(lab, '04-best-practices', { mutant: 'any-role-enough' });
    await page.goto('/en/06-labs/04-best-practices');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await live.getByRole('radio', { name: 'my working copy (work/)' }).check();
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();
    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 90_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the server’s page, but no tab opened');
    await tab.getByRole('button', { name: 'Allow and sign in' }).click();
    await signInAlice(tab);
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
    await tab.close();
    await page.bringToFront();

    await expect(live.locator('.flow-status')).toContainText('the privileged tool was not refused');
    const denied = flow.locator('li[data-arrow="admin-denied"]');
    await expect(denied).toHaveAttribute('data-state', 'failed');
    for (const arrow of ['admin-call', 'throttled-call', 'graph-429', 'try-later', 'tool-call', 'graph-me', 'tool-result']) await expect(flow.locator(`li[data-arrow="${arrow}"]`)).toHaveAttribute('data-state', 'lit');
    await denied.getByRole('button').click();
    await expect(flow.locator('.flow-details').getByRole('alert')).toContainText('not_refused');
    await expect(flow.locator('.flow-details').getByRole('alert')).toContainText('Tools.Admin');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 05: Entra’s sign-in found through the server’s metadata, then the server calls Graph on-behalf-of: every arrow in order', async ({ page, context }) => {
    await page.goto('/en/06-labs/05-resource-server');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await expect(flow.locator('.flow-canvas')).toHaveAttribute('data-state', 'drawn');
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();

    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 90_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the sign-in page, but no tab opened');
    // No server page here: the MCP client sends the browser straight to Entra, with its own pre-registered client ID, and the page says so.
    await expect(prompt).toContainText(/identity provider’s sign-in page opened|sign in at the identity provider/);
    await expect(prompt).not.toContainText('Allow the client');
    await expect(tab.getByLabel('Email or user name')).toBeVisible();
    await expect(flow.locator('li[data-arrow="sign-in"]')).toHaveAttribute('data-state', 'waiting');
    const consented = await signInAlice(tab);
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
    await tab.close();
    await page.bringToFront();

    // A fresh server has neither the keys nor a Graph token cached: the JWKS fetch and the on-behalf-of exchange both happen.
    const arrows = ['server-metadata', 'unauthorized', 'resource-metadata', 'entra-metadata', 'prompt', 'entra-authorize', 'sign-in', ...(consented ? ['consent'] : []), 'code', 'client-token', 'tool-call', 'jwks', 'obo', 'graph-me', 'tool-result'];
    await expect(flow).toHaveAttribute('data-lit-order', arrows.join(' '));
    for (const arrow of arrows) await expect(flow.locator(`li[data-arrow="${arrow}"]`)).toHaveAttribute('data-state', 'lit');
    await expect(flow.locator('svg .flow-arrow-lit[data-et="message"]')).toHaveCount(arrows.length);

    // The on-behalf-of step: a jwt-bearer grant by the server's own app, for the person who signed in; Graph then sees the server's token.
    const details = flow.locator('.flow-details');
    await flow.locator('li[data-arrow="obo"]').getByRole('button').click();
    await expect(details).toContainText('jwt-bearer');
    await expect(details).toContainText('alice@contoso.test');
    await flow.locator('li[data-arrow="graph-me"]').getByRole('button').click();
    await expect(details).toContainText('alice@contoso.test');
    await flow.locator('li[data-arrow="unauthorized"]').getByRole('button').click();
    await details.getByText('Response: headers and body').click();
    await expect(details).toContainText(/www-authenticate: Bearer .*resource_metadata=/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 05, a working copy that forwards the client’s token to Graph: no on-behalf-of step, Graph’s refusal on its arrow, the run failed', async ({ page, context, lab }) => {
    writeWorkCopy(lab, '05-resource-server', { mutant: 'token-passthrough' });
    await page.goto('/en/06-labs/05-resource-server');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await live.getByRole('radio', { name: 'my working copy (work/)' }).check();
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();
    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 90_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the sign-in page, but no tab opened');
    await signInAlice(tab);
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
    await tab.close();
    await page.bringToFront();

    await expect(live.locator('.flow-status')).toContainText('get_my_profile answered with an error');
    await expect(flow.locator('li[data-arrow="obo"]')).toHaveAttribute('data-state', 'idle'); // never "skipped (cached)": the run did not finish well
    await expect(flow.locator('li[data-arrow="graph-me"]')).toHaveAttribute('data-state', 'failed');
    await expect(flow.locator('li[data-arrow="tool-result"]')).toHaveAttribute('data-state', 'failed');
    await flow.locator('li[data-arrow="graph-me"]').getByRole('button').click();
    await expect(flow.locator('.flow-details').getByRole('alert')).toContainText('InvalidAuthenticationToken');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lab 03, a working copy that forwards the client’s token to Graph: the tool answers with an error, the run failed, not done', async ({ page, context, lab }) => {
    writeWorkCopy(lab, '03-confidential-client', { mutant: 'token-passthrough' });
    await page.goto('/en/06-labs/03-confidential-client');
    const live = page.getByRole('region', { name: 'Run it live' });
    const flow = live.locator('figure.flow');
    await live.getByRole('radio', { name: 'my working copy (work/)' }).check();
    const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
    await live.getByRole('button', { name: 'Run it live' }).click();
    const prompt = live.locator('.user-action');
    await expect(prompt).toHaveAttribute('data-opened', /^(yes|no)$/, { timeout: 90_000 });
    const tab = await personsTab(prompt, popup, context, 'the page said it opened the server’s page, but no tab opened');
    await tab.getByRole('button', { name: 'Allow and sign in' }).click();
    // An earlier test may have had alice consent to the same app already.
    await signInAlice(tab);
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
    await tab.close();
    await page.bringToFront();

    await expect(live.locator('.flow-status')).toContainText('get_user_details answered with an error');
    await expect(flow.locator('li[data-arrow="tool-result"]')).toHaveAttribute('data-state', 'failed');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('a working copy whose server does not start: the failure and its fix on the arrow where it happened', async ({ page, lab }) => {
    writeWorkCopy(lab, LAB, { edits: [{ file: 'src/server.ts', find: 'import ', replace: "throw new Error('broken on purpose');\nimport " }] });
    await page.goto(`/nl/06-labs/${LAB}`);
    const live = page.getByRole('region', { name: 'Live uitvoeren' });
    await live.getByRole('radio', { name: 'mijn werkkopie (work/)' }).check();
    await live.getByRole('button', { name: 'Live uitvoeren' }).click();
    await expect(live.locator('.flow-status')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    const call = live.locator('li[data-arrow="tool-call"]');
    await expect(call).toHaveAttribute('data-state', 'failed');
    await call.getByRole('button').click();
    await expect(live.locator('.flow-details').getByRole('alert')).toContainText('broken on purpose');
    await expect(live.locator('.flow-details').getByRole('alert')).toContainText('Oplossing');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lesson 4 offers the same live flow, and the language switch still finds the section after it', async ({ page }) => {
    await page.goto('/en/04-msal');
    const live = page.getByRole('region', { name: 'Run it live' });
    await live.scrollIntoViewIfNeeded();
    await expect(live.locator('.flow-canvas')).toHaveAttribute('data-state', 'drawn');
    await expect(live.getByRole('list', { name: 'Steps of the flow' }).getByRole('listitem')).toHaveCount(ARROWS.length);
    await page.getByRole('heading', { name: 'Why not write OAuth yourself' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.getByRole('link', { name: 'Lees dit in het Nederlands' }).click();
    await expect(page).toHaveURL(/\/nl\/04-msal#waarom-je-oauth-niet-zelf-schrijft$/);
    await expect(page.getByRole('region', { name: 'Live uitvoeren' })).toBeVisible();
  });
});

