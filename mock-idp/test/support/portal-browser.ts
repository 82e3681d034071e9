import { CookieJar } from '../../src/index.ts';

/** A page as the browser got it, after following redirects. */
export interface Page {
  status: number;
  url: URL;
  html: string;
  headers: Headers;
  /** Every Set-Cookie of the last response (to check their attributes). */
  setCookies: string[];
}

interface Control {
  tag: 'input' | 'select' | 'textarea';
  type: string;
  name: string;
  value: string;
  checked: boolean;
  options: { value: string; label: string; selected: boolean }[];
}

interface Button {
  /** The accessible name: aria-label, else the text. */
  name: string;
  text: string;
}

export interface ParsedForm {
  action: string;
  method: string;
  controls: Control[];
  buttons: Button[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

export function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ENTITIES[name] ?? _m);
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w-]+)(?:\s*=\s*"([^"]*)")?/g)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decode(m[2] ?? ''));
  }
  return out;
}

function stripTags(markup: string): string {
  // Tags become spaces (as blocks would), except the end of an inline element: "<a>Name</a>: …" reads "Name: …".
  return decode(markup.replace(/<\/(a|span|strong|code|em|label)>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The forms of a portal page, read as a browser would serialise them. Not a general HTML parser: the portal's markup is ours. */
export function parseForms(page: Page): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const match of page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttrs = attributes(match[1] ?? '');
    const inner = match[2] ?? '';
    const controls: Control[] = [];
    for (const m of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(m[1] ?? '');
      if (!a.has('name')) continue;
      controls.push({ tag: 'input', type: a.get('type') ?? 'text', name: a.get('name')!, value: a.get('value') ?? '', checked: a.has('checked'), options: [] });
    }
    for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const a = attributes(m[1] ?? '');
      const options = [...(m[2] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => {
        const oa = attributes(o[1] ?? '');
        return { value: oa.get('value') ?? stripTags(o[2] ?? ''), label: stripTags(o[2] ?? ''), selected: oa.has('selected') };
      });
      const selected = options.find((o) => o.selected) ?? options[0];
      controls.push({ tag: 'select', type: 'select', name: a.get('name') ?? '', value: selected?.value ?? '', checked: false, options });
    }
    for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const a = attributes(m[1] ?? '');
      controls.push({ tag: 'textarea', type: 'textarea', name: a.get('name') ?? '', value: decode(m[2] ?? ''), checked: false, options: [] });
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((b) => {
      const a = attributes(b[1] ?? '');
      const text = stripTags(b[2] ?? '');
      return { name: a.get('aria-label') ?? text, text };
    });
    forms.push({ action: formAttrs.get('action') ?? '', method: (formAttrs.get('method') ?? 'get').toLowerCase(), controls, buttons });
  }
  return forms;
}

/** What a browser sends for a form: checked boxes only, the selected option, the text as typed. */
function serialise(form: ParsedForm, fill: Readonly<Record<string, string | readonly string[]>>): URLSearchParams {
  const names = new Set(form.controls.map((c) => c.name));
  for (const name of Object.keys(fill)) {
    if (!names.has(name)) throw new Error(`the form posting to ${form.action} has no field named "${name}"; it has ${[...names].join(', ')}`);
  }
  const body = new URLSearchParams();
  const done = new Set<string>();
  for (const c of form.controls) {
    const wanted = fill[c.name];
    if (wanted === undefined) {
      if ((c.type === 'radio' || c.type === 'checkbox') && !c.checked) continue;
      body.append(c.name, c.value);
      continue;
    }
    const values = typeof wanted === 'string' ? [wanted] : wanted;
    if (c.type === 'radio' || c.type === 'checkbox') {
      const group = form.controls.filter((x) => x.name === c.name).map((x) => x.value);
      for (const v of values) if (!group.includes(v)) throw new Error(`"${c.name}" has no choice "${v}" (choices: ${group.join(', ')})`);
      if (values.includes(c.value)) body.append(c.name, c.value);
      continue;
    }
    if (c.tag === 'select' && !c.options.some((o) => o.value === values[0])) {
      throw new Error(`"${c.name}" has no option "${values[0] ?? ''}" (options: ${c.options.map((o) => o.value).join(', ')})`);
    }
    if (done.has(c.name)) continue;
    done.add(c.name);
    for (const v of values) body.append(c.name, v);
  }
  return body;
}

/**
 * Plays an admin in a browser, without a browser: follows redirects with a
 * cookie jar, clicks links by address and buttons by their accessible name,
 * and fills forms by field name (a field the page does not have is an error,
 * so the tests really go through the pages).
 */
export class PortalBrowser {
  readonly jar = new CookieJar();
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async open(path: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}): Promise<Page> {
    let url = new URL(path, this.baseUrl);
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; hop < 10; hop++) {
      const headers = new Headers({ accept: 'text/html', ...init.headers });
      const cookie = this.jar.header(url);
      if (cookie) headers.set('cookie', cookie);
      if (body) headers.set('content-type', 'application/x-www-form-urlencoded');
      const response = await fetch(url, { method, headers, redirect: 'manual', ...(body ? { body } : {}) });
      const setCookies = response.headers.getSetCookie();
      this.jar.store(url, setCookies);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        url = new URL(location, url);
        method = 'GET';
        body = undefined;
        continue;
      }
      return { status: response.status, url, html: await response.text(), headers: response.headers, setCookies };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  /** Selects the button with this accessible name and submits its form, with `fill` typed into its fields. */
  async submit(page: Page, button: string, fill: Readonly<Record<string, string | readonly string[]>> = {}): Promise<Page> {
    const forms = parseForms(page).filter((f) => f.buttons.some((b) => b.name === button));
    if (forms.length !== 1) {
      const all = parseForms(page).flatMap((f) => f.buttons.map((b) => b.name));
      throw new Error(`${forms.length === 0 ? 'no' : 'more than one'} button "${button}" on ${page.url.pathname}; buttons: ${all.join(' | ')}`);
    }
    const form = forms[0]!;
    return this.open(new URL(form.action, page.url).href, { method: 'POST', body: serialise(form, fill) });
  }

  /** A raw form post (what a cross-site page or a tampered form would send). */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.open(path, { method: 'POST', body: new URLSearchParams(fields), headers });
  }

  async signIn(username: string, password: string): Promise<Page> {
    const page = await this.open('/portal/sign-in');
    return this.submit(page, 'Sign in', { username, password });
  }
}

/** The text of every role="alert" region. */
export function alerts(page: Page): string[] {
  return [...page.html.matchAll(/<div[^>]*role="alert"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => stripTags(m[1] ?? ''));
}

/** The text of the polite status region (the confirmation after a change). */
export function notice(page: Page): string | undefined {
  const m = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(page.html);
  return m ? stripTags(m[1] ?? '') : undefined;
}

/** The content of `<code id="…">` (the copy-friendly values on Overview and after a new secret). */
export function codeById(page: Page, id: string): string {
  const m = new RegExp(`<code id="${id}">([^<]*)</code>`).exec(page.html);
  if (!m) throw new Error(`no <code id="${id}"> on ${page.url.pathname}`);
  return decode(m[1] ?? '');
}

/** The value of the option whose label contains `label`. */
export function optionValue(page: Page, select: string, label: string): string {
  for (const form of parseForms(page)) {
    const control = form.controls.find((c) => c.tag === 'select' && c.name === select);
    const option = control?.options.find((o) => o.label.includes(label));
    if (option) return option.value;
  }
  throw new Error(`no option "${label}" in <select name="${select}"> on ${page.url.pathname}`);
}

/** Every same-origin portal link on the page. */
export function portalLinks(page: Page): string[] {
  return [...page.html.matchAll(/<a\b[^>]*href="([^"]+)"/g)].map((m) => decode(m[1]!)).filter((href) => href.startsWith('/portal'));
}

export function pageText(page: Page): string {
  return stripTags(page.html);
}

/**
 * Accessibility basics a page must meet, as a list of what is missing:
 * one h1, a main landmark, labelled form fields, table headers with scope,
 * buttons with a name, and (on portal pages) the breadcrumb navigation.
 */
export function accessibilityProblems(page: Page, options: { portal: boolean }): string[] {
  const problems: string[] = [];
  const { html } = page;
  const h1s = html.match(/<h1\b/g)?.length ?? 0;
  if (h1s !== 1) problems.push(`${h1s} <h1> elements`);
  if (!/<main\b/.test(html)) problems.push('no <main>');
  if (!/<html lang="[a-z-]+"/.test(html)) problems.push('no lang on <html>');
  if (options.portal) {
    if (!/<nav aria-label="Breadcrumb"/.test(html)) problems.push('no breadcrumb nav');
    if (!/<a class="skip-link" href="#main">/.test(html)) problems.push('no skip link');
  }
  const labelled = new Set([...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const a = attributes(m[2] ?? '');
    if (a.get('type') === 'hidden') continue;
    const id = a.get('id');
    if (!a.has('aria-label') && (!id || !labelled.has(id))) problems.push(`unlabelled <${m[1]} name="${a.get('name') ?? ''}">`);
  }
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length) problems.push(`duplicate ids: ${[...new Set(duplicates)].join(', ')}`);
  for (const m of html.matchAll(/<th\b([^>]*)>/g)) if (!/scope="(col|row|colgroup|rowgroup)"/.test(m[1] ?? '')) problems.push('<th> without scope');
  for (const m of html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)) {
    if (!/aria-label="[^"]+"/.test(m[1] ?? '') && stripTags(m[2] ?? '') === '') problems.push('button without a name');
  }
  for (const m of html.matchAll(/aria-describedby="([^"]+)"/g)) {
    for (const id of (m[1] ?? '').split(' ')) if (!ids.includes(id)) problems.push(`aria-describedby names a missing id ${id}`);
  }
  return problems;
}
