import { CookieJar } from './cookie-jar.ts';
import { alertText, parseForms } from './html-forms.ts';

export interface PlayUserOptions {
  username: string;
  password: string;
  /** What the user does on a consent page. */
  consent?: 'accept' | 'cancel';
  /** A jar shared across calls acts like one browser (single sign-on). */
  jar?: CookieJar;
  /** Safety stop: more steps than this means a loop. */
  maxSteps?: number;
}

/** Where the identity provider finally sends the browser: the app's redirect URI, by GET or by form post. */
export type ClientDelivery =
  | { method: 'get'; url: URL; params: URLSearchParams }
  | { method: 'post'; url: URL; params: URLSearchParams };

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
 * Plays a person in a browser, without a browser: follows the authorize URL
 * through the IdP's sign-in and consent pages, filling them in, until the IdP
 * hands the result to the app (a redirect or a form post to the redirect URI).
 * It does not deliver it: the caller decides whether to (a test may want to
 * replay or tamper with it).
 */
export async function playUser(authorizeUrl: string | URL, options: PlayUserOptions): Promise<ClientDelivery> {
  const jar = options.jar ?? new CookieJar();
  const idpOrigin = new URL(authorizeUrl).origin;
  let url = new URL(authorizeUrl);
  let init: RequestInit = { method: 'GET' };
  let submittedPassword = false;

  for (let step = 0; step < (options.maxSteps ?? 20); step++) {
    if (url.origin !== idpOrigin) {
      return { method: 'get', url: new URL(url.origin + url.pathname), params: url.searchParams };
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

    const forms = parseForms(page, url);
    const form = forms[0];
    if (!form) throw new SignInError(`No form on ${url.pathname}; the sign-in cannot go on.`, page);
    if (new URL(form.action).origin !== idpOrigin) {
      return { method: 'post', url: new URL(form.action), params: new URLSearchParams([...form.fields]) };
    }

    const body = new URLSearchParams([...form.fields]);
    if (form.hasPassword) {
      if (submittedPassword) throw new SignInError(alertText(page) ?? 'The sign-in page came back without saying why.', page);
      body.set('username', options.username);
      body.set('password', options.password);
      submittedPassword = true;
    } else if (form.buttons.has('decision')) {
      body.set('decision', options.consent ?? 'accept');
    }
    url = new URL(form.action);
    init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idpOrigin } };
  }
  throw new SignInError('The sign-in did not finish within the expected number of steps.');
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
