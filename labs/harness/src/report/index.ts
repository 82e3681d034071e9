/**
 * Result writers and class outputs: one module per format. The CLI's
 * `check --format` and `grade` call these; they only turn results into text
 * (write.ts is the one place that touches the file system).
 */
export { HIDDEN_CHECK_FAILED, shownChecks } from './audience.ts';
export type { Audience, ShownCheck } from './audience.ts';
export { orderedChecks } from './order.ts';
export { CheckResultJson, HiddenFailureJson, LabResultJson, toJson, toJsonDocument } from './json.ts';
export type { JsonOptions } from './json.ts';
export { labResultFromJson } from './read-json.ts';
export { classroomOutput, toClassroomResult } from './classroom.ts';
export type { ClassroomLab, ClassroomResult, ClassroomTest } from './classroom.ts';
export { toJunit } from './junit.ts';
export type { JunitOptions } from './junit.ts';
export { EXERCISM_OUTPUT_LIMIT, EXERCISM_TRUNCATED, toExercism, toExercismDocument } from './exercism.ts';
export type { ExercismOptions, ExercismResults, ExercismTest } from './exercism.ts';
export { toGradescope, toGradescopeDocument } from './gradescope.ts';
export type { GradescopeOptions, GradescopeResults, GradescopeTest, GradescopeVisibility } from './gradescope.ts';
export { toText } from './text.ts';
export { checkCommand, serveCommand } from './wording.ts';
export type { TextOptions } from './text.ts';
export { reportWords } from './words.ts';
export type { ReportWords } from './words.ts';
export { CsvError, csvCell, formatCsv, parseCsv } from './csv.ts';
export type { CsvParseOptions, CsvRecord } from './csv.ts';
export { parseRoster, RosterError } from './roster.ts';
export type { RosterEntry } from './roster.ts';
export { learnerRows } from './class-results.ts';
export type { ClassResults, GradeLab, LearnerRow } from './class-results.ts';
export { checkStats } from './check-stats.ts';
export type { CheckStat } from './check-stats.ts';
export { toGradebookCsv } from './gradebook.ts';
export { toReportHtml } from './report-html.ts';
export type { ReportOptions } from './report-html.ts';
export { safeName, unsafeNameReason, UnsafeNameError } from './safe-name.ts';
export { LEARNER_FILES, writeClassOutputs, writeLearnerResults } from './write.ts';
export type { ClassWriteResult, WriteOptions } from './write.ts';
