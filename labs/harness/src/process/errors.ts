/**
 * Why the runner could not stage, start or keep a submission running. The
 * message is for the learner (cause and fix, no stack); `code` is for code
 * that must tell the cases apart (the engine maps every one to an `error`
 * result; a test asserts on it).
 */
export type SubmissionErrorCode =
  /** The submission folder cannot be copied as it is (missing, symlink out of it, too big, too many files). */
  | 'STAGING_REFUSED'
  /** A port handed to the job is held by another process before the server started. */
  | 'PORT_IN_USE'
  /** The command could not be started at all (not found, not allowed by the sandbox). */
  | 'START_FAILED'
  /** The server never printed its ready line within the time allowed. */
  | 'READY_TIMEOUT'
  /** The server said it was ready but nothing accepted connections on its port in time. */
  | 'PORT_TIMEOUT'
  /** The server ended before it was ready (crash, sandbox denial, port taken…). */
  | 'EXITED'
  /** The server wrote more output than the runner allows and was stopped. */
  | 'OUTPUT_FLOOD'
  /** A process of the submission survived SIGKILL / taskkill. */
  | 'KILL_FAILED'
  /** The caller asked for something unsafe (an admin token in the environment, sandbox flags in the command). */
  | 'UNSAFE_REQUEST';

export class SubmissionError extends Error {
  readonly code: SubmissionErrorCode;

  constructor(code: SubmissionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SubmissionError';
    this.code = code;
  }
}
