import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCTOR_TOPICS, REPO_ROOT, TROUBLE_TOPICS, troubleshootingAnchor, type TroubleLang } from '@mcp-lab/harness';
import { CATALOGUE } from '../../../mock-idp/src/errors/catalogue.ts';
import { CHECKS } from '../src/doctor/checks.ts';
import { doctorHelp, formatLine } from '../src/commands/doctor.ts';

/** A heading's id as the site makes it (rehype-slug's github-slugger: lower case, punctuation but _ and - dropped, spaces to -). */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}_ -]/gu, '').replace(/ /g, '-');
}

/** The ids of the troubleshooting page's entries. */
function entryIds(lang: TroubleLang): Set<string> {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'apps', 'course', 'content', lang, 'troubleshooting.mdx'), 'utf8');
  return new Set([...source.matchAll(/^#{2,3} (.+)$/gm)].map((m) => slug(m[1]!)));
}

const LANGS: TroubleLang[] = ['en', 'nl'];

describe('the troubleshooting page and what links to it', () => {
  it('has an entry for every AADSTS code the lab’s identity provider can answer with, in both languages', () => {
    for (const lang of LANGS) {
      const ids = entryIds(lang);
      const missing = Object.keys(CATALOGUE).filter((code) => !ids.has(`aadsts${code}`));
      expect(missing, `${lang}: codes without an entry`).toEqual([]);
    }
  });

  it('has the entry behind every topic the doctor and the checks link to, in both languages', () => {
    for (const lang of LANGS) {
      const ids = entryIds(lang);
      for (const [topic, anchors] of Object.entries(TROUBLE_TOPICS)) expect(ids.has(anchors[lang]), `${lang}: #${anchors[lang]} (${topic})`).toBe(true);
    }
  });

  it('maps every doctor check to an entry', () => {
    expect(Object.keys(DOCTOR_TOPICS).sort()).toEqual(CHECKS.map((c) => c.id).sort());
    expect(doctorHelp('node-trust', { LANG: 'C.UTF-8' })).toBe('http://localhost:3000/en/troubleshooting#endpoints_resolution_error');
    expect(doctorHelp('ports', { LANG: 'nl_NL.UTF-8', MCP_LAB_SITE_PORT: '3100' })).toBe('http://localhost:3100/nl/troubleshooting#poort-al-in-gebruik-eaddrinuse');
    const line = formatLine({ id: 'ports', title: 'Ports', status: 'fail', detail: '8443 is taken', fix: 'stop the other program' }, 6);
    expect(line).toMatch(/\n {6}see: http:\/\/localhost:\d+\/(en|nl)\/troubleshooting#/);
    expect(formatLine({ id: 'ports', title: 'Ports', status: 'ok', detail: 'free' }, 6)).not.toContain('see:');
  });

  it('recognises the errors a failed check meets', () => {
    expect(troubleshootingAnchor('Entra said AADSTS7000215: Invalid client secret provided.', 'en')).toBe('aadsts7000215');
    expect(troubleshootingAnchor('ClientAuthError: endpoints_resolution_error', 'nl')).toBe('endpoints_resolution_error');
    expect(troubleshootingAnchor('Error: listen EADDRINUSE: address already in use :::3001', 'nl')).toBe('poort-al-in-gebruik-eaddrinuse');
    expect(troubleshootingAnchor('JWTClaimValidationFailed: unexpected "iss" claim value', 'en')).toBe('every-token-refused-unexpected-iss-or-aud');
    expect(troubleshootingAnchor('the tool returned the wrong name', 'en')).toBeUndefined();
  });
});
