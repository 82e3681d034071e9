/**
 * The process runner: how the check engine stages, starts, watches and ends
 * a learner's server (docs/design.md §5, "Harness"). Typical use:
 *
 *   const staged = await stageSubmission(folder, { labId: lab.id });
 *   const home = await tempHome();
 *   const port = await freePort();
 *   const env = submissionEnv({ ...labEnv, PORT: String(port) }, { home });
 *   const server = await startSubmission({ command: lab.start.command, cwd: staged.dir, env, protocol: 'http',
 *     sandbox: { submission: staged, home }, ports: [port] });
 *   try { await server.waitForOutput(/listening/, 10_000); await server.waitForPort(port, '127.0.0.1', 5_000); … }
 *   finally { await server.stop(); await home.cleanup(); await staged.cleanup(); }
 *
 * Every failure is a SubmissionError whose message a learner can act on.
 */
export { stageSubmission, STAGING_LIMITS, type StageOptions, type StagedSubmission } from './stage.ts';
export { tempHome, type TempHome } from './temp-home.ts';
export { freePort, isPortFree, assertPortsFree } from './ports.ts';
export { submissionEnv, assertSafeEnv, type SubmissionEnvOptions } from './env.ts';
export { startSubmission, RUNNER_DEFAULTS, type StartOptions, type SubmissionProcess, type ExitInfo } from './start.ts';
export { sandboxGrants, permissionFlags, type SandboxOptions, type Grants } from './sandbox.ts';
export { diagnoseOutput, findAccessDenials, explainDenial, type AccessDenial } from './diagnose.ts';
export { killAllSubmissionsNow, liveSubmissionCount } from './registry.ts';
export { SubmissionError, type SubmissionErrorCode } from './errors.ts';
export { REPO_ROOT } from './repo-root.ts';
