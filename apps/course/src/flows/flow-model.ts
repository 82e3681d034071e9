// Moved to the harness (the grader's report.html draws the same flows); the relative path keeps it plain source for Next's bundler.
export type * from '../../../../labs/harness/src/flows/flow-model.ts';
