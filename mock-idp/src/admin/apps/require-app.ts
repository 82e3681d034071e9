import type { AppRegistration } from '../../directory/types.ts';
import { GRAPH_APP_ID } from '../../seed/microsoft-graph.ts';
import type { Directory } from '../../store/directory.ts';
import { notFound } from '../common/admin-api-error.ts';

/**
 * The registration with this application (client) ID, or a 404. The most
 * common mix-up, the object ID or the service principal ID in place of the
 * client ID, is named in the message: it is a lesson of its own.
 */
export function requireApp(directory: Directory, appId: string): AppRegistration {
  const app = directory.app(appId);
  if (app) return app;
  if (appId.toLowerCase() === GRAPH_APP_ID) {
    throw notFound('BUILT_IN_APP', 'Microsoft Graph is built into the identity provider: it is not an app registration and cannot be read or changed here.', 'Use your own registration; Graph\'s scopes and roles can be named in requiredResourceAccess.');
  }
  const lower = appId.toLowerCase();
  const other = directory.apps().find((a) => a.id.toLowerCase() === lower || a.servicePrincipalId.toLowerCase() === lower);
  if (other) {
    const which = other.id.toLowerCase() === lower ? 'object ID' : 'service principal (enterprise application) object ID';
    throw notFound('APP_NOT_FOUND', `${appId} is the ${which} of "${other.displayName}", not its application (client) ID.`, `Use its appId, ${other.appId}.`);
  }
  throw notFound('APP_NOT_FOUND', `No app registration has the application (client) ID ${JSON.stringify(appId)}.`, 'List the registrations with GET /_lab/admin/apps and use an appId from there.');
}
