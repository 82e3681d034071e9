import type { LabContext } from '../../protocol/lab-context.ts';
import type { NewTraceEvent } from '../../trace/trace-event.ts';

/**
 * Records an admin change in the trace (`/_lab/events`), so the course
 * site's live view shows "app registered", "secret added"… next to the
 * protocol traffic. Never pass a secret value or password in `detail`.
 */
export function traceAdmin(lab: LabContext, summary: string, fields: Pick<NewTraceEvent, 'tenantId' | 'clientId' | 'user' | 'detail'> = {}): void {
  lab.trace.emit({ type: 'admin', summary, ...fields });
}
