import type { Lang } from '../content/languages.ts';

/**
 * What each part of an Entra token means, as data (one entry per claim, every
 * language beside it). The token inspector and the live diagram's arrow
 * details both read this table; a claim not listed here is shown without an
 * explanation, never hidden.
 */
export type Explained = Record<Lang, string>;

const HEADER_FIELDS: Record<string, Explained> = {
  typ: {
    en: 'Token type. Entra writes JWT for access tokens; it says nothing about who may accept the token.',
    nl: 'Tokentype. Entra zet JWT in access tokens; het zegt niets over wie het token mag accepteren.',
  },
  alg: {
    en: 'Signature algorithm. Entra signs with RS256; a server must refuse "none" and any algorithm it did not expect.',
    nl: 'Handtekeningalgoritme. Entra ondertekent met RS256; een server moet "none" en elk onverwacht algoritme weigeren.',
  },
  kid: {
    en: 'Key ID: which key of the tenant’s JWKS signed the token. A server looks it up in the keys it fetched from jwks_uri.',
    nl: 'Sleutel-ID: welke sleutel uit de JWKS van de tenant het token ondertekende. Een server zoekt hem op in de sleutels van jwks_uri.',
  },
  x5t: {
    en: 'Thumbprint of the signing certificate (older form of kid). Entra sends it beside kid in v1.0 tokens.',
    nl: 'Vingerafdruk van het ondertekeningscertificaat (oudere vorm van kid). Entra stuurt het naast kid in v1.0-tokens.',
  },
  nonce: {
    en: 'A header nonce marks a token meant for Microsoft Graph only: its signature cannot be checked by anyone else.',
    nl: 'Een nonce in de header markeert een token dat alleen voor Microsoft Graph is: niemand anders kan de handtekening controleren.',
  },
};

export const CLAIMS: Record<string, Explained> = {
  aud: {
    en: 'Audience: the API this token was issued for (in v2.0 tokens its application ID). Your server must accept only its own ID.',
    nl: 'Audience: de API waarvoor dit token is uitgegeven (in v2.0-tokens de applicatie-ID). Je server accepteert alleen zijn eigen ID.',
  },
  iss: {
    en: 'Issuer: the tenant’s token service that signed it. Must equal the issuer in your tenant’s discovery document.',
    nl: 'Issuer: de tokendienst van de tenant die het ondertekende. Moet gelijk zijn aan de issuer in het discovery-document van je tenant.',
  },
  iat: {
    en: 'Issued at: when the token was made (seconds since 1970, UTC).',
    nl: 'Issued at: wanneer het token is gemaakt (seconden sinds 1970, UTC).',
  },
  nbf: {
    en: 'Not before: the token is not valid before this moment.',
    nl: 'Not before: het token is niet geldig vóór dit moment.',
  },
  exp: {
    en: 'Expiry: reject the token after this moment (allow a few minutes of clock skew at most).',
    nl: 'Verloopt: weiger het token na dit moment (sta hooguit een paar minuten klokverschil toe).',
  },
  tid: {
    en: 'Tenant ID: the directory the user or app belongs to. A single-tenant server accepts only its own tenant.',
    nl: 'Tenant-ID: de directory waartoe de gebruiker of app behoort. Een single-tenant server accepteert alleen zijn eigen tenant.',
  },
  oid: {
    en: 'Object ID: the user (or the app’s service principal) in this tenant. Use it, with tid, as the stable key for a person.',
    nl: 'Object-ID: de gebruiker (of de service principal van de app) in deze tenant. Gebruik deze, met tid, als vaste sleutel voor een persoon.',
  },
  sub: {
    en: 'Subject: the user as seen by this one API (pairwise: another API gets another value). Do not compare it across apps.',
    nl: 'Subject: de gebruiker zoals deze ene API hem ziet (pairwise: een andere API krijgt een andere waarde). Vergelijk het niet tussen apps.',
  },
  azp: {
    en: 'Authorized party: the client app that asked for the token (its application ID).',
    nl: 'Authorized party: de client-app die het token aanvroeg (zijn applicatie-ID).',
  },
  azpacr: {
    en: 'How that client proved who it is: 0 public client (no secret), 1 client secret, 2 certificate.',
    nl: 'Hoe die client bewees wie hij is: 0 public client (geen geheim), 1 client secret, 2 certificaat.',
  },
  appid: {
    en: 'v1.0 name of azp: the client app that asked for the token (its application ID).',
    nl: 'v1.0-naam van azp: de client-app die het token aanvroeg (zijn applicatie-ID).',
  },
  appidacr: {
    en: 'v1.0 name of azpacr: how the client proved who it is (0 public client, 1 client secret, 2 certificate or other assertion).',
    nl: 'v1.0-naam van azpacr: hoe de client bewees wie hij is (0 public client, 1 client secret, 2 certificaat of andere assertion).',
  },
  scp: {
    en: 'Delegated scopes the user consented to, separated by spaces. Check that the scope your operation needs is here.',
    nl: 'Gedelegeerde scopes waarvoor de gebruiker toestemming gaf, gescheiden door spaties. Controleer dat de scope die je operatie nodig heeft erin staat.',
  },
  roles: {
    en: 'App roles assigned to the user or app. Use them for role-based access (Tools.Read, Tools.Admin…).',
    nl: 'App-rollen die aan de gebruiker of app zijn toegewezen. Gebruik ze voor toegang op basis van rollen (Tools.Read, Tools.Admin…).',
  },
  idtyp: {
    en: '"app" marks an app-only token (client credentials): no user signed in, so there is no scp, only roles.',
    nl: '"app" markeert een app-only token (client credentials): er is geen gebruiker aangemeld, dus geen scp, alleen roles.',
  },
  name: {
    en: 'Display name of the user. For showing only: it can change and is not unique.',
    nl: 'Weergavenaam van de gebruiker. Alleen om te tonen: hij kan veranderen en is niet uniek.',
  },
  preferred_username: {
    en: 'The sign-in name (UPN or email). Handy to show; never use it for authorization, it can be changed.',
    nl: 'De aanmeldnaam (UPN of e-mail). Handig om te tonen; gebruik hem nooit voor autorisatie, hij kan veranderen.',
  },
  ver: {
    en: 'Token version, chosen by the API’s manifest, not by the endpoint the client used: requestedAccessTokenVersion 2 gives 2.0 (iss …/{tid}/v2.0, aud the API’s client ID, azp); null, a new registration’s value, or 1 gives 1.0 (iss https://sts.windows.net/{tid}/, aud the App ID URI or client ID the client asked for, appid). Microsoft Graph tokens are 1.0.',
    nl: 'Tokenversie, gekozen door het manifest van de API, niet door het endpoint dat de client gebruikte: requestedAccessTokenVersion 2 geeft 2.0 (iss …/{tid}/v2.0, aud de client-ID van de API, azp); null, de waarde van een nieuwe registratie, of 1 geeft 1.0 (iss https://sts.windows.net/{tid}/, aud de App ID URI of client-ID waar de client om vroeg, appid). Tokens voor Microsoft Graph zijn 1.0.',
  },
  upn: {
    en: 'v1.0: the user’s sign-in name (user principal name); v2.0 tokens call it preferred_username. For showing only: it can change.',
    nl: 'v1.0: de aanmeldnaam van de gebruiker (user principal name); v2.0-tokens noemen hem preferred_username. Alleen om te tonen: hij kan veranderen.',
  },
  unique_name: {
    en: 'v1.0: a readable name for the user, usually the UPN. Not stable and not unique across tenants: never a key.',
    nl: 'v1.0: een leesbare naam voor de gebruiker, meestal de UPN. Niet vast en niet uniek tussen tenants: nooit een sleutel.',
  },
  given_name: {
    en: 'v1.0: the user’s first name, from the directory.',
    nl: 'v1.0: de voornaam van de gebruiker, uit de directory.',
  },
  family_name: {
    en: 'v1.0: the user’s last name, from the directory.',
    nl: 'v1.0: de achternaam van de gebruiker, uit de directory.',
  },
  acr: {
    en: 'v1.0: authentication context class; "1" means the user signed in with at least a password. Ignore it unless you use authentication contexts.',
    nl: 'v1.0: authenticatiecontextklasse; "1" betekent dat de gebruiker zich minstens met een wachtwoord aanmeldde. Negeer hem tenzij je authenticatiecontexten gebruikt.',
  },
  idp: {
    en: 'v1.0: the identity provider that authenticated the subject; for an app-only token, the tenant’s own issuer.',
    nl: 'v1.0: de identity provider die het subject aanmeldde; bij een app-only token de eigen issuer van de tenant.',
  },
  uti: {
    en: 'Unique token identifier, used by Entra internally (e.g. for revocation). Not meant for your logic.',
    nl: 'Unieke token-ID, intern gebruikt door Entra (bijvoorbeeld voor intrekking). Niet bedoeld voor je eigen logica.',
  },
  aio: {
    en: 'Opaque value Entra uses internally. Ignore it.',
    nl: 'Ondoorzichtige waarde die Entra intern gebruikt. Negeer hem.',
  },
  rh: {
    en: 'Opaque value Entra uses to re-validate tokens. Ignore it.',
    nl: 'Ondoorzichtige waarde die Entra gebruikt om tokens opnieuw te valideren. Negeer hem.',
  },
  nonce: {
    en: 'The nonce the app sent when it started the sign-in: an ID token answers that request and no other.',
    nl: 'De nonce die de app meestuurde bij het starten van de aanmelding: een ID-token hoort bij dat verzoek en geen ander.',
  },
  at_hash: {
    en: 'Hash of the access token issued with this ID token: binds the two together.',
    nl: 'Hash van het access token dat met dit ID-token werd uitgegeven: verbindt de twee.',
  },
  sid: {
    en: 'Session ID of the sign-in, used for sign-out.',
    nl: 'Sessie-ID van de aanmelding, gebruikt bij afmelden.',
  },
  auth_time: {
    en: 'When the user last entered their credentials.',
    nl: 'Wanneer de gebruiker voor het laatst zijn gegevens invoerde.',
  },
  email: {
    en: 'An email address of the user, if the tenant has one. Not verified for every account: do not authorize on it.',
    nl: 'Een e-mailadres van de gebruiker, als de tenant er een heeft. Niet voor elk account geverifieerd: autoriseer er niet op.',
  },
  amr: {
    en: 'How the user authenticated (pwd, mfa…).',
    nl: 'Hoe de gebruiker zich aanmeldde (pwd, mfa…).',
  },
};

export function explainClaim(name: string, lang: Lang): string | undefined {
  return CLAIMS[name]?.[lang];
}

export function explainHeader(name: string, lang: Lang): string | undefined {
  return HEADER_FIELDS[name]?.[lang];
}

/** Claims that hold a time (seconds since 1970), shown in the reader's local time too. */
export const TIME_CLAIMS = new Set(['iat', 'nbf', 'exp', 'auth_time']);
