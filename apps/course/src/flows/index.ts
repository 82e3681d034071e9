// Moved to the harness (the grader's report.html draws the same flows); the relative path keeps it plain source for Next's bundler.
export { FLOWS, flowFor } from '../../../../labs/harness/src/flows/index.ts';
