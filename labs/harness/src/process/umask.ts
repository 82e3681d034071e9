/**
 * The umask every server runs with: 022, the default on most machines. A file
 * a server writes without asking for a mode is then readable by group and
 * others — as it would be on the learner's machine — whatever umask the
 * grader happens to run under (a hardened 077 would hide the mistake, and a
 * check of file permissions would pass a server that never asked for 0600).
 */
const SERVER_UMASK = 0o022;

/** A `data:` URL preload that sets the umask before the learner's code runs (no sandbox grant needed, like the orphan guard). */
export function umaskFlag(mask: number = SERVER_UMASK): string {
  if (!Number.isInteger(mask) || mask < 0 || mask > 0o777) throw new RangeError(`not a umask: ${mask}`);
  return `--import=data:text/javascript,${encodeURIComponent(`process.umask(0o${mask.toString(8)});`)}`;
}
