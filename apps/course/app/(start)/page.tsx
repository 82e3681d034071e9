import Link from 'next/link';
import { redirect } from 'next/navigation';

const TEXT = {
  en: {
    title: 'You signed in: the IdP sent an authorization code back',
    body: 'This is the redirect URI of the lab’s public client. The identity provider checked the password, recorded consent and sent the browser here with a one-time code. An app would now redeem it at the token endpoint together with its PKCE code verifier; MSAL does that for you. The code is useless to anyone without the verifier, and expires in minutes.',
    code: 'Authorization code (first characters)',
    state: 'state (the app checks it matches what it sent)',
    failed: 'The sign-in ended with an error',
    back: 'Back to lesson 3',
  },
  nl: {
    title: 'Je bent ingelogd: de IdP stuurde een autorisatiecode terug',
    body: 'Dit is de redirect-URI van de publieke client van het lab. De identity provider controleerde het wachtwoord, legde de toestemming vast en stuurde de browser hierheen met een eenmalige code. Een app wisselt die nu in bij het token-endpoint, samen met zijn PKCE-code-verifier; MSAL doet dat voor je. Zonder de verifier heeft niemand iets aan de code, en na een paar minuten verloopt hij.',
    code: 'Autorisatiecode (eerste tekens)',
    state: 'state (de app controleert of die klopt met wat hij stuurde)',
    failed: 'Het inloggen eindigde met een fout',
    back: 'Terug naar les 3',
  },
} as const;

type Search = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function Start({ searchParams }: { searchParams: Search }) {
  const query = await searchParams;
  const code = one(query.code);
  const error = one(query.error);
  const state = one(query.state) ?? '';
  if (!code && !error) redirect('/en');
  const lang = state.startsWith('nl.') ? 'nl' : 'en';
  const t = TEXT[lang];
  return (
    <main id="content" className="callback" lang={lang}>
      {code ? (
        <>
          <h1>{t.title}</h1>
          <p>{t.body}</p>
          <dl>
            <dt>{t.code}</dt>
            <dd>
              <code data-testid="auth-code">{code.slice(0, 12)}…</code>
            </dd>
            <dt>{t.state}</dt>
            <dd>
              <code>{state}</code>
            </dd>
          </dl>
        </>
      ) : (
        <>
          <h1>{t.failed}</h1>
          <p role="alert">
            <code>{error}</code>: {one(query.error_description)}
          </p>
        </>
      )}
      <p>
        <Link href={`/${lang}/03-sign-in-flow`}>{t.back}</Link>
      </p>
    </main>
  );
}
