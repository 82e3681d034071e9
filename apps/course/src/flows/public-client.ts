// Moved to the harness (the grader's report.html draws the same flows); the relative path keeps it plain source for Next's bundler.
export * from '../../../../labs/harness/src/flows/public-client.ts';
