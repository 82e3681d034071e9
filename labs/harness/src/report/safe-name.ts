/**
 * Usernames (folder names in a class folder, roster cells) become folder
 * names under the instructor's output folder. They are untrusted: a name must
 * be exactly one ordinary path segment on every OS, or it is refused.
 */

export class UnsafeNameError extends Error {
  override name = 'UnsafeNameError';
}

// Windows device names, reserved with any extension (CON, con.txt, COM1…).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Why `name` is not a safe single path segment, or undefined when it is. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return 'it names a folder relative to another';
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (/[<>:"|?*]/.test(name)) return 'it contains a character Windows forbids in file names (< > : " | ? *)';
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space (Windows drops them)';
  if (WINDOWS_DEVICE.test(name)) return 'it is a Windows device name';
  if (name.length > 200) return 'it is longer than 200 characters';
  return undefined;
}

/** Returns `name` when it is one safe path segment; throws UnsafeNameError naming the reason otherwise. */
export function safeName(name: string, what: string): string {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) throw new UnsafeNameError(`refusing ${what} ${JSON.stringify(name)}: ${reason}`);
  return name;
}
