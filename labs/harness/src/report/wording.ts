/** Where learners reread a step, and other small shared wording. */

/** The lab's README, relative to the repository root (the CLI prints it; the course site renders the same file). */
export function readmePath(lab: string): string {
  return `labs/${lab}/README.md`;
}

/** `labs/02-public-client/README.md#step-3-silent-sign-in` */
export function lessonRef(lab: string, lessonStep: string): string {
  return `${readmePath(lab)}${lessonStep}`;
}

/** The command that re-runs a lab's checks (docs/design.md §3). */
export function checkCommand(lab: string): string {
  return `npm run lab -- check ${lab}`;
}

/**
 * The one command that starts a learner's lab server by hand (`mcp-lab serve`:
 * their `.env`, the lab CA trusted, the server's output shown). Every "start
 * your server" message — lab pages, the dashboard, hints, failures — is built
 * from this, so they cannot drift apart. Undefined for a lab without a server.
 */
export function serveCommand(manifest: { id: string; start?: unknown }): string | undefined {
  return manifest.start ? `npm run lab -- serve ${manifest.id}` : undefined;
}

/** Milliseconds as seconds with millisecond precision, the unit JUnit and Gradescope use. */
export function seconds(ms: number): number {
  return Math.round(Math.max(0, ms)) / 1000;
}
