import { connectAdmin } from '../admin-client.ts';
import { EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { appRoute, output, type FederatedInfo, type TargetOptions } from './admin-shapes.ts';

export const ficLine = (f: FederatedInfo) => `  ${f.id}  ${f.name}  issuer ${f.issuer}  subject ${f.subject}  audience ${f.audiences.join(' ')}`;

/** `app fic add`: trust tokens of an issuer, for one subject, as the app's credential (workload identity federation). */
export async function runFicAdd(appId: string, o: TargetOptions & { issuer: string; subject: string; name?: string; audience?: string; description?: string }): Promise<number> {
  const admin = await connectAdmin(o);
  const body = {
    name: o.name ?? `fic-${o.subject.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}`,
    issuer: o.issuer,
    subject: o.subject,
    ...(o.audience ? { audiences: [o.audience] } : {}),
    ...(o.description ? { description: o.description } : {}),
  };
  const added = await admin.call<FederatedInfo>('POST', appRoute(appId, '/federated-credentials'), body);
  output(o.json, added, () => [`Federated credential added to ${appId}.`, ficLine(added), `Tokens with this issuer and subject (and audience ${added.audiences.join(' ')}) are now accepted as the app's client assertion.`]);
  return EXIT.ok;
}

export async function runFicList(appId: string, o: TargetOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: FederatedInfo[] }>('GET', appRoute(appId, '/federated-credentials'));
  output(o.json, value, () => (value.length === 0 ? [`${appId} has no federated credentials.`] : value.map(ficLine)));
  return EXIT.ok;
}

export async function runFicDelete(appId: string, id: string, o: TargetOptions & { yes?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  if (!(await confirm(`Delete federated credential ${id} of ${appId}? Tokens it trusted fail the next request (AADSTS70021).`, o.yes))) {
    output(o.json, { deleted: false, id }, () => ['Nothing was changed.']);
    return EXIT.ok;
  }
  await admin.call('DELETE', appRoute(appId, `/federated-credentials/${encodeURIComponent(id)}`));
  output(o.json, { deleted: true, id }, () => [`Deleted federated credential ${id} of ${appId}.`]);
  return EXIT.ok;
}
