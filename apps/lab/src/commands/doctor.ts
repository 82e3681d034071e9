import { labHome } from '@mcp-lab/mock-idp';
import { checkLanguage, DOCTOR_TOPICS, TROUBLE_TOPICS, troubleshootingUrl } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';
import { idpUrl } from '../lab-idp.ts';
import { CHECKS, readIdp, type CheckResult, type DoctorCheck, type DoctorContext, type IdpState } from '../doctor/checks.ts';

export interface DoctorOptions {
  idp?: string;
  json?: boolean;
}

export interface DoctorLine extends CheckResult {
  id: string;
  title: string;
}

/** Runs checks one after another; a check that throws is reported as its own failure, never ends the run. */
export async function runChecks(checks: readonly DoctorCheck[], ctx: DoctorContext, onResult: (line: DoctorLine) => void = () => {}): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  for (const check of checks) {
    let result: CheckResult;
    try {
      result = await check.run(ctx);
    } catch (error) {
      result =
        error instanceof CliError
          ? { status: 'fail', detail: error.message, fix: error.fix }
          : { status: 'fail', detail: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`, fix: 'Report this with the output of `mcp-lab doctor --json`.' };
    }
    const line = { id: check.id, title: check.title, ...result };
    lines.push(line);
    onResult(line);
  }
  return lines;
}

/** The troubleshooting entry that explains a doctor check's problems, on the course site (in the locale's language). */
export function doctorHelp(id: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const topic = DOCTOR_TOPICS[id];
  if (!topic) return undefined;
  const lang = checkLanguage(undefined, env);
  return troubleshootingUrl(lang, TROUBLE_TOPICS[topic][lang], env);
}

export function formatLine(line: DoctorLine, idWidth: number): string {
  const head = `${line.status.padEnd(4)}  ${line.id.padEnd(idWidth)}  ${line.detail}`;
  if (line.status === 'ok' || !line.fix) return head;
  const help = doctorHelp(line.id);
  return `${head}\n${' '.repeat(6)}fix: ${line.fix}${help ? `\n${' '.repeat(6)}see: ${help}` : ''}`;
}

/**
 * `mcp-lab doctor`: every check, one line each (`ok|warn|fail  <id>  <detail>`,
 * then the fix for anything not ok), or a JSON array with --json.
 * Exit 0 when nothing failed, 2 otherwise.
 */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const url = idpUrl(options.idp);
  const home = labHome();
  let idp: Promise<IdpState> | undefined;
  const ctx: DoctorContext = {
    idpUrl: url,
    idpExplicit: Boolean(options.idp || process.env.MCP_LAB_IDP),
    labHome: home,
    now: new Date(),
    idp: () => (idp ??= readIdp(url, home)),
  };
  const idWidth = Math.max(...CHECKS.map((c) => c.id.length));
  const lines = await runChecks(CHECKS, ctx, options.json ? undefined : (line) => process.stdout.write(`${formatLine(line, idWidth)}\n`));
  if (options.json) process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
  return lines.some((l) => l.status === 'fail') ? EXIT.couldNotRun : EXIT.ok;
}
