import type { Lang } from '../content/languages.ts';
import type { Finding } from './analyse-token.ts';
import type { SignatureVerdict } from './verify-signature.ts';

/** The token inspector's words, in every language; findings and verdicts are data, their sentences live here. */
export const INSPECTOR_TEXT = {
  en: {
    title: 'Token inspector',
    intro: 'Paste an access token to see its header and claims, each explained, its signature checked against the lab IdP’s keys (or a key set you name), and what a server must reject. Nothing leaves this machine: the site’s own server does the checking.',
    token: 'Access token (JWT)',
    tokenHelp: 'The three dot-separated parts, as a server receives them after “Bearer ”.',
    jwksUrl: 'Key set URL (optional)',
    jwksHelp: 'Leave empty to use the lab IdP’s keys of the token’s tenant. For Entra: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys',
    audience: 'Your API’s application ID (optional)',
    audienceHelp: 'The audience your server expects; the inspector then says whether this token was meant for it.',
    inspect: 'Inspect',
    working: 'Checking…',
    failed: 'The token could not be inspected',
    fix: 'Fix',
    verdicts: 'What a server must say',
    noFindings: 'Nothing to reject: the lifetime, audience, tenant and issuer look right for this lab.',
    signature: 'Signature',
    header: 'Header',
    claims: 'Claims',
    claim: 'Claim',
    value: 'Value',
    meaning: 'Meaning',
    localTime: 'your local time',
    severity: { reject: 'Reject', caution: 'Look twice', info: 'Good to know' },
    notListed: '—',
    pick: 'Or pick a token your last live run saw issued',
    pickHelp: 'Only its claims: the trace never holds a token, so its signature cannot be checked.',
    inspectPicked: 'Inspect this one',
  },
  nl: {
    title: 'Tokeninspecteur',
    intro: 'Plak een access token om de header en de claims te zien, elk met uitleg, de handtekening gecontroleerd tegen de sleutels van de IdP van het lab (of een sleutelset die je opgeeft), en wat een server moet weigeren. Er verlaat niets deze machine: de eigen server van de site controleert het.',
    token: 'Access token (JWT)',
    tokenHelp: 'De drie delen met punten ertussen, zoals een server ze ontvangt na “Bearer ”.',
    jwksUrl: 'URL van de sleutelset (optioneel)',
    jwksHelp: 'Laat leeg om de sleutels van de IdP van het lab voor de tenant van het token te gebruiken. Voor Entra: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys',
    audience: 'Applicatie-ID van je API (optioneel)',
    audienceHelp: 'De audience die je server verwacht; de inspecteur zegt dan of dit token voor hem bedoeld was.',
    inspect: 'Inspecteer',
    working: 'Bezig met controleren…',
    failed: 'Het token kon niet worden geïnspecteerd',
    fix: 'Oplossing',
    verdicts: 'Wat een server moet zeggen',
    noFindings: 'Niets om te weigeren: levensduur, audience, tenant en issuer kloppen voor dit lab.',
    signature: 'Handtekening',
    header: 'Header',
    claims: 'Claims',
    claim: 'Claim',
    value: 'Waarde',
    meaning: 'Betekenis',
    localTime: 'jouw lokale tijd',
    severity: { reject: 'Weigeren', caution: 'Kijk nog eens', info: 'Goed om te weten' },
    notListed: '—',
    pick: 'Of kies een token dat je laatste live run zag uitgeven',
    pickHelp: 'Alleen de claims: de trace bevat nooit een token, dus de handtekening kan niet worden gecontroleerd.',
    inspectPicked: 'Inspecteer deze',
  },
} as const;

/** A moment in the reader's local time and language, with the time zone named. */
export function localTime(seconds: number, lang: Lang): string {
  return new Date(seconds * 1000).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

function duration(seconds: number, lang: Lang): string {
  const s = Math.abs(Math.round(seconds));
  const [value, unit] = s < 120 ? [s, 'second'] : s < 3600 ? [Math.round(s / 60), 'minute'] : s < 172_800 ? [Math.round(s / 3600), 'hour'] : [Math.round(s / 86_400), 'day'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function findingText(finding: Finding, lang: Lang): string {
  const nl = lang === 'nl';
  switch (finding.code) {
    case 'expired':
      return nl
        ? `Verlopen: exp was ${localTime(finding.exp, lang)}, ${duration(finding.secondsAgo, lang)} geleden. Een server moet het weigeren (401 invalid_token); de client vraagt stil een nieuw token op met zijn refresh token.`
        : `Expired: exp was ${localTime(finding.exp, lang)}, ${duration(finding.secondsAgo, lang)} ago. A server must reject it (401 invalid_token); the client gets a new one silently with its refresh token.`;
    case 'expires-soon':
      return nl ? `Verloopt over ${duration(finding.secondsLeft, lang)}.` : `Expires in ${duration(finding.secondsLeft, lang)}.`;
    case 'not-yet-valid':
      return nl
        ? `Nog niet geldig: nbf is ${localTime(finding.nbf, lang)}. Loopt een van de klokken verkeerd?`
        : `Not valid yet: nbf is ${localTime(finding.nbf, lang)}. Is one of the clocks wrong?`;
    case 'no-expiry':
      return nl ? 'Geen exp-claim: een token zonder einde moet worden geweigerd.' : 'No exp claim: a token that never ends must be rejected.';
    case 'graph-token':
      return nl
        ? `Dit is een token voor Microsoft Graph (aud ${finding.aud}). Een API moet het weigeren: wie het doorstuurt, kan namens de gebruiker in Graph lezen, en zijn handtekening is niet voor jou bedoeld.`
        : `This is a Microsoft Graph token (aud ${finding.aud}). An API must reject it: whoever forwards it can read Graph as the user, and its signature is not meant for you.`;
    case 'wrong-audience':
      return nl
        ? `Verkeerde audience: het token is voor ${finding.aud}, je API is ${finding.expected}. Weigeren: het is voor een andere API uitgegeven.`
        : `Wrong audience: the token is for ${finding.aud}, your API is ${finding.expected}. Reject it: it was issued for another API.`;
    case 'foreign-tenant':
      return nl
        ? `Vreemde tenant: tid ${finding.tid} is niet de thuistenant (${finding.home}). Een single-tenant server moet het weigeren.`
        : `Foreign tenant: tid ${finding.tid} is not the home tenant (${finding.home}). A single-tenant server must reject it.`;
    case 'unknown-tenant':
      return nl
        ? `Onbekende tenant: de IdP van het lab kent tid ${finding.tid} niet. Komt het token van een echte Entra-tenant?`
        : `Unknown tenant: the lab IdP does not know tid ${finding.tid}. Does the token come from a real Entra tenant?`;
    case 'issuer-mismatch':
      return nl
        ? `De issuer (${finding.iss}) hoort niet bij tid ${finding.tid}. Weigeren: issuer en tenant moeten bij elkaar passen.`
        : `The issuer (${finding.iss}) does not belong to tid ${finding.tid}. Reject it: issuer and tenant must match.`;
    case 'alg-none':
      return nl ? 'alg is "none": het token is niet ondertekend. Altijd weigeren.' : 'alg is "none": the token is not signed. Always reject it.';
    case 'unexpected-alg':
      return nl
        ? `Onverwacht algoritme ${finding.alg}: Entra ondertekent access tokens met RS256. Sta in je server alleen de algoritmen toe die je verwacht.`
        : `Unexpected algorithm ${finding.alg}: Entra signs access tokens with RS256. Allow only the algorithms you expect in your server.`;
    case 'v1-token':
      return nl
        ? 'Een v1.0-token: de API vraagt geen v2.0 (requestedAccessTokenVersion is null, de standaard van een nieuwe registratie, of 1), hoe de client ook vroeg. De issuer is https://sts.windows.net/{tid}/ (die van het v1.0-metadatadocument, /{tid}/.well-known/openid-configuration), aud is de App ID URI of client-ID waar de client om vroeg, de client staat in appid en de gebruiker in upn. Valideer met de issuer en audiences van de versie die je API krijgt, of zet requestedAccessTokenVersion op 2 voor v2.0-tokens.'
        : 'A v1.0 token: the API does not ask for v2.0 (its requestedAccessTokenVersion is null, a new registration’s value, or 1), however the client asked. The issuer is https://sts.windows.net/{tid}/ (the v1.0 metadata’s, /{tid}/.well-known/openid-configuration), aud is the App ID URI or client ID the client asked for, the client is in appid and the user in upn. Validate with the issuer and audiences of the version your API gets, or set requestedAccessTokenVersion to 2 for v2.0 tokens.';
    case 'app-only':
      return nl
        ? 'Een app-only token (client credentials): er is geen gebruiker. Autoriseer op roles, niet op scp.'
        : 'An app-only token (client credentials): there is no user. Authorize on roles, not scp.';
    case 'id-token':
      return nl
        ? 'Dit lijkt een ID-token (nonce, geen scp of roles). Een ID-token zegt de client wie er aanmeldde; het is nooit een toegangsbewijs voor een API.'
        : 'This looks like an ID token (nonce, no scp or roles). An ID token tells the client who signed in; it is never a pass to an API.';
  }
}

export function verdictText(verdict: SignatureVerdict, lang: Lang): { ok: boolean; text: string } {
  const nl = lang === 'nl';
  switch (verdict.status) {
    case 'valid':
      return { ok: true, text: nl ? `Geldig: ondertekend met sleutel ${verdict.kid ?? '?'} uit ${verdict.jwksUrl}.` : `Valid: signed with key ${verdict.kid ?? '?'} from ${verdict.jwksUrl}.` };
    case 'invalid':
      return {
        ok: false,
        text: nl
          ? `Ongeldig: de sleutel ${verdict.kid ?? '?'} staat in ${verdict.jwksUrl}, maar de handtekening klopt niet (${verdict.detail}). Het token is veranderd of door iemand anders ondertekend. Weigeren.`
          : `Invalid: key ${verdict.kid ?? '?'} is in ${verdict.jwksUrl}, but the signature does not match (${verdict.detail}). The token was changed or signed by someone else. Reject it.`,
      };
    case 'no-key':
      return {
        ok: false,
        text: nl
          ? `Geen sleutel ${verdict.kid ?? '(zonder kid)'} in ${verdict.jwksUrl} (wel: ${verdict.kids.join(', ') || 'geen'}). Van een andere IdP, of is de sleutel vervangen? Haal de sleutels opnieuw op en weiger als hij er dan nog niet is.`
          : `No key ${verdict.kid ?? '(no kid)'} in ${verdict.jwksUrl} (it has: ${verdict.kids.join(', ') || 'none'}). From another IdP, or was the key rotated? Fetch the keys again and reject if it is still missing.`,
      };
    case 'unchecked': {
      const why = {
        'no-jwks-url': nl
          ? 'de issuer is geen tenant van de IdP van het lab; geef de URL van de sleutelset op'
          : 'the issuer is not a tenant of the lab IdP; give the key set URL',
        'jwks-unreachable': nl ? `de sleutelset kon niet worden opgehaald van ${verdict.jwksUrl ?? ''}: ${verdict.detail ?? ''}` : `the key set could not be fetched from ${verdict.jwksUrl ?? ''}: ${verdict.detail ?? ''}`,
        'jwks-invalid': nl ? `${verdict.jwksUrl ?? ''} is geen sleutelset: ${verdict.detail ?? ''}` : `${verdict.jwksUrl ?? ''} is not a key set: ${verdict.detail ?? ''}`,
        'alg-none': nl ? 'het token heeft geen handtekening' : 'the token has no signature',
        'claims-only': nl
          ? 'dit zijn alleen de claims uit de trace van een live run; de trace bevat nooit het token zelf'
          : 'these are only the claims from a live run’s trace; the trace never holds the token itself',
      }[verdict.reason];
      return { ok: false, text: nl ? `Niet gecontroleerd: ${why}.` : `Not checked: ${why}.` };
    }
  }
}
