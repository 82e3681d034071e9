import type { Directory } from '../store/directory.ts';
import type { Tenant } from '../directory/types.ts';
import type { ResourceLookup } from './resources.ts';
import type { TraceBus } from '../trace/trace-bus.ts';

/** What every per-tenant provider and Entra step reads: the live directory and its settings. */
export interface LabContext {
  directory: Directory;
  /** Key for client-secret hashes and the in-process client secret. */
  pepper: Buffer;
  lookup: ResourceLookup;
  /** Entra keeps a used refresh token valid; the strict OAuth 2.1 fault turns on reuse detection. */
  strictRefreshTokens(tenantId: string): boolean;
  /** Every protocol exchange, for the live diagrams and the grader (`/_lab/events`). */
  trace: TraceBus;
}

export interface TenantContext extends LabContext {
  tenant: Tenant;
}
