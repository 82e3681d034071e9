import { html, type SafeHtml } from '../html/escape.ts';

export interface SignInView {
  action: string;
  csrf: string;
  appName: string;
  tenantName: string;
  username?: string;
  /** An AADSTS error from the last attempt, shown above the form. */
  error?: { code: number; message: string; fix: string };
}

/** The sign-in form: one step (user name and password together), labelled, errors announced. */
export function signInPage(view: SignInView): SafeHtml {
  const describedBy = view.error ? 'signin-error' : undefined;
  return html`<h1>Sign in</h1>
<p>to continue to <strong>${view.appName}</strong> · ${view.tenantName}</p>
${
  view.error
    ? html`<div class="error" id="signin-error" role="alert">
<p>${view.error.message}</p>
<p class="muted">AADSTS${view.error.code}. ${view.error.fix}</p>
</div>`
    : ''
}
<form method="post" action="${view.action}" novalidate>
<input type="hidden" name="csrf" value="${view.csrf}">
<label for="username">Email or user name</label>
<input type="email" id="username" name="username" autocomplete="username" required value="${view.username ?? ''}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${view.error ? '' : html` autofocus`}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${describedBy ? html` aria-describedby="${describedBy}" aria-invalid="true" autofocus` : ''}>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
}
