import { html, type SafeHtml } from '../html/escape.ts';

export interface ConsentView {
  action: string;
  csrf: string;
  appName: string;
  appId: string;
  publisher: string;
  username: string;
  permissions: { resource: string; label: string; scope: string }[];
}

/** "Permissions requested": what the app may do on the user's behalf, accept or cancel. */
export function consentPage(view: ConsentView): SafeHtml {
  return html`<h1>Permissions requested</h1>
<p><strong>${view.appName}</strong> <span class="muted">(unverified · ${view.publisher})</span></p>
<p>Signed in as <strong>${view.username}</strong>. This app would like to:</p>
<ul class="scopes">
${view.permissions.map((p) => html`<li>${p.label} <span class="muted">(<code>${p.scope}</code> on ${p.resource})</span></li>`)}
</ul>
<p class="muted">Accepting lets this app use these permissions for you until you revoke them. Application (client) ID: <code>${view.appId}</code></p>
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrf}">
<div class="actions">
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary">Accept</button>
</div>
</form>`;
}
