import type { AppRegistration } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { throwIfProblems } from '../common/admin-api-error.ts';
import { requiredResourceAccessProblems } from './permission-rules.ts';
import { registrationProblems } from './registration-rules.ts';

/**
 * Every rule for a whole registration about to be written (new, patched,
 * imported, or changed by a sub-resource route): a 400 naming the first
 * problem's path in the registration, all of them in `details`.
 */
export function assertValidRegistration(lab: LabContext, candidate: AppRegistration, what: string): void {
  throwIfProblems([...registrationProblems(candidate), ...requiredResourceAccessProblems(lab.directory, candidate.requiredResourceAccess, candidate)], what);
}
