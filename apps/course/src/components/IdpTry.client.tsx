'use client';
import { useEffect, useState } from 'react';
import type { CourseLabInfo } from './lab-info.ts';

const TEXT = {
  en: {
    looking: 'Looking for the lab’s identity provider…',
    missing: ['No identity provider answers. Start the lab with', 'then reload this page.'],
    intro: 'The lab’s identity provider is running at',
    discovery: 'Discovery document of the home tenant',
    keys: 'Its signing keys (JWKS)',
    signIn: 'Sign in as a test user',
    users: 'Test users (passwords valid only in this lab)',
    user: 'User',
    password: 'Password',
  },
  nl: {
    looking: 'Op zoek naar de identity provider van het lab…',
    missing: ['Er antwoordt geen identity provider. Start het lab met', 'en laad deze pagina opnieuw.'],
    intro: 'De identity provider van het lab draait op',
    discovery: 'Discovery-document van de thuistenant',
    keys: 'De ondertekeningssleutels (JWKS)',
    signIn: 'Log in als testgebruiker',
    users: 'Testgebruikers (wachtwoorden gelden alleen in dit lab)',
    user: 'Gebruiker',
    password: 'Wachtwoord',
  },
} as const;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A real authorization request of the lab's public client (PKCE S256), returning to this site. */
async function authorizeUrl(info: CourseLabInfo, clientId: string, lang: string): Promise<string> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`${info.baseUrl}/${info.tenant.id}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: `${window.location.origin}/`,
    scope: 'openid profile offline_access User.Read',
    state: `${lang}.${base64url(crypto.getRandomValues(new Uint8Array(12)))}`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

/** "Try it": the running IdP's discovery document, its keys, and a real sign-in with a test user. */
export function IdpTry({ lang }: { lang: 'en' | 'nl' }) {
  const t = TEXT[lang];
  const [info, setInfo] = useState<CourseLabInfo | null | undefined>(undefined);
  const [signIn, setSignIn] = useState<string | undefined>(undefined);
  useEffect(() => {
    fetch('/api/lab-info', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<CourseLabInfo>) : null))
      .then(async (i) => {
        setInfo(i);
        if (i?.publicClient) setSignIn(await authorizeUrl(i, i.publicClient.clientId, lang));
      })
      .catch(() => setInfo(null));
  }, [lang]);

  if (info === undefined) return <p className="try muted">{t.looking}</p>;
  if (info === null)
    return (
      <p className="try">
        {t.missing[0]} <code>npm start</code> {t.missing[1]}
      </p>
    );
  return (
    <section className="try" aria-label={t.signIn}>
      <p>
        {t.intro} <code>{info.baseUrl}</code>.
      </p>
      <ul>
        <li>
          <a href={`${info.tenant.issuer}/.well-known/openid-configuration`}>{t.discovery}</a>
        </li>
        <li>
          <a href={`${info.baseUrl}/${info.tenant.id}/discovery/v2.0/keys`}>{t.keys}</a>
        </li>
      </ul>
      {signIn ? (
        <p>
          <a className="button" href={signIn}>
            {t.signIn}
          </a>
        </p>
      ) : null}
      <table>
        <caption>{t.users}</caption>
        <thead>
          <tr>
            <th scope="col">{t.user}</th>
            <th scope="col">{t.password}</th>
          </tr>
        </thead>
        <tbody>
          {info.users
            .filter((u) => u.home)
            .map((u) => (
              <tr key={u.username}>
                <td>{u.username}</td>
                <td>
                  <code>{u.password ?? '—'}</code>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
