import { CookieJar } from './cookie-jar.ts';
import { alertText, parseForms } from './html-forms.ts';

export interface PlayUserOptions {
  username: string;
  password: string;
  /** What the user does on a consent page (and on a device-code confirmation page). */
  consent?: 'accept' | 'cancel';
  /** The code a device shows, for the device-code verification page. */
  userCode?: string;
  /** A jar shared across calls acts like one browser (single sign-on). */
  jar?: CookieJar;
  /** Safety stop: more steps than this means a loop. */
  maxSteps?: number;
}

/** Where the identity provider finally sends the browser: the app's redirect URI, by GET or by form post. */
export type ClientDelivery =
  | { method: 'get'; url: URL; params: URLSearchParams }
  | { method: 'post'; url: URL; params: URLSearchParams };

/** A page with nothing left to fill in (the device-code "you may close this window" page). */
export interface FinalPage {
  method: 'page';
  url: URL;
  page: string;
}

export class SignInError extends Error {
  readonly code = 'SIGN_IN_FAILED';
  readonly page?: string;
  constructor(message: string, page?: string) {
    super(message);
    this.name = 'SignInError';
    if (page !== undefined) this.page = page;
  }
}

/**
 * Plays a person in a browser, without a browser: follows the IdP's pages
 * (device code, sign-in, consent), filling them in, until the IdP hands the
 * result to the app (a redirect or a form post to the redirect URI) or shows
 * a page with nothing to fill in. It does not deliver the result to the app:
 * the caller decides whether to (a test may replay or tamper with it).
 */
async function browse(start: URL, options: PlayUserOptions): Promise<ClientDelivery | FinalPage> {
  const jar = options.jar ?? new CookieJar();
  const idpOrigin = start.origin;
  let url = start;
  let init: RequestInit = { method: 'GET' };
  let submittedPassword = false;
  let submittedCode = false;

  for (let step = 0; step < (options.maxSteps ?? 25); step++) {
    if (url.origin !== idpOrigin) {
      // The app's redirect URI (any scheme: http://localhost:port, myapp://auth), without the result.
      const target = new URL(url.href);
      target.search = '';
      target.hash = '';
      return { method: 'get', url: target, params: url.searchParams };
    }
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html');
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response.headers.getSetCookie());

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const page = await response.text();
    if (!response.ok) throw new SignInError(`The identity provider answered ${response.status}: ${alertText(page) ?? page.slice(0, 300)}`, page);

    const form = parseForms(page, url)[0];
    if (!form) return { method: 'page', url, page };
    if (new URL(form.action).origin !== idpOrigin) {
      return { method: 'post', url: new URL(form.action), params: new URLSearchParams([...form.fields]) };
    }

    const body = new URLSearchParams([...form.fields]);
    if (form.hasPassword) {
      if (submittedPassword) throw new SignInError(alertText(page) ?? 'The sign-in page came back without saying why.', page);
      body.set('username', options.username);
      body.set('password', options.password);
      submittedPassword = true;
    } else if (form.fields.has('user_code') && !form.fields.has('confirm')) {
      // After a cancelled confirmation the IdP shows the code page again: that is where the person stops.
      if (submittedCode && options.consent === 'cancel') return { method: 'page', url, page };
      if (submittedCode || !options.userCode) throw new SignInError(alertText(page) ?? 'The device code page asks for a code.', page);
      body.set('user_code', options.userCode);
      submittedCode = true;
    } else if (form.buttons.has('abort')) {
      if (options.consent === 'cancel') body.set('abort', 'yes');
    } else if (form.buttons.has('decision')) {
      body.set('decision', options.consent ?? 'accept');
    }
    url = new URL(form.action);
    init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idpOrigin } };
  }
  throw new SignInError('The sign-in did not finish within the expected number of steps.');
}

/** Signs in from an authorize URL and returns what the IdP sends to the app. */
export async function playUser(authorizeUrl: string | URL, options: PlayUserOptions): Promise<ClientDelivery> {
  const end = await browse(new URL(authorizeUrl), options);
  if (end.method === 'page') throw new SignInError(`The sign-in stopped on a page without a form: ${alertText(end.page) ?? end.url.pathname}`, end.page);
  return end;
}

/**
 * Completes a device-code sign-in as the person at the other device would:
 * open the verification page, enter the code, confirm, sign in, consent.
 * Resolves with the final page ("you may close this window").
 */
export async function playDeviceCode(verificationUri: string | URL, options: PlayUserOptions & { userCode: string }): Promise<FinalPage> {
  const end = await browse(new URL(verificationUri), options);
  if (end.method !== 'page') throw new SignInError(`The device-code sign-in unexpectedly redirected to ${end.url.href}.`);
  return end;
}

/** Sends the IdP's result to the app as a browser would. */
export async function deliver(delivery: ClientDelivery): Promise<Response> {
  if (delivery.method === 'get') {
    const url = new URL(delivery.url);
    delivery.params.forEach((v, k) => url.searchParams.append(k, v));
    return fetch(url, { redirect: 'manual' });
  }
  return fetch(delivery.url, { method: 'POST', body: delivery.params, redirect: 'manual' });
}

export { CookieJar };
