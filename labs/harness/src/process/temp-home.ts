import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempHome {
  /** The fresh folder; every variable below points inside it. */
  dir: string;
  /** HOME and every per-user folder variable Node, MSAL and common libraries consult, on any OS. */
  env: Record<string, string>;
  /** Removes the folder; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * A home of its own for one server run, so that a submission's token cache,
 * `~/.something` or temp files never touch the real home, and two parallel
 * jobs never share one. Made in the OS temp folder, outside the repository:
 * the sandbox lets the server write here, and nowhere near the repository.
 */
export async function tempHome(options: { parent?: string } = {}): Promise<TempHome> {
  const parent = options.parent ?? os.tmpdir();
  // Real path: the sandbox compares path strings, and macOS's temp folder is reached through /var → /private/var.
  const dir = await fs.realpath(await fs.mkdtemp(path.join(parent, 'mcp-lab-home-')));
  const env = homeEnv(dir);
  await Promise.all([...new Set(Object.values(env))].map((d) => fs.mkdir(d, { recursive: true })));
  return { dir, env, cleanup: () => fs.rm(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/** The variables, as a pure function of the folder (the same names on every OS: unused ones are harmless). */
export function homeEnv(dir: string): Record<string, string> {
  const tmp = path.join(dir, 'tmp');
  return {
    HOME: dir,
    USERPROFILE: dir,
    APPDATA: path.join(dir, 'AppData', 'Roaming'),
    LOCALAPPDATA: path.join(dir, 'AppData', 'Local'),
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    XDG_DATA_HOME: path.join(dir, '.local', 'share'),
    XDG_STATE_HOME: path.join(dir, '.local', 'state'),
    // os.tmpdir() reads these (TMPDIR on POSIX, TEMP/TMP on Windows).
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
  };
}
