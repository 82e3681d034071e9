import fs from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'idp.lock';

export interface IdpLock {
  pid: number;
  baseUrl: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The IdP process that is using a data folder right now, if any (a lock left by a crash does not count). */
export function runningIdp(dataDir: string): IdpLock | undefined {
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as IdpLock;
    return alive(lock.pid) ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the data folder as in use by this process; the returned function releases it. */
export function takeLock(dataDir: string, baseUrl: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, baseUrl } satisfies IdpLock));
  return () => fs.rmSync(file, { force: true });
}
