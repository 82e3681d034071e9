import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { parseEnv } from 'node:util';
import { listLabs, readLabManifest, WORK_ROOT } from '@mcp-lab/harness';
import type { LabInfo } from '@mcp-lab/mock-idp';
import { CliError } from '../cli-error.ts';
import { readLabCa, type LabCa } from '../trust/lab-ca.ts';
import { discoverNssDatabases, explicitNssDatabase, explicitNssDirs, type NssDatabase } from '../trust/nss-databases.ts';
import { findCertutil, INSTALL_CERTUTIL, nssStore } from '../trust/nss-store.ts';
import { osTrustStore } from '../trust/os-store.ts';
import { workEnvProblems } from './lab-env.ts';
import { portIsFree } from './ports.ts';
import { isCertificateError } from '../network-cause.ts';
import { probe, probeInChild, type ProbeResult } from './probe.ts';

export type Status = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  status: Status;
  detail: string;
  /** What to do; shown for every warn and fail. */
  fix?: string;
}

/** What a check may look at. The IdP is asked once and the answer shared. */
export interface DoctorContext {
  idpUrl: string;
  /** The IdP URL was given (--idp, MCP_LAB_IDP): not finding it is then a failure, not a hint. */
  idpExplicit: boolean;
  labHome: string;
  now: Date;
  idp(): Promise<IdpState>;
}

export type IdpState = { up: true; info: LabInfo } | { up: false; reason: 'down' | 'untrusted' | 'not-lab'; message: string };

export interface DoctorCheck {
  id: string;
  title: string;
  run(ctx: DoctorContext): Promise<CheckResult>;
}

const MINIMUM = [22, 18] as const;
const RECOMMENDED_MAJOR = 24;
const DAY_MS = 86_400_000;

export function nodeVersionResult(version: string): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const install = 'Install Node.js 24 LTS (nodejs.org, or `nvm install 24` / `fnm install 24`) and open a new terminal.';
  if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
    return { status: 'fail', detail: `Node ${version} is older than ${MINIMUM.join('.')}: it cannot run the lab's TypeScript files`, fix: install };
  }
  if (major < RECOMMENDED_MAJOR) return { status: 'warn', detail: `Node ${version} works; the lab is developed and tested on Node 24 LTS`, fix: install };
  return { status: 'ok', detail: `Node ${version}` };
}

/** The CA the IdP actually uses when it answers; otherwise the lab home's. */
async function caPathOf(ctx: DoctorContext): Promise<string> {
  const idp = await ctx.idp();
  return idp.up ? idp.info.caCertPath : path.join(ctx.labHome, 'certs', 'ca.pem');
}

async function labCaOf(ctx: DoctorContext): Promise<LabCa | CheckResult> {
  const caPath = await caPathOf(ctx);
  try {
    return readLabCa(caPath);
  } catch (error) {
    if (error instanceof CliError) return { status: 'warn', detail: `nothing to look for: ${error.message}`, fix: error.fix };
    throw error;
  }
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export function caFilesResult(caPath: string, now: Date, idpUp: boolean): CheckResult {
  if (!fs.existsSync(caPath)) {
    return idpUp
      ? { status: 'fail', detail: `the IdP names ${caPath} as its CA, but there is no such file on this machine`, fix: 'Run doctor on the machine where the IdP runs, or restart the IdP (`npm start`).' }
      : { status: 'warn', detail: `no lab CA yet at ${caPath}`, fix: 'Start the IdP once (`npm start` or `mcp-lab idp`): it creates the CA. Then `mcp-lab trust`.' };
  }
  const remake = `Delete ${path.dirname(caPath)} and start the IdP again: it makes a new CA. Then run \`mcp-lab trust\` again (the old CA is no longer trusted).`;
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(fs.readFileSync(caPath));
  } catch (error) {
    return { status: 'fail', detail: `${caPath} is not a certificate (${(error as Error).message})`, fix: remake };
  }
  if (ca.validToDate < now) return { status: 'fail', detail: `the lab CA expired on ${day(ca.validToDate)}`, fix: remake };
  const parts = [`ca.pem valid until ${day(ca.validToDate)}, SHA-256 ${ca.fingerprint256.slice(0, 23)}…`];
  let status: Status = ca.validToDate.getTime() - now.getTime() < 30 * DAY_MS ? 'warn' : 'ok';
  let fix: string | undefined = status === 'warn' ? remake : undefined;
  const leafPath = path.join(path.dirname(caPath), 'localhost.pem');
  if (fs.existsSync(leafPath)) {
    try {
      const leaf = new X509Certificate(fs.readFileSync(leafPath));
      if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
        return { status: 'fail', detail: `${leafPath} was not issued by ${caPath}`, fix: `Delete ${leafPath}; the IdP makes a new one from the CA at its next start.` };
      }
      if (leaf.validToDate < now) {
        status = 'warn';
        fix = 'Restart the IdP: it renews the localhost certificate at start.';
        parts.push(`localhost.pem expired on ${day(leaf.validToDate)}`);
      } else {
        parts.push(`localhost.pem issued by it, valid until ${day(leaf.validToDate)}`);
      }
    } catch (error) {
      return { status: 'fail', detail: `${leafPath} is not a certificate (${(error as Error).message})`, fix: `Delete ${leafPath}; the IdP makes a new one at its next start.` };
    }
  }
  return { status, detail: parts.join('; '), ...(fix ? { fix } : {}) };
}

/** Problems with a `/_lab/info` document that would break the lab or a client such as MSAL. */
export function labInfoProblems(info: LabInfo, requestedUrl: string): string[] {
  const problems: string[] = [];
  if (typeof info.baseUrl !== 'string') return ['no baseUrl'];
  if (info.baseUrl.replace(/\/+$/, '') !== requestedUrl) {
    problems.push(`it calls itself ${info.baseUrl}, not ${requestedUrl}: use ${info.baseUrl} (MSAL needs the issuer's host to equal the authority's)`);
  }
  const tenants = Array.isArray(info.tenants) ? info.tenants : [];
  if (tenants.length === 0) problems.push('no tenants');
  else if (!tenants[0]?.home || tenants.filter((t) => t.home).length !== 1) problems.push('the home tenant is not the one and only first tenant');
  for (const t of tenants) if (t.issuer !== `${info.baseUrl}/${t.id}/v2.0`) problems.push(`tenant ${t.name}'s issuer is ${t.issuer}, expected ${info.baseUrl}/${t.id}/v2.0`);
  if (!Array.isArray(info.users) || info.users.length === 0) problems.push('no users');
  if (!Array.isArray(info.apps) || info.apps.length === 0) problems.push('no app registrations');
  if (typeof info.caCertPath !== 'string' || !path.isAbsolute(info.caCertPath)) problems.push('caCertPath is not an absolute path');
  return problems;
}

/** Asks the IdP for /_lab/info, trusting Node's defaults (incl. NODE_EXTRA_CA_CERTS) plus the lab home's CA. */
export async function readIdp(idpUrl: string, labHome: string): Promise<IdpState> {
  const homeCa = path.join(labHome, 'certs', 'ca.pem');
  const extra = fs.existsSync(homeCa) ? [fs.readFileSync(homeCa, 'utf8')] : [];
  const answer = await probe(`${idpUrl}/_lab/info`, { ca: [...tls.getCACertificates('default'), ...extra] });
  if (!answer.ok) {
    if (isCertificateError(answer.code)) {
      return { up: false, reason: 'untrusted', message: `it answers with a certificate that neither Node's CA list nor the lab CA at ${homeCa} vouches for (${answer.code})` };
    }
    return { up: false, reason: 'down', message: `no answer (${answer.code})` };
  }
  if (answer.status !== 200) return { up: false, reason: 'not-lab', message: `/_lab/info answered ${answer.status}: not the lab's mock IdP` };
  try {
    return { up: true, info: JSON.parse(answer.body) as LabInfo };
  } catch {
    return { up: false, reason: 'not-lab', message: "/_lab/info is not JSON: not the lab's mock IdP" };
  }
}

function nodeEnvWithout(names: readonly string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

function notTested(ctx: DoctorContext, result: ProbeResult & { ok: false }): CheckResult {
  return { status: 'warn', detail: `not tested: no IdP answers at ${ctx.idpUrl} (${result.code})`, fix: 'Start it (`npm start`) and run doctor again.' };
}

// NODE_TLS_REJECT_UNAUTHORIZED=0 would make any certificate pass and hide the problem.
const TRUST_OVERRIDES = ['NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED'];

const nodeVersion: DoctorCheck = {
  id: 'node-version',
  title: 'Node.js version',
  run: () => Promise.resolve(nodeVersionResult(process.version)),
};

const caFiles: DoctorCheck = {
  id: 'ca-files',
  title: 'Lab CA files',
  run: async (ctx) => caFilesResult(await caPathOf(ctx), ctx.now, (await ctx.idp()).up),
};

const nodeTrust: DoctorCheck = {
  id: 'node-trust',
  title: 'Node trusts the lab CA on its own',
  run: async (ctx) => {
    const result = await probeInChild(`${ctx.idpUrl}/_lab/health`, nodeEnvWithout(TRUST_OVERRIDES));
    if (result.ok) return { status: 'ok', detail: 'a plain `node` (no NODE_EXTRA_CA_CERTS) trusts the IdP, e.g. through the system store (--use-system-ca)' };
    if (!isCertificateError(result.code)) return notTested(ctx, result);
    const caPath = await caPathOf(ctx);
    // A warning, not a failure: most setups pass NODE_EXTRA_CA_CERTS to each server instead (checked next).
    return {
      status: 'warn',
      detail: `Node does not trust the lab CA on its own: a server started without NODE_EXTRA_CA_CERTS fails in MSAL with \`endpoints_resolution_error\` (TLS: ${result.code})`,
      fix: `Start Node programs that talk to the IdP with NODE_EXTRA_CA_CERTS=${caPath} — for an MCP server, in its environment (.vscode/mcp.json: "env": { "NODE_EXTRA_CA_CERTS": "${caPath}" }). Or run \`mcp-lab trust\` and start Node with --use-system-ca. (npm start and mcp-lab set it for what they start.)`,
    };
  },
};

const nodeExtraCa: DoctorCheck = {
  id: 'node-extra-ca',
  title: 'Node trusts the IdP with NODE_EXTRA_CA_CERTS',
  run: async (ctx) => {
    const caPath = await caPathOf(ctx);
    if (!fs.existsSync(caPath)) return { status: 'warn', detail: `not tested: no CA file at ${caPath}`, fix: 'Start the IdP once (`npm start`): it creates the CA.' };
    const result = await probeInChild(`${ctx.idpUrl}/_lab/health`, { ...nodeEnvWithout(TRUST_OVERRIDES), NODE_EXTRA_CA_CERTS: caPath });
    if (result.ok) return { status: 'ok', detail: `with NODE_EXTRA_CA_CERTS=${caPath} Node trusts the IdP (the CA is the right one)` };
    if (!isCertificateError(result.code)) return notTested(ctx, result);
    return {
      status: 'fail',
      detail: `the IdP's certificate is not issued by ${caPath} (TLS: ${result.code})`,
      fix: 'The IdP runs with another CA: restart it (`npm start`), or set MCP_LAB_HOME to the lab folder it runs from.',
    };
  },
};

const osStore: DoctorCheck = {
  id: 'os-store',
  title: 'OS trust store has the lab CA',
  run: async (ctx) => {
    const ca = await labCaOf(ctx);
    if (!('sha256' in ca)) return ca;
    const plan = osTrustStore(ca).plan('trust');
    if (plan.outcome === 'unchanged') return { status: 'ok', detail: `${plan.store}: ${plan.summary}` };
    return {
      status: 'warn',
      detail: `${plan.store}: the lab CA is not trusted there, so browsers that use it warn on the sign-in pages (mcp-lab trust would: ${plan.summary})`,
      fix: plan.outcome === 'blocked' && plan.steps.length === 0 ? (plan.fix ?? 'mcp-lab trust') : '`mcp-lab trust` (it shows what it changes and asks first).',
    };
  },
};

function nssDatabasesToCheck(): NssDatabase[] {
  const explicit = explicitNssDirs([]);
  if (explicit) return explicit.dirs.map((dir) => explicitNssDatabase(dir, explicit.source));
  return process.platform === 'linux' ? discoverNssDatabases() : [];
}

const browserNss: DoctorCheck = {
  id: 'browser-nss',
  title: 'Browser NSS databases have the lab CA',
  run: async (ctx) => {
    if (process.platform === 'win32') return { status: 'ok', detail: 'browsers on Windows use the OS store' };
    const databases = nssDatabasesToCheck();
    if (databases.length === 0) return { status: 'ok', detail: process.platform === 'linux' ? 'no Chromium/Firefox NSS databases under HOME' : 'browsers on macOS use the OS store' };
    const ca = await labCaOf(ctx);
    if (!('sha256' in ca)) return ca;
    const certutil = findCertutil();
    if (!certutil) return { status: 'warn', detail: `${databases.length} NSS database(s) found, but certutil is not installed to look inside`, fix: INSTALL_CERTUTIL };
    const missing = databases.filter((db) => nssStore(ca, db, certutil).plan('trust').outcome !== 'unchanged');
    if (missing.length === 0) return { status: 'ok', detail: `all ${databases.length} NSS database(s) trust the lab CA` };
    return {
      status: 'warn',
      detail: `${missing.length} of ${databases.length} NSS database(s) do not trust the lab CA: ${missing.map((db) => `${db.dir} (${db.label})`).join(', ')}`,
      fix: '`mcp-lab trust --nss-only` (it shows what it changes and asks first).',
    };
  },
};

/** GET a loopback URL and parse JSON; undefined when nothing (or nothing JSON) answers. */
async function jsonAt(url: string): Promise<Record<string, unknown> | undefined> {
  const answer = await probe(url, { verify: false, timeoutMs: 2000 });
  if (!answer.ok || answer.status !== 200) return undefined;
  try {
    return JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A port the lab uses, and how to recognise the lab's own program on it (nothing is trusted from the answer). */
export interface LabPort {
  port: number;
  who: string;
  /** A busy IdP port stops the lab; the others only some of its parts. */
  critical: boolean;
  ours(): Promise<boolean>;
}

/**
 * The lab's ports: the IdP's, the course site's (MCP_LAB_SITE_PORT, as `npm
 * start` reads it) and each HTTP lab server's (PORT in its .env).
 * Each is recognised by what only the lab's program answers: the IdP's and
 * the site's health documents, and for the learner's server the OAuth
 * metadata every MCP authorization server (labs 03, 04) or resource server (lab 05) publishes.
 */
export function labPorts(idpUrl: string, workRoot = WORK_ROOT): LabPort[] {
  const ports: LabPort[] = [];
  const idp = new URL(idpUrl);
  if (['localhost', '127.0.0.1', '[::1]'].includes(idp.hostname)) {
    ports.push({ port: Number(idp.port || 443), who: 'the IdP', critical: true, ours: async () => (await jsonAt(`${idpUrl}/_lab/health`))?.status === 'ok' });
  }
  const site = Number(process.env.MCP_LAB_SITE_PORT || 3000);
  ports.push({ port: site, who: 'the course site', critical: false, ours: async () => (await jsonAt(`http://localhost:${site}/api/health`))?.service === 'mcp-lab-course' });
  for (const lab of listLabs()) {
    const manifest = readLabManifest(lab);
    if (manifest.transport !== 'http') continue;
    const file = path.join(workRoot, lab.id, '.env');
    const env = fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
    const port = Number(env.PORT || 3001);
    if (ports.some((p) => p.port === port)) continue;
    // Lab 04 serves TLS only; lab 05 is a resource server (protected resource metadata, no authorization server of its own).
    const scheme = env.PUBLIC_URL?.startsWith('https:') ? 'https' : 'http';
    const origin = `${scheme}://localhost:${port}`;
    ports.push({
      port,
      who: `your ${lab.id} server`,
      critical: false,
      ours: async () =>
        typeof (await jsonAt(`${origin}/.well-known/oauth-authorization-server`))?.registration_endpoint === 'string' ||
        typeof (await jsonAt(`${origin}/.well-known/oauth-protected-resource`))?.resource === 'string',
    });
  }
  return ports;
}

async function portsResult(wanted: readonly LabPort[]): Promise<CheckResult> {
  const parts: string[] = [];
  const taken: string[] = [];
  let status: Status = 'ok';
  for (const p of wanted) {
    if (await portIsFree(p.port)) parts.push(`${p.port} free`);
    else if (await p.ours()) parts.push(`${p.port} held by the lab (${p.who})`);
    else {
      parts.push(`${p.port} used by another program`);
      taken.push(`${p.port} (${p.who})`);
      status = p.critical ? 'fail' : status === 'fail' ? 'fail' : 'warn';
    }
  }
  if (taken.length === 0) return { status, detail: parts.join(' · ') };
  return {
    status,
    detail: parts.join(' · '),
    fix: `Another program holds ${taken.join(', ')}: stop it (find it with \`lsof -i :PORT\`, or \`netstat -ano | findstr :PORT\` on Windows), or move the lab: \`mcp-lab idp --port 8444\` with MCP_LAB_IDP=https://localhost:8444, MCP_LAB_SITE_PORT for the site, PORT and PUBLIC_URL in a lab's .env for its server.`,
  };
}

const ports: DoctorCheck = {
  id: 'ports',
  title: 'Ports free or held by the lab',
  run: (ctx) => portsResult(labPorts(ctx.idpUrl)),
};

const idpReachable: DoctorCheck = {
  id: 'idp',
  title: 'IdP reachable and /_lab/info sane',
  run: async (ctx) => {
    const idp = await ctx.idp();
    if (!idp.up) {
      if (idp.reason === 'down') {
        return {
          status: ctx.idpExplicit ? 'fail' : 'warn',
          detail: `no IdP at ${ctx.idpUrl}: ${idp.message}`,
          fix: 'Start it with `npm start` (or `mcp-lab idp`), or point --idp / MCP_LAB_IDP at the one you run. (`check` and `grade` start their own.)',
        };
      }
      const fix =
        idp.reason === 'untrusted'
          ? 'That IdP runs with another lab folder\'s CA: set MCP_LAB_HOME to that folder (or NODE_EXTRA_CA_CERTS to its ca.pem), or restart it from this one (`npm start`).'
          : 'Check --idp / MCP_LAB_IDP: something else answers there.';
      return { status: 'fail', detail: `${ctx.idpUrl}: ${idp.message}`, fix };
    }
    const problems = labInfoProblems(idp.info, ctx.idpUrl);
    if (problems.length > 0) return { status: 'fail', detail: `${ctx.idpUrl}/_lab/info: ${problems.join('; ')}`, fix: 'Restart the IdP (`npm start`); if it persists, report it with this output.' };
    const home = idp.info.tenants[0]!;
    return { status: 'ok', detail: `${idp.info.baseUrl}: ${home.name} + ${idp.info.tenants.length - 1} other tenant(s), ${idp.info.users.length} users, ${idp.info.apps.length} apps` };
  },
};

const labEnvFiles: DoctorCheck = {
  id: 'lab-env',
  title: "each started lab's .env",
  run: async (ctx) => {
    const idp = await ctx.idp();
    const { started, checked, problems } = workEnvProblems(idp.up ? idp.info : undefined);
    if (started.length === 0) return { status: 'ok', detail: 'no lab started yet (work/ has no lab folder)' };
    const labs = `${started.length} lab(s) started (${started.join(', ')})`;
    if (problems.length === 0) return { status: 'ok', detail: checked ? `${labs}; their .env files look right` : `${labs}; none of them needs a .env` };
    return { status: 'fail', detail: problems.join('; '), fix: 'Edit the .env named above (the lab’s README lists its variables), or delete it and run `npm run lab -- start <lab>`, which writes a new one and keeps your other files.' };
  },
};

/** Every check, in the order they are shown. Adding one is adding an entry here. */
export const CHECKS: readonly DoctorCheck[] = [nodeVersion, caFiles, nodeTrust, nodeExtraCa, osStore, browserNss, ports, idpReachable, labEnvFiles];
