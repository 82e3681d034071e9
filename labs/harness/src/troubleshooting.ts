/**
 * Links from what a learner sees (a failed check's message, a doctor line)
 * to the entry of the course's troubleshooting page that explains it
 * (apps/course/content/<lang>/troubleshooting.mdx). A test holds every
 * anchor here to a heading of that page, in both languages.
 */
export type TroubleLang = 'en' | 'nl';

/** Topics that are not an AADSTS code, with the anchor of their heading in each language. */
export const TROUBLE_TOPICS = {
  'endpoints-resolution': { en: 'endpoints_resolution_error', nl: 'endpoints_resolution_error' },
  'ca-trust': { en: 'certificate-not-trusted-ca-trust', nl: 'certificaat-niet-vertrouwd-ca-trust' },
  ports: { en: 'port-already-in-use-eaddrinuse', nl: 'poort-al-in-gebruik-eaddrinuse' },
  env: { en: 'mistakes-in-env', nl: 'fouten-in-env' },
  'device-code': { en: 'the-device-code-page', nl: 'de-device-code-pagina' },
  node: { en: 'node-version-too-old', nl: 'node-versie-te-oud' },
  idp: { en: 'the-identity-provider-is-not-running', nl: 'de-identity-provider-draait-niet' },
  'token-version': { en: 'every-token-refused-unexpected-iss-or-aud', nl: 'elk-token-geweigerd-unexpected-iss-of-aud' },
} as const satisfies Record<string, Record<TroubleLang, string>>;
export type TroubleTopic = keyof typeof TROUBLE_TOPICS;

/** The `mcp-lab doctor` checks and the entry each one's problems are explained in. */
export const DOCTOR_TOPICS: Record<string, TroubleTopic> = {
  'node-version': 'node',
  'ca-files': 'ca-trust',
  'node-trust': 'endpoints-resolution',
  'node-extra-ca': 'ca-trust',
  'os-store': 'ca-trust',
  'browser-nss': 'ca-trust',
  ports: 'ports',
  idp: 'idp',
  'lab-env': 'env',
};

/** The course site (npm start serves it here; MCP_LAB_SITE_PORT moves it). */
export function courseBase(env: NodeJS.ProcessEnv = process.env): string {
  return `http://localhost:${env.MCP_LAB_SITE_PORT ?? 3000}`;
}

export function troubleshootingUrl(lang: TroubleLang, anchor: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${courseBase(env)}/${lang}/troubleshooting#${anchor}`;
}

/**
 * The entry that explains a failure, from its text: an AADSTS code (the
 * first one named), or a known error. Undefined when nothing is recognised.
 */
export function troubleshootingAnchor(text: string, lang: TroubleLang): string | undefined {
  const code = /\bAADSTS(\d{5,7})\b/.exec(text)?.[1];
  if (code) return `aadsts${code}`;
  if (/endpoints_resolution_error/.test(text)) return TROUBLE_TOPICS['endpoints-resolution'][lang];
  if (/SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|ERR_CERT_AUTHORITY_INVALID/i.test(text)) return TROUBLE_TOPICS['ca-trust'][lang];
  if (/EADDRINUSE/.test(text)) return TROUBLE_TOPICS.ports[lang];
  if (/unexpected "?(iss|aud)"? claim value/i.test(text)) return TROUBLE_TOPICS['token-version'][lang];
  return undefined;
}
