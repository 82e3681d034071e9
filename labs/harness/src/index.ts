/** The check engine's public entry: what labs' checks.ts, the CLI, the course site and the tests use. */
export { defineLab, withExtraChecks, LabDefinitionError, type LabDefinition, type CheckDefinition, type CheckRun } from './define-lab.ts';
export * from './model.ts';
export { CheckContext, type ServerLauncher, type ServerProcess } from './engine/check-context.ts';
export { CheckFailure, CheckCannotRun } from './engine/check-outcomes.ts';
export { startGradingIdp, connectGradingIdp, type GradingIdp } from './engine/grading-idp.ts';
export { labEnv, parseDotenv } from './engine/lab-env.ts';
export { listLabs, findLab, loadLab, UnknownLabError, LABS_ROOT, REPO_ROOT, WORK_ROOT, type LabFolder } from './engine/labs.ts';
export { runLab, HARNESS_VERSION, type RunLabOptions } from './engine/run-lab.ts';
export { checkSubmission, type CheckSubmissionOptions } from './engine/check-submission.ts';
export { submissionLauncher } from './engine/submission-launcher.ts';
export { readProgress, recordLabResult, type Progress, type LabProgress } from './progress.ts';
export * from './report/index.ts';
export { checkLabContent, type ContentReport } from './content/content-check.ts';
export { scanForLeaks, leaksIn, issuedFingerprints, type Leak } from './engine/token-scan.ts';
export { startRecordingProxy, type RecordingProxy, type Exchange } from './mcp/recording-proxy.ts';
export { connectHttp } from './mcp/http-client.ts';
