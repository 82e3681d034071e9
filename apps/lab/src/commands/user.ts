import type { AdminClient } from '@mcp-lab/harness';
import type { User } from '@mcp-lab/mock-idp';
import { connectAdmin } from '../admin-client.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { output, tenantQuery, type RoleAssignment, type TargetOptions } from './admin-shapes.ts';

export interface RoleOptions extends TargetOptions {
  app: string;
  role: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function userRoute(user: User, rest = ''): string {
  return `/users/${encodeURIComponent(user.id)}${rest}`;
}

/**
 * The admin API takes an object ID or a full sign-in name; `bob` is also
 * accepted for bob@<some tenant>, as `mcp-lab token --user bob` does.
 */
async function findUser(admin: AdminClient, name: string): Promise<User> {
  if (name.includes('@') || GUID.test(name)) return admin.call<User>('GET', `/users/${encodeURIComponent(name)}`);
  const { value } = await admin.call<{ value: User[] }>('GET', '/users');
  const matches = value.filter((u) => u.userPrincipalName.toLowerCase().startsWith(`${name.toLowerCase()}@`));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new CliError('AMBIGUOUS_USER', `'${name}' matches ${matches.map((u) => u.userPrincipalName).join(' and ')}.`, 'Give the full sign-in name.', EXIT.usage);
  throw new CliError('USER_NOT_FOUND', `No user called '${name}'.`, `Use one of: ${value.map((u) => u.userPrincipalName).join(', ')}.`, EXIT.usage);
}

function assignments(admin: AdminClient, user: User): Promise<RoleAssignment[]> {
  return admin.call<{ value: RoleAssignment[] }>('GET', userRoute(user, '/app-role-assignments')).then((r) => r.value);
}

function roleName(a: RoleAssignment): string {
  return `${a.appRoleValue ?? `${a.appRoleId} (no longer defined)`} of ${a.resourceDisplayName ?? a.resourceAppId}`;
}

function sameRole(a: RoleAssignment, o: RoleOptions): boolean {
  return a.resourceAppId.toLowerCase() === o.app.toLowerCase() && (a.appRoleValue?.toLowerCase() === o.role.toLowerCase() || a.appRoleId.toLowerCase() === o.role.toLowerCase());
}

export async function runUserList(o: TargetOptions & { tenant?: string }): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: User[] }>('GET', `/users${tenantQuery(o.tenant)}`);
  // The roles are what assign-role changes, so the list shows them (one request per user; a lab has a handful).
  const users = await Promise.all(value.map(async (u) => ({ ...u, appRoleAssignments: await assignments(admin, u) })));
  output(o.json, users, () =>
    users.length === 0
      ? ['No users.']
      : users.map((u) => {
          const flags = [u.isAdmin ? 'admin' : '', u.accountEnabled ? '' : 'disabled'].filter(Boolean);
          const roles = u.appRoleAssignments.map(roleName).join(', ') || 'no app roles';
          return `${u.userPrincipalName}  ${u.displayName}  ${u.id}${flags.length ? `  [${flags.join(', ')}]` : ''}  roles: ${roles}`;
        }),
  );
  return EXIT.ok;
}

export async function runAssignRole(name: string, o: RoleOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const user = await findUser(admin, name);
  const held = (await assignments(admin, user)).some((a) => sameRole(a, o));
  // The API answers 200 with the existing assignment when it is already held; the list above tells the two apart for the message.
  const role = GUID.test(o.role) ? { appRoleId: o.role } : { role: o.role };
  const assignment = await admin.call<RoleAssignment>('POST', userRoute(user, '/app-role-assignments'), { resourceAppId: o.app, ...role });
  output(o.json, { ...assignment, alreadyAssigned: held }, () => [
    held ? `${user.userPrincipalName} already holds ${roleName(assignment)}; nothing changed.` : `${user.userPrincipalName} now holds ${roleName(assignment)} (assignment ${assignment.id}).`,
    `It is in the \`roles\` claim of their next token for that API.`,
  ]);
  return EXIT.ok;
}

export async function runUnassignRole(name: string, o: RoleOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const user = await findUser(admin, name);
  const all = await assignments(admin, user);
  const assignment = all.find((a) => sameRole(a, o));
  if (!assignment) {
    const onApp = all.filter((a) => a.resourceAppId.toLowerCase() === o.app.toLowerCase());
    throw new CliError(
      'ROLE_NOT_ASSIGNED',
      `${user.userPrincipalName} is not assigned the role ${o.role} of ${o.app}, so there is nothing to remove.`,
      onApp.length ? `They hold: ${onApp.map(roleName).join(', ')}.` : `They hold no role of that app; \`mcp-lab user list\` shows every assignment.`,
      EXIT.usage,
    );
  }
  await admin.call('DELETE', userRoute(user, `/app-role-assignments/${encodeURIComponent(assignment.id)}`));
  output(o.json, { ...assignment, removed: true }, () => [`${user.userPrincipalName} no longer holds ${roleName(assignment)}; their next token lacks it.`]);
  return EXIT.ok;
}
