import fs from 'node:fs/promises';
import path from 'node:path';
import { SubmissionError } from './errors.ts';
import { REPO_NODE_MODULES, REPO_ROOT } from './repo-root.ts';
import type { StagedSubmission } from './stage.ts';
import type { TempHome } from './temp-home.ts';

/**
 * The sandbox is Node's permission model (`--permission`, stable since
 * Node 22.13/23.5). What a sandboxed submission may do, and why:
 *
 * READ
 * - its job folder (stageSubmission's `root`): the staged copy, its `.env`
 *   (read by the lab's own `process.loadEnvFile()`), and the job folder's
 *   `package.json`, which gives the repository's module type — under the
 *   sandbox Node's CommonJS entry path stops looking for the nearest
 *   package.json at the first folder it may not read;
 * - the repository's `node_modules`, package by package, by exact name
 *   (a whole `@scope/` folder when none of its entries is a link), minus
 *   every entry that is a symlink leading out of it and minus `.bin`. Not
 *   the folder as a whole: npm's workspace links (`@mcp-lab/*`) point at
 *   the repository's own folders, and Node checks a path as written while
 *   the OS follows the link — `node_modules/@mcp-lab/harness/../../.lab/…`
 *   is `node_modules/.lab/…` to the permission check and the IdP's keys and
 *   admin token to the OS. With exact names, such a path is granted only if
 *   it lands on a folder named exactly like a package. Where the exact list
 *   would make the command line too long (Windows caps it at 32,767
 *   characters), the grants become name prefixes (`node_modules/@a*`)
 *   chosen to match no link, no `.bin`, and no name found in any folder
 *   above a link's target — the names such a path could land on. Only the
 *   top level and the `@scope/` level are examined: that is where npm puts
 *   links;
 * - the file NODE_EXTRA_CA_CERTS names (the lab CA's certificate — the
 *   file, not its folder, which holds the CA's key). Node reads it at
 *   start-up before the permission model applies; granting it keeps it
 *   readable should that change;
 * - its home (below).
 *
 * WRITE (and read)
 * - its temp home: HOME, TMPDIR/TEMP (os.tmpdir() only reads the
 *   variables), APPDATA/XDG_* — where MSAL caches and libraries' dot-folders
 *   go;
 * - LAB_CACHE_DIR when the environment sets it (the token cache, docs/design.md §5),
 *   else `<staged folder>/.cache`, the conventional relative default.
 *   startSubmission creates these folders first: Node takes a granted path
 *   that does not exist at start-up for a file, and would deny writes into
 *   a folder made there later.
 *
 * NOT GRANTED: `--allow-child-process` (so a submission cannot start
 * anything the runner would have to find and kill — and cannot escape the
 * sandbox through a child without it), `--allow-worker`, `--allow-addons`,
 * `--allow-wasi`, `--allow-inspector`. Node 24's permission model does not
 * cover the network or signals: a submission can connect anywhere and
 * `process.kill` processes of the same user; the IdP's admin API stays
 * closed to it because the admin token is in neither its environment nor
 * its readable files.
 *
 * TypeScript type stripping needs nothing extra (it happens in-process on
 * source Node may already read), nor does the orphan guard (a `data:` URL
 * preload). Creating symlinks is denied by Node unless every path is
 * granted, so a submission cannot make its own way out.
 */
export interface SandboxOptions {
  /** The staged copy (stageSubmission()). */
  submission: Pick<StagedSubmission, 'dir' | 'root'>;
  /** The run's home (tempHome()). */
  home: Pick<TempHome, 'dir'>;
}

export interface Grants {
  read: string[];
  write: string[];
}

export async function sandboxGrants(options: SandboxOptions, env: Readonly<Record<string, string>>): Promise<Grants> {
  const { submission, home } = options;
  const cacheDir = env.LAB_CACHE_DIR ? path.resolve(submission.dir, env.LAB_CACHE_DIR) : path.join(submission.dir, '.cache');
  if (REPO_ROOT === cacheDir || REPO_ROOT.startsWith(cacheDir + path.sep) || cacheDir === path.parse(cacheDir).root) {
    // Writable would mean the repository's `.lab/` (IdP keys, admin token) too.
    throw new SubmissionError('UNSAFE_REQUEST', `LAB_CACHE_DIR ${cacheDir} holds the repository: give the server a cache folder of its own (inside its home, for example).`);
  }
  const writable = [home.dir, cacheDir];
  const readable = [submission.root, ...(await nodeModulesGrants(REPO_NODE_MODULES)), ...writable];
  if (env.NODE_EXTRA_CA_CERTS) readable.push(path.resolve(env.NODE_EXTRA_CA_CERTS));
  for (const p of [...readable.filter((p) => !p.endsWith('*')), ...writable]) {
    if (p.includes('*')) {
      throw new SubmissionError('UNSAFE_REQUEST', `cannot sandbox a path containing '*' (${p}): Node would read it as a wildcard. Use a folder without '*' in its path.`);
    }
  }
  return { read: [...new Set(readable)], write: [...new Set(writable)] };
}

/** The node flags for the grants; pure, so its output is tested as is. */
export function permissionFlags(grants: Grants): string[] {
  // One flag per path: Node 24 no longer splits a flag's value on commas.
  return ['--permission', ...grants.read.map((p) => `--allow-fs-read=${p}`), ...grants.write.map((p) => `--allow-fs-write=${p}`)];
}

/** Flags that would widen the sandbox: refused in a start command (the manifest says how to start, the runner says what is allowed). */
export const WIDENING_FLAG = /^--(allow-[a-z-]+|permission(-audit)?)(=|$)/;

const nodeModulesCache = new Map<string, Promise<string[]>>();

/** Above this many characters of flags the exact grants give way to prefixes; Windows's whole command line may not exceed 32,767. */
function grantBudget(platform: NodeJS.Platform = process.platform): number {
  return platform === 'win32' ? 20_000 : 100_000;
}

/** The read grants for a node_modules folder (see above); computed once per folder per process. */
export function nodeModulesGrants(nodeModules: string, budget: number = grantBudget()): Promise<string[]> {
  const key = `${budget}:${nodeModules}`;
  let grants = nodeModulesCache.get(key);
  if (!grants) {
    grants = computeNodeModulesGrants(nodeModules, budget);
    nodeModulesCache.set(key, grants);
    grants.catch(() => nodeModulesCache.delete(key));
  }
  return grants;
}

interface NodeModulesScan {
  /** Entry names to grant: `zod`, `@azure` (a scope without links), `@mixed/pkg`. */
  allowed: string[];
  /** Names never to grant: `.bin`, and links leading out (`@mcp-lab/harness`). */
  denied: string[];
  /** Where those links lead (real paths). */
  linkTargets: { name: string; target: string }[];
}

async function scanNodeModules(real: string): Promise<NodeModulesScan> {
  const scan: NodeModulesScan = { allowed: [], denied: ['.bin'], linkTargets: [] };
  /** true when the entry may be granted. */
  const classify = async (name: string): Promise<boolean> => {
    const full = path.join(real, name);
    if (!(await fs.lstat(full)).isSymbolicLink()) return true;
    const target = await fs.realpath(full).catch(() => undefined);
    if (target?.startsWith(real + path.sep)) return true;
    scan.denied.push(name);
    if (target) scan.linkTargets.push({ name, target });
    return false;
  };
  for (const entry of await fs.readdir(real, { withFileTypes: true })) {
    if (entry.name === '.bin') continue;
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      const inner = (await fs.readdir(path.join(real, entry.name))).map((n) => `${entry.name}/${n}`);
      const ok: string[] = [];
      for (const name of inner) if (await classify(name)) ok.push(name);
      scan.allowed.push(...(ok.length === inner.length ? [entry.name] : ok));
    } else if (await classify(entry.name)) {
      scan.allowed.push(entry.name);
    }
  }
  return scan;
}

async function computeNodeModulesGrants(nodeModules: string, budget: number): Promise<string[]> {
  const real = await fs.realpath(nodeModules).catch(() => undefined);
  if (!real) return [];
  const scan = await scanNodeModules(real);
  const exact = scan.allowed.map((name) => path.join(real, name));
  if (exact.reduce((n, p) => n + p.length + '--allow-fs-read= '.length, 0) <= budget) return exact;
  const landing = await landingNames(scan.linkTargets);
  return prefixCover(scan.allowed, [...scan.denied, ...landing]).map((p) => (p.endsWith('*') ? `${path.join(real, p.slice(0, -1))}*` : path.join(real, p)));
}

/**
 * Where `node_modules/<link>/../..` paths can land: the names in every
 * folder above each link's target, as top-level names and, for a scoped
 * link, as names in its scope too.
 */
async function landingNames(links: readonly { name: string; target: string }[]): Promise<string[]> {
  const names = new Set<string>();
  for (const { name, target } of links) {
    const scope = name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
        names.add(entry);
        if (scope) names.add(`${scope}/${entry}`);
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...names];
}

/**
 * The fewest grants that cover every `allowed` name and no `denied` one:
 * `name` (that folder, recursively) or `prefix*` (Node's wildcard: every
 * path that starts with the prefix). A name both allowed and denied stays
 * allowed. Pure.
 */
export function prefixCover(allowed: readonly string[], denied: readonly string[]): string[] {
  const cover = (prefix: string, a: readonly string[], d: readonly string[]): string[] => {
    if (a.length === 0) return [];
    if (d.length === 0) return [`${prefix}*`];
    const out: string[] = [];
    if (a.includes(prefix)) out.push(prefix);
    const next = [...new Set([...a, ...d].filter((n) => n.length > prefix.length).map((n) => n.charAt(prefix.length)))].sort();
    for (const c of next) {
      const p = prefix + c;
      out.push(...cover(p, a.filter((n) => n.startsWith(p)), d.filter((n) => n.startsWith(p))));
    }
    return out;
  };
  const allowedSet = new Set(allowed);
  return cover('', allowed, denied.filter((n) => !allowedSet.has(n))).map((p) => (p === '*' ? '' : p));
}
