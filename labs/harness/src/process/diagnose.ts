/**
 * Turns what a failed server printed into one sentence a learner can act
 * on. The runner cannot observe the sandbox or the socket layer from
 * outside; Node prints the error it threw (`code: 'ERR_ACCESS_DENIED',
 * permission: …, resource: …`), and that is what is read here. Pure
 * functions of the text, so every message is unit-tested.
 */

export interface AccessDenial {
  /** Node's permission scope: FileSystemRead, FileSystemWrite, ChildProcess, WorkerThreads, Addon, WASI, Inspector… */
  permission: string;
  /** The path (or command) asked for; '' when Node names none. */
  resource: string;
}

const DENIAL = /permission["']?\s*:\s*["'](\w+)["'],?\s*(?:["']?resource["']?\s*:\s*(["'])((?:\\.|(?!\2)[^\\\n])*)\2)?/g;

/** Every distinct sandbox denial in the output, in order. */
export function findAccessDenials(text: string): AccessDenial[] {
  if (!text.includes('ERR_ACCESS_DENIED')) return [];
  const seen = new Set<string>();
  const denials: AccessDenial[] = [];
  for (const match of text.matchAll(DENIAL)) {
    const permission = match[1] ?? '';
    // util.inspect and JSON both escape backslashes (Windows paths) and quotes.
    const resource = (match[3] ?? '').replace(/\\(.)/g, '$1');
    const key = `${permission}\0${resource}`;
    if (seen.has(key)) continue;
    seen.add(key);
    denials.push({ permission, resource });
  }
  if (denials.length === 0) denials.push({ permission: 'unknown', resource: '' });
  return denials;
}

export function explainDenial(denial: AccessDenial): string {
  const { permission, resource } = denial;
  switch (permission) {
    case 'FileSystemRead': {
      const pkg = packageIn(resource);
      if (pkg) {
        return `your server tried to load the package '${pkg}', which graded submissions may not use: they may only read their own folder and the lab's dependencies.`;
      }
      return `your server tried to read ${resource || 'a file'}, outside its folder: submissions may only read their own folder and the lab's dependencies.`;
    }
    case 'FileSystemWrite':
      return `your server tried to write ${resource || 'a file'}: submissions may only write in their home folder (HOME, os.tmpdir()) and the token cache folder LAB_CACHE_DIR.`;
    case 'ChildProcess':
      return `your server tried to start another process${resource ? ` (${resource})` : ''}: graded submissions may not start processes — do the work in the server itself (to show a sign-in URL, print it).`;
    case 'WorkerThreads':
      return 'your server tried to start a worker thread: graded submissions run on the main thread only.';
    case 'Addon':
      return 'your server tried to load a native addon: graded submissions may only use JavaScript packages.';
    default:
      return `your server used something the grader's sandbox does not allow (${permission === 'unknown' ? 'ERR_ACCESS_DENIED' : permission}): submissions may only read their own folder and the lab's dependencies, write in their home and cache folders, and may not start processes.`;
  }
}

/** `…/node_modules/@scope/name/…` → `@scope/name`: a denied read there is an import of a package the sandbox withholds. */
function packageIn(resource: string): string | undefined {
  const parts = resource.split(/[\\/]/);
  // `node_modules/<link>/../..` is a way out through a link, not an import.
  if (parts.includes('..')) return undefined;
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const first = parts[at + 1];
  if (!first) return undefined;
  // A file inside a package folder, not a stray file in node_modules itself.
  if (first.startsWith('@')) return parts[at + 2] && parts[at + 3] ? `${first}/${parts[at + 2]}` : undefined;
  return parts[at + 2] ? first : undefined;
}

/** The most likely reason a server failed, from its output; undefined when nothing recognisable is there. */
export function diagnoseOutput(text: string): string | undefined {
  const denial = findAccessDenials(text)[0];
  if (denial) return explainDenial(denial);
  const inUse = /EADDRINUSE[^\n]*?(?:(?:address already in use\s+)?(?:\S*?):(\d+))?\s*$/m.exec(text);
  if (inUse) {
    const port = inUse[1] ? ` ${inUse[1]}` : '';
    return `your server could not listen on port${port}: another process already uses it (EADDRINUSE). Stop the other program (another copy of your server?) or, when grading, run the job again.`;
  }
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(text);
  if (missing) {
    return `your server imports '${missing[1]}', which cannot be found: submissions run on the lab's dependencies only (they are never npm-installed), and relative imports need their file extension.`;
  }
  return undefined;
}
