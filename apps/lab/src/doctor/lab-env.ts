import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { LAB_ENV_VARS, listLabs, readLabManifest, WORK_ROOT } from '@mcp-lab/harness';
import type { LabInfo } from '@mcp-lab/mock-idp';

/** How far apart two names are (edits), to suggest the variable a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * Variables a lab reads but may do without: each has a default (LAB_AUTH_MODE, LAB_CACHE_DIR,
 * AUDIT_LOG_MAX_BYTES), or is one of lab 04's ways to prove the server's identity, of which
 * the .env names one (CLIENT_SECRET in the lab; a managed identity or certificate in production).
 */
const OPTIONAL = new Set(['CLIENT_SECRET', 'LAB_AUTH_MODE', 'LAB_CACHE_DIR', 'AUDIT_LOG_MAX_BYTES', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'CLIENT_CERTIFICATE_FILE']);

/**
 * What is wrong with one lab's `.env`, each with its fix: a misspelt
 * variable, a missing one the lab reads, an http authority (MSAL refuses
 * it), or IDs this IdP does not know (when the authority is this IdP).
 */
export function labEnvProblems(needed: readonly string[], text: string, info: LabInfo | undefined): string[] {
  const env = parseEnv(text);
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if ((LAB_ENV_VARS as readonly string[]).includes(name)) continue;
    const near = LAB_ENV_VARS.find((known) => distance(name.toUpperCase(), known) <= 2);
    problems.push(near ? `${name} is not a lab variable — did you mean ${near}?` : `${name} is not read by the lab (the variables are ${needed.join(', ')})`);
  }
  for (const name of needed) {
    if (OPTIONAL.has(name)) continue;
    if (!env[name]) problems.push(`${name} is missing or empty`);
  }
  const authority = env.AUTHORITY_HOST;
  if (authority && !authority.startsWith('https://')) problems.push(`AUTHORITY_HOST must be https (MSAL refuses ${authority})`);
  if (info && authority && URL.canParse(authority) && new URL(authority).host === new URL(info.baseUrl).host) {
    if (env.TENANT_ID && !info.tenants.some((t) => t.id === env.TENANT_ID)) problems.push(`TENANT_ID ${env.TENANT_ID} is not a tenant of this IdP (AADSTS90002)`);
    const app = env.CLIENT_ID ? info.apps.find((a) => a.clientId.toLowerCase() === env.CLIENT_ID!.toLowerCase()) : undefined;
    if (env.CLIENT_ID && !app) {
      problems.push(`CLIENT_ID ${env.CLIENT_ID} is not registered in this IdP (AADSTS700016) — re-run \`npm run lab -- start\` in a fresh folder, or import your lab 01 manifest`);
    }
    if (app?.tenantId && env.TENANT_ID && app.tenantId !== env.TENANT_ID && info.tenants.some((t) => t.id === env.TENANT_ID)) {
      problems.push(`CLIENT_ID ${env.CLIENT_ID} is registered in tenant ${app.tenantId}, not in TENANT_ID ${env.TENANT_ID} (AADSTS700016): set TENANT_ID=${app.tenantId}`);
    }
    // The IdP shows only its seeded apps' secrets; a learner's own app's secret cannot be checked from here.
    if (app?.devSecret && needed.includes('CLIENT_SECRET') && env.CLIENT_SECRET && env.CLIENT_SECRET !== app.devSecret) {
      problems.push(`CLIENT_SECRET is not the secret this IdP knows for ${app.name} (AADSTS7000215) — copy it again from \`npm run lab -- app secret add\`, the portal, or /_lab/info`);
    }
  }
  return problems;
}

/**
 * Every started lab (a folder in work/) and the problems of its `.env`, as
 * `lab: problem` lines. A lab that reads variables but has no `.env` is a
 * problem too: its server would start with none of them.
 */
export function workEnvProblems(info: LabInfo | undefined, workRoot = WORK_ROOT): { started: string[]; checked: number; problems: string[] } {
  const started: string[] = [];
  let checked = 0;
  const problems: string[] = [];
  for (const lab of listLabs()) {
    if (!fs.existsSync(path.join(workRoot, lab.id))) continue;
    started.push(lab.id);
    const manifest = readLabManifest(lab);
    if (manifest.env.length === 0) continue;
    const file = path.join(workRoot, lab.id, '.env');
    if (!fs.existsSync(file)) {
      problems.push(`${lab.id} has no .env, so its server gets none of its settings — \`npm run lab -- start ${lab.id}\` adds it and keeps your files`);
      continue;
    }
    checked++;
    for (const p of labEnvProblems(manifest.env, fs.readFileSync(file, 'utf8'), info)) problems.push(`${lab.id}/.env: ${p}`);
  }
  return { started, checked, problems };
}
