import express, { type Request, type Response, type Router } from 'express';
import { EntraError } from '../../errors/entra-error.ts';
import { html } from '../../html/escape.ts';
import { renderPage } from '../../html/layout.ts';
import type { User } from '../../directory/types.ts';
import type { PortalDeps } from '../context.ts';
import { safeNext, urls } from '../urls.ts';

interface SignInProblem {
  message: string;
  fix: string;
  /** The AADSTS code, when Entra would show one. */
  code?: number;
}

const NOTICES: Readonly<Record<string, string>> = {
  'signed-out': 'You signed out of the admin center.',
  session: 'Your admin center session has ended. Sign in again to continue; nothing was changed.',
};

function entraProblem(error: EntraError): SignInProblem {
  return { message: error.message.replace(/^AADSTS\d+: /, ''), fix: error.fix, code: error.code };
}

/** Entra's refusal for someone who may sign in but may not administer: the admin center says "You don't have access". */
function notAnAdmin(user: User, tenantName: string): SignInProblem {
  return {
    message: `You don't have access to this. Your sign-in was successful, but ${user.displayName} (${user.userPrincipalName}) isn't an administrator of ${tenantName}, so the admin center can't open. Ask your administrator for access.`,
    fix: 'Sign in with a tenant administrator account. In this lab that is admin@contoso.test; `npm start` and /_lab/info show its password.',
  };
}

/**
 * The admin center's own sign-in: a tenant admin's user name and password,
 * checked by the directory like the sign-in page does. Same look as the
 * IdP's sign-in pages (the narrow card), same protections: no scripts, not
 * frameable, a CSRF token bound to a pre-session cookie.
 */
export function signInRoutes({ lab, sessions }: PortalDeps): Router {
  const router = express.Router();

  const show = (req: Request, res: Response, options: { status?: number; username?: string; next?: string; problem?: SignInProblem } = {}) => {
    const nonce = sessions.signInNonce(req, res);
    const notice = typeof req.query.reason === 'string' ? NOTICES[req.query.reason] : undefined;
    const next = options.next ?? safeNext(req.query.next);
    const problem = options.problem;
    const describedBy = problem ? html` aria-describedby="signin-problem"` : '';
    renderPage(res, {
      title: 'Sign in to the admin center',
      status: options.status ?? (problem ? 400 : 200),
      body: html`<h1>Sign in to the admin center</h1>
<p>Local Entra admin center · app registrations, users and enterprise applications of your tenant.</p>
${notice && !problem ? html`<div class="notice" role="status">${notice}</div>` : ''}
${
  problem
    ? html`<div class="error" id="signin-problem" role="alert">
<p>${problem.message}</p>
<p class="muted">${problem.code ? `AADSTS${problem.code}. ` : ''}${problem.fix}</p>
</div>`
    : ''
}
<form method="post" action="${urls.signIn}" novalidate>
<input type="hidden" name="csrf" value="${sessions.signInToken(nonce)}">
<input type="hidden" name="next" value="${next}">
<label for="portal-username">Email or user name</label>
<input type="email" id="portal-username" name="username" autocomplete="username" required value="${options.username ?? ''}"${describedBy}${problem ? '' : html` autofocus`}>
<label for="portal-password">Password</label>
<input type="password" id="portal-password" name="password" autocomplete="current-password" required${describedBy}${problem ? html` aria-invalid="true" autofocus` : ''}>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
<p class="lab-note"><strong>In Microsoft Entra:</strong> you sign in at entra.microsoft.com with an account that holds an admin role (Application Administrator or Global Administrator). <strong>In this lab:</strong> only a tenant admin may sign in (admin@contoso.test); there are no finer admin roles.</p>`,
    });
  };

  router.get('/sign-in', (req, res) => {
    if (sessions.read(req)) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    show(req, res);
  });

  router.post('/sign-in', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    if (!sessions.signInTokenValid(req, body.csrf)) {
      show(req, res, {
        status: 403,
        username,
        next,
        problem: { message: 'This sign-in form has expired or was not sent from this page, so it was not accepted.', fix: 'Enter your user name and password again and select Sign in.' },
      });
      return;
    }
    const user = lab.directory.verifyPassword(username, password);
    if (!user) {
      const known = lab.directory.userByName(username);
      const domain = username.slice(username.lastIndexOf('@') + 1);
      const error = known ? new EntraError(50126) : new EntraError(50034, { username, tenantName: lab.directory.tenant(domain)?.name ?? domain });
      show(req, res, { username, next, problem: entraProblem(error) });
      return;
    }
    if (!user.accountEnabled) {
      show(req, res, { username, next, problem: entraProblem(new EntraError(50057)) });
      return;
    }
    const tenant = lab.directory.tenant(user.tenantId);
    if (!user.isAdmin || !tenant) {
      show(req, res, { status: 403, username, next, problem: notAnAdmin(user, tenant?.name ?? 'this tenant') });
      return;
    }
    sessions.start(res, user.id, tenant.id);
    sessions.clearSignInNonce(res);
    res.redirect(303, next);
  });

  return router;
}
