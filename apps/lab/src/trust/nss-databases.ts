import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from '../cli-error.ts';

/** An NSS certificate database (a folder with cert9.db) and who uses it. */
export interface NssDatabase {
  dir: string;
  label: string;
}

function hasSqlDb(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'cert9.db'));
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The NSS databases of the browsers that keep their own store on Linux:
 * Chromium/Chrome share ~/.pki/nssdb; each Firefox profile has its own;
 * snap and Flatpak packages keep theirs under the package's home. Only the
 * current SQL format (cert9.db) is used; Firefox moved to it in 2017.
 */
export function discoverNssDatabases(home: string = os.homedir()): NssDatabase[] {
  const found: NssDatabase[] = [];
  const fixed: [string, string][] = [
    [path.join(home, '.pki', 'nssdb'), 'Chromium/Chrome'],
    [path.join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb'), 'Chromium (snap)'],
  ];
  for (const [dir, label] of fixed) if (hasSqlDb(dir)) found.push({ dir, label });
  const firefoxRoots: [string, string][] = [
    [path.join(home, '.mozilla', 'firefox'), 'Firefox'],
    [path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'), 'Firefox (snap)'],
    [path.join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox'), 'Firefox (Flatpak)'],
  ];
  for (const [root, label] of firefoxRoots) {
    for (const profile of subdirs(root)) {
      const dir = path.join(root, profile);
      if (hasSqlDb(dir)) found.push({ dir, label: `${label} profile ${profile}` });
    }
  }
  return found;
}

/** `--nss-db` values win over MCP_LAB_NSS_DBS (path-delimiter separated); undefined when neither names any. */
export function explicitNssDirs(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): { dirs: string[]; source: string } | undefined {
  if (flags.length > 0) return { dirs: [...flags], source: '--nss-db' };
  const fromEnv = (env.MCP_LAB_NSS_DBS ?? '').split(path.delimiter).filter(Boolean);
  return fromEnv.length > 0 ? { dirs: fromEnv, source: 'MCP_LAB_NSS_DBS' } : undefined;
}

/** An NSS database named on the command line or in MCP_LAB_NSS_DBS; `sql:` prefixes are accepted as certutil writes them. */
export function explicitNssDatabase(value: string, source: string): NssDatabase {
  const dir = path.resolve(value.replace(/^sql:/, ''));
  if (!hasSqlDb(dir)) {
    throw new CliError(
      'NSS_DB_NOT_FOUND',
      `${dir} is not an NSS database (no cert9.db in it).`,
      `Point --nss-db / MCP_LAB_NSS_DBS at a Firefox profile folder or ~/.pki/nssdb, or create a new database: certutil -N -d sql:${dir} --empty-password`,
      EXIT.usage,
    );
  }
  return { dir, label: `named by ${source}` };
}
