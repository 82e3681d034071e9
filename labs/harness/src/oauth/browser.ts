import { CookieJar, alertText, parseForms, playUser } from '@mcp-lab/mock-idp';

/** One request the simulated browser made, for checks that assert on the path a sign-in took. */
export interface BrowserStep {
  method: 'GET' | 'POST';
  url: URL;
  status: number;
  location?: URL;
  /** What kind of stop it was: a page of the lab server, or the IdP (played by playUser). */
  kind: 'server' | 'idp';
}

export interface BrowseOptions {
  username: string;
  password: string;
  /** The IdP's origin: its pages are played by playUser (sign-in, consent). */
  idpOrigin: string;
  /** Where the journey ends: the MCP client's redirect URI (never fetched — a real client would be listening there). */
  until: (url: URL) => boolean;
  /** What the person clicks on the MCP server's own consent page (a form with `decision` buttons). */
  serverConsent?: 'approve' | 'deny';
  /** What the person does on the IdP's consent page. */
  idpConsent?: 'accept' | 'cancel';
  jar?: CookieJar;
  maxSteps?: number;
}

export interface BrowseResult {
  /** The URL the browser was finally sent to (it matched `until`). */
  url: URL;
  steps: BrowserStep[];
}

/** The browser journey stopped somewhere it should not have; the message names the page and what it said. */
export class BrowseError extends Error {
  readonly steps: BrowserStep[];
  readonly page?: string;
  constructor(message: string, steps: BrowserStep[], page?: string) {
    super(message);
    this.name = 'BrowseError';
    this.steps = steps;
    if (page !== undefined) this.page = page;
  }
}

/** What a person would read on the page: its alert, or its visible text (no head, styles or scripts). */
const textOf = (page: string) =>
  alertText(page) ??
  page
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);

/**
 * A person with a browser, without a browser: starting at an MCP server's
 * /authorize URL, follows redirects, answers the server's consent page,
 * signs in at the IdP (playUser), and brings the IdP's answer back to the
 * server's callback — with cookies, like a browser — until the server sends
 * the browser to the MCP client's redirect URI.
 */
export async function browseAuthorization(start: URL, options: BrowseOptions): Promise<BrowseResult> {
  const jar = options.jar ?? new CookieJar();
  const steps: BrowserStep[] = [];
  let url = start;
  let init: { method: 'GET' | 'POST'; body?: URLSearchParams } = { method: 'GET' };
  for (let step = 0; step < (options.maxSteps ?? 20); step++) {
    if (options.until(url)) return { url, steps };
    if (url.origin === options.idpOrigin) {
      const delivery = await playUser(url, { username: options.username, password: options.password, jar, ...(options.idpConsent ? { consent: options.idpConsent } : {}) });
      steps.push({ method: 'GET', url, status: 302, location: delivery.url, kind: 'idp' });
      if (delivery.method === 'get') {
        url = new URL(delivery.url);
        delivery.params.forEach((value, key) => url.searchParams.append(key, value));
        init = { method: 'GET' };
      } else {
        url = delivery.url;
        init = { method: 'POST', body: delivery.params };
      }
      continue;
    }
    const headers = new Headers({ accept: 'text/html' });
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    if (init.method === 'POST') {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      headers.set('origin', url.origin);
    }
    const response = await fetch(url, { method: init.method, headers, redirect: 'manual', ...(init.body ? { body: init.body } : {}) });
    jar.store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    const record: BrowserStep = { method: init.method, url, status: response.status, kind: 'server', ...(location ? { location: new URL(location, url) } : {}) };
    steps.push(record);
    if (response.status >= 300 && response.status < 400 && record.location) {
      await response.body?.cancel();
      url = record.location;
      init = { method: 'GET' };
      continue;
    }
    const page = await response.text();
    if (!response.ok) throw new BrowseError(`${init.method} ${url.pathname} answered ${response.status}: ${textOf(page)}`, steps, page);
    const form = parseForms(page, url).find((f) => f.buttons.has('decision'));
    if (!form) throw new BrowseError(`the browser stopped at ${url.pathname}, a page with nothing to click: ${textOf(page)}`, steps, page);
    const body = new URLSearchParams([...form.fields].filter(([name]) => name !== 'decision'));
    body.set('decision', options.serverConsent ?? 'approve');
    url = new URL(form.action, url);
    init = { method: 'POST', body };
  }
  throw new BrowseError('the sign-in did not reach the client within the expected number of steps (a redirect loop?)', steps);
}
