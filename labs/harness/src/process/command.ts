import path from 'node:path';
import { SubmissionError } from './errors.ts';
import { WIDENING_FLAG } from './sandbox.ts';

/**
 * The argv to spawn, from the manifest's start command. `node` becomes the
 * Node running the grader (the same version, wherever PATH points), with
 * `nodeFlags` (the orphan guard) and, under the sandbox, the permission
 * flags right after it. So a sandboxed command must be `node …`:
 * `npm start` would run npm (and a shell) outside the sandbox. Pure.
 */
export function resolveCommand(
  command: readonly string[],
  permissionFlags: readonly string[] | undefined,
  execPath: string = process.execPath,
  nodeFlags: readonly string[] = [],
): { file: string; args: string[] } {
  const [program, ...rest] = command;
  if (program === undefined) throw new SubmissionError('START_FAILED', 'the start command is empty: the lab manifest must say how to start the server.');
  // win32.basename splits on both separators: a manifest may name `C:\…\node.exe`, whatever the grader's OS.
  const isNode = program === 'node' || program === execPath || /^node(\.exe)?$/i.test(path.win32.basename(program));
  if (permissionFlags === undefined) return isNode ? { file: execPath, args: [...nodeFlags, ...rest] } : { file: program, args: rest };
  if (!isNode) {
    throw new SubmissionError(
      'UNSAFE_REQUEST',
      `the sandbox can only run \`node …\` commands, not \`${command.join(' ')}\`: start the server with \`node <entry file>\` in the lab manifest.`,
    );
  }
  const widening = rest.find((arg) => WIDENING_FLAG.test(arg));
  if (widening) throw new SubmissionError('UNSAFE_REQUEST', `the start command may not set ${widening}: the runner decides what a sandboxed server may do.`);
  return { file: execPath, args: [...nodeFlags, ...permissionFlags, ...rest] };
}
