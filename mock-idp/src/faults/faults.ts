import { randomUUID } from 'node:crypto';
import type { Directory } from '../store/directory.ts';
import type { ActiveFault, FaultSpec, NewFault } from './fault-schema.ts';

const SETTING = 'faults';

type Kind = FaultSpec['kind'];
type Of<K extends Kind> = Extract<FaultSpec, { kind: K }>;

/**
 * The active faults, kept in the directory's settings (they survive a
 * restart, like the rest of the IdP's state). Lookups pick the most specific
 * match: a fault for the app beats one for its tenant beats a global one.
 */
export class Faults {
  readonly #directory: Directory;
  readonly #now: () => number;
  /** Graph throttling counts calls per fault; counting needs no persistence. */
  readonly #graphCalls = new Map<string, number>();

  constructor(directory: Directory, now: () => number = () => Date.now()) {
    this.#directory = directory;
    this.#now = now;
  }

  list(): ActiveFault[] {
    const raw = this.#directory.getSetting(SETTING);
    const all = raw ? (JSON.parse(raw) as ActiveFault[]) : [];
    const live = all.filter((f) => !f.expiresAt || Date.parse(f.expiresAt) > this.#now());
    if (live.length !== all.length) this.#save(live);
    return live;
  }

  set(request: NewFault): ActiveFault {
    const fault: ActiveFault = {
      id: randomUUID(),
      fault: request.fault,
      scope: request.scope,
      createdAt: new Date(this.#now()).toISOString(),
      ...(request.expiresInSeconds ? { expiresAt: new Date(this.#now() + request.expiresInSeconds * 1000).toISOString() } : {}),
    };
    // One fault of a kind per scope: setting it again replaces it.
    const others = this.list().filter((f) => !(f.fault.kind === fault.fault.kind && sameScope(f.scope, fault.scope)));
    this.#save([...others, fault]);
    return fault;
  }

  clear(filter: { id?: string; tenantId?: string; clientId?: string } = {}): number {
    const before = this.list();
    const keep = before.filter((f) => {
      if (filter.id) return f.id !== filter.id;
      if (filter.clientId) return f.scope.clientId?.toLowerCase() !== filter.clientId.toLowerCase();
      if (filter.tenantId) return f.scope.tenantId !== filter.tenantId;
      return false;
    });
    this.#save(keep);
    for (const f of before) if (!keep.includes(f)) this.#graphCalls.delete(f.id);
    return before.length - keep.length;
  }

  /** The most specific active fault of a kind for this tenant and app. */
  find<K extends Kind>(kind: K, tenantId: string | undefined, clientId: string | undefined): (ActiveFault & { fault: Of<K> }) | undefined {
    const candidates = this.list().filter(
      (f): f is ActiveFault & { fault: Of<K> } =>
        f.fault.kind === kind &&
        (!f.scope.tenantId || f.scope.tenantId === tenantId) &&
        (!f.scope.clientId || f.scope.clientId.toLowerCase() === clientId?.toLowerCase()),
    );
    const rank = (f: ActiveFault) => (f.scope.clientId ? 2 : 0) + (f.scope.tenantId ? 1 : 0);
    return candidates.sort((a, b) => rank(b) - rank(a))[0];
  }

  accessTokenLifetime(tenantId: string, clientId: string | undefined): number | undefined {
    return this.find('access-token-lifetime', tenantId, clientId)?.fault.seconds;
  }

  /** The polling interval a new device code announces (Entra: 5 s), when a fault changes it. */
  deviceCodeInterval(tenantId: string, clientId: string | undefined): number | undefined {
    return this.find('device-code-interval', tenantId, clientId)?.fault.seconds;
  }

  clockSkew(tenantId: string, clientId: string | undefined): number {
    return this.find('clock-skew', tenantId, clientId)?.fault.seconds ?? 0;
  }

  strictRefreshTokens(tenantId: string, clientId: string | undefined): boolean {
    return this.find('strict-refresh-tokens', tenantId, clientId) !== undefined;
  }

  /** True when this refresh must fail; counts the fault down and removes it at zero. */
  takeRefreshFailure(tenantId: string, clientId: string | undefined): boolean {
    const active = this.find('fail-next-refresh', tenantId, clientId);
    if (!active) return false;
    const rest = this.list().filter((f) => f.id !== active.id);
    const remaining = active.fault.count - 1;
    this.#save(remaining > 0 ? [...rest, { ...active, fault: { ...active.fault, count: remaining } }] : rest);
    return true;
  }

  /** True when Graph must refuse this app's access tokens (the graph-refuse-tokens fault). */
  graphRefusesTokens(tenantId: string | undefined, clientId: string | undefined): boolean {
    return this.find('graph-refuse-tokens', tenantId, clientId) !== undefined;
  }

  /** Seconds to put in Retry-After when this Graph call must be throttled, else undefined. */
  graphThrottle(tenantId: string | undefined, clientId: string | undefined): number | undefined {
    const active = this.find('graph-throttle', tenantId, clientId);
    if (!active) return undefined;
    const { everyNth, retryAfterSeconds } = active.fault;
    if (!everyNth) return retryAfterSeconds;
    const calls = (this.#graphCalls.get(active.id) ?? 0) + 1;
    this.#graphCalls.set(active.id, calls);
    return calls % everyNth === 0 ? retryAfterSeconds : undefined;
  }

  #save(faults: ActiveFault[]): void {
    this.#directory.setSetting(SETTING, JSON.stringify(faults));
  }
}

function sameScope(a: ActiveFault['scope'], b: ActiveFault['scope']): boolean {
  return (a.tenantId ?? '') === (b.tenantId ?? '') && (a.clientId ?? '').toLowerCase() === (b.clientId ?? '').toLowerCase();
}
