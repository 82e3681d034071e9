import type { LabInfo } from '@mcp-lab/mock-idp';

/** The test users and the tenants, as a table a learner can read at a glance. */
export function printUsers(info: LabInfo, print: (line: string) => void): void {
  const tenantName = new Map(info.tenants.map((t) => [t.id, t.name]));
  const rows = info.users.map((u) => [u.username, u.password ?? '(set by you)', tenantName.get(u.tenantId) ?? u.tenantId, [u.admin ? 'admin' : '', ...u.roles].filter(Boolean).join(', ')]);
  const header = ['user', 'password', 'tenant', 'roles'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  print('');
  print(line(header));
  for (const row of rows) print(line(row));
  print('');
  for (const t of info.tenants) print(`${t.home ? 'home tenant   ' : 'other tenant  '} ${t.name}: ${t.id}`);
}
