/**
 * File access for the certificate store. Every failure becomes a
 * CertificateStoreError naming the path and the fix, because a bare EACCES at
 * start-up leaves a learner guessing which of several folders is at fault.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertificateStoreError, explainFsError } from './certificate-error.ts';

const FIX = (dir: string) => `Check the permissions of ${dir} or pass --data to use another folder.`;

export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new CertificateStoreError(
      'CERTS_UNWRITABLE',
      dir,
      `Cannot create the certificate folder ${dir}: ${explainFsError(error)}. ${FIX(dir)}`,
      error,
    );
  }
}

/** The file's text, or undefined when it does not exist (first start). */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CertificateStoreError(
      'CERTS_UNREADABLE',
      path,
      `Cannot read ${path}: ${explainFsError(error)}. ${FIX(dirname(path))}`,
      error,
    );
  }
}

/**
 * Write via a temporary file in the same folder and rename it into place: the
 * rename is atomic, so a crash (or a second start racing this one) sees either
 * the old PEM or the new one, never half of one. The temporary file gets its
 * final mode before any secret is written to it.
 */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // Explicit chmod: the mode given to open() is filtered through the umask.
      await handle.chmod(mode);
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new CertificateStoreError(
      'CERTS_UNWRITABLE',
      path,
      `Cannot write ${path}: ${explainFsError(error)}. ${FIX(dir)}`,
      error,
    );
  }
}
