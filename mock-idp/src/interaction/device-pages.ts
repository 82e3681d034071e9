import type { KoaContextWithOIDC } from 'oidc-provider';
import { html } from '../html/escape.ts';
import { pageDocument, PAGE_SECURITY_HEADERS } from '../html/layout.ts';

/**
 * The device-code pages (the "microsoft.com/devicelogin" of this lab), in
 * the IdP's own layout. oidc-provider hands over its form markup; only the
 * action and the anti-forgery value are taken from it, so the pages stay
 * script-free and labelled like the sign-in page.
 */

function formParts(form: string): { action: string; xsrf: string } {
  const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
  return { action, xsrf };
}

function send(ctx: KoaContextWithOIDC, title: string, body: ReturnType<typeof html>, status?: number): void {
  ctx.set(PAGE_SECURITY_HEADERS);
  ctx.type = 'html';
  if (status) ctx.status = status;
  ctx.body = pageDocument({ title, body });
}

function inputError(err: unknown): string | undefined {
  if (!err) return undefined;
  const e = err as { name?: string; userCode?: string };
  if (e.name === 'AbortedError') return 'The sign-in was cancelled. The device will report that it was declined.';
  if (e.name === 'NoCodeError' || e.userCode) return 'That code is not valid or has expired. Check the code your device shows and try again.';
  return 'Something went wrong with this code. Start again on your device to get a new one.';
}

export function userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out: unknown, err: unknown): void {
  const { action, xsrf } = formParts(form);
  const error = inputError(err);
  send(
    ctx,
    'Enter code',
    html`<h1>Enter code</h1>
<p>Enter the code shown by the app or device you want to sign in to.</p>
${error ? html`<div class="error" id="code-error" role="alert"><p>${error}</p></div>` : ''}
<form method="post" action="${action}" novalidate>
<input type="hidden" name="xsrf" value="${xsrf}">
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required${error ? html` aria-describedby="code-error" aria-invalid="true"` : ''} autofocus>
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`,
  );
}

export function userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, client: { clientName?: string; clientId: string }, _deviceInfo: unknown, userCode: string): void {
  const { action, xsrf } = formParts(form);
  send(
    ctx,
    'Confirm sign-in',
    html`<h1>Are you trying to sign in to ${client.clientName ?? client.clientId}?</h1>
<p>Only continue if you started this sign-in yourself, on a device or app you trust, and it shows the code <code>${userCode}</code>. Someone may be trying to get you to sign in on their device.</p>
<form method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="user_code" value="${userCode}">
<input type="hidden" name="confirm" value="yes">
<div class="actions">
<button type="submit" name="abort" value="yes" class="secondary">Cancel</button>
<button type="submit" class="primary">Continue</button>
</div>
</form>`,
  );
}

export function successSource(ctx: KoaContextWithOIDC): void {
  const name = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'the app';
  send(
    ctx,
    'Signed in',
    html`<h1>You’re signed in</h1>
<p role="status">You have signed in to <strong>${name}</strong> on your device. You may now close this window.</p>`,
  );
}
