import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { EntraError } from '../errors/entra-error.ts';
import { sendEntraError } from '../errors/render-error.ts';
import { renderPage } from '../html/layout.ts';
import type { AppRegistration, Tenant, User } from '../directory/types.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { recordConsent } from '../protocol/consent.ts';
import { resourceByIndicator, shortScope, OIDC_SCOPES } from '../protocol/resources.ts';
import { consentPage } from './consent-page.ts';
import { csrfToken, csrfValid } from './csrf.ts';
import { signInPage } from './sign-in-page.ts';

interface InteractionDeps {
  lab: LabContext;
  providerFor: (tenantId: string) => Provider;
  csrfKey: string;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const OIDC_LABELS: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
};

function tenantOf(lab: LabContext, req: Request): Tenant {
  const tenant = lab.directory.tenant(String(req.params.tenant));
  if (!tenant) throw new EntraError(90002, { tenant: String(req.params.tenant) });
  return tenant;
}

/** A sign-in that is gone (expired, finished, or opened in another browser) is a dead end with a way out. */
async function loadDetails(provider: Provider, req: Request, res: Response): Promise<Details> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== req.params.uid) throw new Error('interaction mismatch');
    return details;
  } catch {
    throw new EntraError(9002313, {
      detail: 'This sign-in page has expired or was opened in another browser. Close it and start the sign-in again from the app.',
    });
  }
}

function appOf(lab: LabContext, details: Details): AppRegistration {
  const app = lab.directory.app(String(details.params.client_id));
  if (!app) throw new EntraError(700016, { clientId: String(details.params.client_id) });
  return app;
}

/** Users may sign in to apps of their own tenant; multi-tenant apps accept any. */
function checkUserMayUse(user: User, tenant: Tenant, app: AppRegistration): EntraError | undefined {
  if (!user.accountEnabled) return new EntraError(50057);
  if (user.tenantId !== tenant.id && app.signInAudience !== 'AzureADMultipleOrgs') {
    return new EntraError(50020, {
      username: user.userPrincipalName,
      userIssuer: `https://sts.windows.net/${user.tenantId}/`,
      tenantName: tenant.name,
      clientId: app.appId,
    });
  }
  return undefined;
}

/** Missing permissions, per resource, in the words the consent page uses. */
function requestedPermissions(lab: LabContext, details: Details) {
  const prompt = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  const oidc = prompt.missingOIDCScope ?? [];
  const resources = prompt.missingResourceScopes ?? {};
  const permissions: { resource: string; label: string; scope: string }[] = [];
  for (const scope of oidc) permissions.push({ resource: 'Microsoft Graph', label: OIDC_LABELS[scope] ?? scope, scope });
  for (const [indicator, tokens] of Object.entries(resources)) {
    const resource = resourceByIndicator(indicator, lab.lookup);
    if (!resource) continue;
    for (const token of tokens) {
      const value = shortScope(token);
      if (OIDC_SCOPES.has(value) && oidc.includes(value)) continue;
      const definition = resource.app.api.oauth2PermissionScopes.find((s) => s.value === value);
      permissions.push({
        resource: resource.app.displayName,
        label: definition?.userConsentDisplayName ?? (value === '.default' ? 'Use the permissions configured for this app' : OIDC_LABELS[value] ?? value),
        scope: value,
      });
    }
  }
  return { oidc, resources, permissions };
}

async function finishConsent(lab: LabContext, provider: Provider, req: Request, res: Response, details: Details): Promise<void> {
  const accountId = details.session?.accountId;
  if (!accountId) throw new EntraError(9002313, { detail: 'No signed-in user for this consent.' });
  const clientId = String(details.params.client_id);
  const { oidc, resources } = requestedPermissions(lab, details);
  recordConsent(lab, clientId, accountId, resources, oidc);
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const target = grant ?? new provider.Grant({ accountId, clientId });
  if (oidc.length) target.addOIDCScope(oidc.join(' '));
  for (const [indicator, tokens] of Object.entries(resources)) target.addResourceScope(indicator, tokens.join(' '));
  const grantId = await target.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * The pages a person uses: sign in, then consent. Server-rendered, no
 * scripts, CSRF-protected, not frameable; errors are announced to screen
 * readers and name the AADSTS code with the fix.
 */
export function interactionRoutes({ lab, providerFor, csrfKey }: InteractionDeps): Router {
  const router = express.Router({ mergeParams: true });
  const trace = (tenant: Tenant, details: Details, event: { type: 'signin.page' | 'signin' | 'consent.page' | 'consent'; summary: string; user?: User; error?: EntraError }) => {
    lab.trace.emit({
      type: event.type,
      summary: event.summary,
      tenantId: tenant.id,
      clientId: String(details.params.client_id),
      ...(typeof details.params.scope === 'string' ? { scopes: details.params.scope.split(' ') } : {}),
      ...(event.user ? { user: { oid: event.user.id, username: event.user.userPrincipalName } } : {}),
      ...(event.error ? { error: { error: event.error.error, aadsts: event.error.code, description: event.error.message } } : {}),
    });
  };
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const showSignIn = (res: Response, tenant: Tenant, app: AppRegistration, uid: string, extra: { username?: string; error?: EntraError } = {}) => {
    renderPage(res, {
      title: 'Sign in',
      status: extra.error ? 400 : 200,
      body: signInPage({
        action: `/${tenant.id}/login/${uid}/password`,
        csrf: csrfToken(csrfKey, uid),
        appName: app.displayName,
        tenantName: tenant.name,
        ...(extra.username !== undefined ? { username: extra.username } : {}),
        ...(extra.error ? { error: { code: extra.error.code, message: extra.error.message.replace(/^AADSTS\d+: /, ''), fix: extra.error.fix } } : {}),
      }),
    });
  };

  router.get('/:tenant/login/:uid', async (req, res) => {
    const tenant = tenantOf(lab, req);
    const provider = providerFor(tenant.id);
    const details = await loadDetails(provider, req, res);
    const app = appOf(lab, details);
    if (details.prompt.name === 'login') {
      trace(tenant, details, { type: 'signin.page', summary: `the sign-in page for ${app.displayName} is shown` });
      return showSignIn(res, tenant, app, details.uid);
    }

    const { permissions } = requestedPermissions(lab, details);
    const user = lab.directory.user(String(details.session?.accountId));
    if (permissions.length === 0) {
      trace(tenant, details, { type: 'consent', summary: 'consent already given (kept in the directory): no consent page', ...(user ? { user } : {}) });
      return finishConsent(lab, provider, req, res, details);
    }
    trace(tenant, details, { type: 'consent.page', summary: `the consent page asks for ${permissions.map((p) => p.scope).join(', ')}`, ...(user ? { user } : {}) });
    renderPage(res, {
      title: 'Permissions requested',
      body: consentPage({
        action: `/${tenant.id}/login/${details.uid}/consent`,
        csrf: csrfToken(csrfKey, details.uid),
        appName: app.displayName,
        appId: app.appId,
        publisher: tenant.name,
        username: user?.userPrincipalName ?? '',
        permissions,
      }),
    });
  });

  router.post('/:tenant/login/:uid/password', form, async (req, res) => {
    const tenant = tenantOf(lab, req);
    const provider = providerFor(tenant.id);
    const details = await loadDetails(provider, req, res);
    if (!csrfValid(csrfKey, details.uid, (req.body as Record<string, unknown>).csrf)) {
      throw new EntraError(9002313, { detail: 'The form was not submitted from this sign-in page. Reload the page and try again.' });
    }
    const app = appOf(lab, details);
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = lab.directory.verifyPassword(username, password);
    if (!user) {
      const known = lab.directory.userByName(username);
      const error = known
        ? new EntraError(50126)
        : new EntraError(50034, { username, tenantName: tenant.name });
      trace(tenant, details, { type: 'signin', summary: `sign-in failed: AADSTS${error.code}`, error });
      return showSignIn(res, tenant, app, details.uid, { username, error });
    }
    const refusal = checkUserMayUse(user, tenant, app);
    if (refusal) {
      trace(tenant, details, { type: 'signin', summary: `sign-in refused: AADSTS${refusal.code}`, user, error: refusal });
      return showSignIn(res, tenant, app, details.uid, { username, error: refusal });
    }
    trace(tenant, details, { type: 'signin', summary: `${user.userPrincipalName} signed in`, user });
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  });

  router.post('/:tenant/login/:uid/consent', form, async (req, res) => {
    const tenant = tenantOf(lab, req);
    const provider = providerFor(tenant.id);
    const details = await loadDetails(provider, req, res);
    const body = req.body as Record<string, unknown>;
    if (!csrfValid(csrfKey, details.uid, body.csrf)) {
      throw new EntraError(9002313, { detail: 'The form was not submitted from this consent page. Reload the page and try again.' });
    }
    const consenting = lab.directory.user(String(details.session?.accountId));
    if (body.decision !== 'accept') {
      const declined = new EntraError(65004);
      trace(tenant, details, { type: 'consent', summary: 'the user declined consent', error: declined, ...(consenting ? { user: consenting } : {}) });
      await provider.interactionFinished(req, res, { error: declined.error, error_description: declined.description }, { mergeWithLastSubmission: false });
      return;
    }
    trace(tenant, details, { type: 'consent', summary: 'the user gave consent', ...(consenting ? { user: consenting } : {}) });
    await finishConsent(lab, provider, req, res, details);
  });

  router.use((error: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    if (error instanceof EntraError) return sendEntraError(req, res, error);
    next(error);
  });
  return router;
}
