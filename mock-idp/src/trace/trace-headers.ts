import { fingerprint } from './fingerprint.ts';

/** Headers whose values are credentials: shown only as a fingerprint (with the scheme, for Authorization). */
const CREDENTIALS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
/** Headers whose whole value is a secret (App Service's managed identity header): only a fingerprint. */
const OPAQUE_CREDENTIALS = new Set(['x-identity-header']);
/** Query parameters that carry something usable (codes, tokens): their values become fingerprints. */
const SECRET_PARAMS = new Set(['code', 'access_token', 'id_token', 'refresh_token', 'client_secret', 'device_code', 'client_assertion', 'assertion']);

const masked = (value: string) => `(fingerprint ${fingerprint(value)})`;

function credential(name: string, value: string): string {
  if (name.endsWith('authorization') && value.includes(' ')) {
    const space = value.indexOf(' ');
    return `${value.slice(0, space)} ${masked(value.slice(space + 1))}`;
  }
  // Cookies: names stay readable, values do not.
  return value
    .split(/;\s*/)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq > 0 && name === 'cookie' ? `${part.slice(0, eq)}=${masked(part.slice(eq + 1))}` : part;
    })
    .join('; ');
}

/** A redirect's Location with its code or token values replaced by fingerprints. */
function location(value: string): string {
  const url = URL.parse(value);
  if (!url) return value;
  for (const [key, v] of [...url.searchParams]) if (SECRET_PARAMS.has(key)) url.searchParams.set(key, masked(v));
  if (url.hash) {
    const fragment = new URLSearchParams(url.hash.slice(1));
    for (const [key, v] of [...fragment]) if (SECRET_PARAMS.has(key)) fragment.set(key, masked(v));
    url.hash = fragment.toString();
  }
  return url.href;
}

/**
 * Request or response headers as the trace may show them (the live diagrams'
 * arrow details): everything a learner would see in a browser's network
 * tab, except credentials — Authorization, cookies and codes in a Location
 * become fingerprints, so the trace still never holds a usable value.
 */
export function traceHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === 'set-cookie') {
      const cookies = Array.isArray(raw) ? raw : [String(raw)];
      out[name] = cookies.map((c) => {
        const eq = c.indexOf('=');
        const semi = c.indexOf(';');
        return eq > 0 ? `${c.slice(0, eq)}=${masked(c.slice(eq + 1, semi > eq ? semi : undefined))}${semi > eq ? c.slice(semi) : ''}` : c;
      }).join('\n');
      continue;
    }
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    out[name] = OPAQUE_CREDENTIALS.has(name) ? masked(value) : CREDENTIALS.has(name) ? credential(name, value) : name === 'location' ? location(value) : value;
  }
  return out;
}
