import type { Response } from 'express';
import type { z } from 'zod';

/** An admin API error: what is wrong and what to do, in one shape for every route. */
export interface AdminProblem {
  code: string;
  message: string;
  fix: string;
}

export function sendAdminError(res: Response, status: number, problem: AdminProblem): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: problem });
}

/** A validation failure that names the JSON path of each problem. */
export function zodProblem(error: z.ZodError, fix: string): AdminProblem {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  return { code: 'INVALID_REQUEST', message: issues.join('; '), fix };
}
