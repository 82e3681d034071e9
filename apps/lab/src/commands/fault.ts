import { connectAdmin, type AdminTarget } from '../admin-client.ts';
import { CliError, EXIT } from '../cli-error.ts';

/** Faults that stay on until cleared, and one-off actions, by the names `mcp-lab fault set` takes. */
export const FAULT_KINDS = ['access-token-lifetime', 'clock-skew', 'fail-next-refresh', 'strict-refresh-tokens', 'graph-throttle', 'graph-refuse-tokens', 'device-code-interval'] as const;
export const FAULT_ACTIONS = ['rotate-signing-key', 'revoke-sessions', 'disable-user', 'enable-user'] as const;

export interface FaultSetOptions extends AdminTarget {
  seconds?: number;
  count?: number;
  every?: number;
  retryAfter?: number;
  grace?: number;
  user?: string;
  tenant?: string;
  client?: string;
  expiresIn?: number;
  json?: boolean;
}

function need<T>(value: T | undefined, flag: string, kind: string): T {
  if (value === undefined) throw new CliError('MISSING_OPTION', `'${kind}' needs ${flag}.`, `Example: mcp-lab fault set ${kind} ${flag} 60`, EXIT.usage);
  return value;
}

function faultBody(kind: string, o: FaultSetOptions): Record<string, unknown> {
  switch (kind) {
    case 'access-token-lifetime':
    case 'clock-skew':
    case 'device-code-interval':
      return { kind, seconds: need(o.seconds, '--seconds', kind) };
    case 'fail-next-refresh':
      return { kind, ...(o.count ? { count: o.count } : {}) };
    case 'strict-refresh-tokens':
    case 'graph-refuse-tokens':
      return { kind };
    case 'graph-throttle':
      return { kind, ...(o.every ? { everyNth: o.every } : {}), ...(o.retryAfter !== undefined ? { retryAfterSeconds: o.retryAfter } : {}) };
    default:
      throw new CliError('UNKNOWN_FAULT', `No fault called '${kind}'.`, `Use one of: ${[...FAULT_KINDS, ...FAULT_ACTIONS].join(', ')}.`, EXIT.usage);
  }
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

export async function runFaultSet(kind: string, o: FaultSetOptions): Promise<number> {
  const admin = await connectAdmin(o);
  if ((FAULT_ACTIONS as readonly string[]).includes(kind)) {
    const body =
      kind === 'rotate-signing-key'
        ? { action: kind, ...(o.grace !== undefined ? { graceSeconds: o.grace } : {}) }
        : kind === 'revoke-sessions'
          ? { action: kind, userId: need(o.user, '--user', kind) }
          : { action: 'disable-user', userId: need(o.user, '--user', kind), enabled: kind === 'enable-user' };
    const result = await admin.call<Record<string, unknown>>('POST', '/faults/actions', body);
    print(o.json, result, `${kind}: done ${JSON.stringify(result)}`);
    return EXIT.ok;
  }
  const scope = { ...(o.tenant ? { tenantId: o.tenant } : {}), ...(o.client ? { clientId: o.client } : {}) };
  const fault = await admin.call<{ id: string }>('POST', '/faults', { fault: faultBody(kind, o), scope, ...(o.expiresIn ? { expiresInSeconds: o.expiresIn } : {}) });
  print(o.json, fault, `fault on: ${kind} (id ${fault.id})${o.client ? ` for app ${o.client}` : o.tenant ? ` for tenant ${o.tenant}` : ' everywhere'}`);
  return EXIT.ok;
}

export async function runFaultList(o: AdminTarget & { json?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: { id: string; fault: { kind: string }; scope: { tenantId?: string; clientId?: string }; expiresAt?: string }[] }>('GET', '/faults');
  if (o.json) {
    print(true, value, '');
    return EXIT.ok;
  }
  if (value.length === 0) process.stdout.write('No faults are on.\n');
  for (const f of value) {
    const { kind, ...settings } = f.fault;
    const where = f.scope.clientId ? `app ${f.scope.clientId}` : f.scope.tenantId ? `tenant ${f.scope.tenantId}` : 'everywhere';
    process.stdout.write(`${f.id}  ${kind}  ${JSON.stringify(settings)}  ${where}${f.expiresAt ? `  until ${f.expiresAt}` : ''}\n`);
  }
  return EXIT.ok;
}

export async function runFaultClear(o: AdminTarget & { id?: string; tenant?: string; client?: string; json?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  const route = o.id ? `/faults/${encodeURIComponent(o.id)}` : `/faults?${new URLSearchParams({ ...(o.tenant ? { tenant: o.tenant } : {}), ...(o.client ? { client: o.client } : {}) }).toString()}`;
  const result = await admin.call<{ removed: number }>('DELETE', route);
  print(o.json, result, `${result.removed} fault(s) cleared.`);
  return EXIT.ok;
}
