import type { Directory } from '../store/directory.ts';
import type { AppCredentials } from '../store/app-credentials.ts';
import type { Tenant } from '../directory/types.ts';
import type { ResourceLookup } from './resources.ts';
import type { TraceBus } from '../trace/trace-bus.ts';
import type { Faults } from '../faults/faults.ts';
import type { KeyRing } from './key-ring.ts';

/** What every per-tenant provider and Entra step reads: the live directory and its settings. */
export interface LabContext {
  directory: Directory;
  /** Certificates and federated identity credentials of app registrations. */
  credentials: AppCredentials;
  /** Key for client-secret hashes and the in-process client secret. */
  pepper: Buffer;
  lookup: ResourceLookup;
  /** Fault injection (token lifetimes, clock skew, refresh failures, Graph throttling…). */
  faults: Faults;
  /** The signing keys (rotation is a fault action). */
  keys: KeyRing;
  /** Every protocol exchange, for the live diagrams and the grader (`/_lab/events`). */
  trace: TraceBus;
}

export interface TenantContext extends LabContext {
  tenant: Tenant;
}
