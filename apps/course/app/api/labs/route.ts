import { dashboardStatus } from '../../../src/lab/lab-status.ts';

export const dynamic = 'force-dynamic';

/** The dashboard's status: is the IdP up, which labs exist, which have a working copy, and their last recorded result. */
export async function GET(): Promise<Response> {
  try {
    return Response.json(await dashboardStatus());
  } catch (error) {
    // A lab whose lab.json is missing or invalid says what to change (LabDefinitionError's fix).
    const fix = (error as { fix?: unknown }).fix;
    return Response.json({ error: 'LABS_UNREADABLE', message: (error as Error).message, fix: typeof fix === 'string' ? fix : 'Run `npm run lab -- list` to see what is wrong with the labs.' }, { status: 500 });
  }
}
