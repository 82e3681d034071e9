import express, { type Response, type Router } from 'express';
import type { AppRegistration, AppRole } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addAppRole } from '../changes/app-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { checkboxGroup, firstValue, formContext, formValues, postForm, radioGroup, textArea, textField, type FailedForm } from '../forms.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = { added: 'App role created. Assign it to users under Enterprise applications › Users and groups.' };

const LABELS = {
  displayName: 'Display name',
  allowedMemberTypes: 'Allowed member types',
  value: 'Value',
  description: 'Description',
  isEnabled: 'Do you want to enable this app role?',
};

/** Entra's three choices, and what each puts in allowedMemberTypes. */
const MEMBER_CHOICES = [
  { value: 'User', label: 'Users/Groups' },
  { value: 'Application', label: 'Applications' },
  { value: 'Both', label: 'Both (Users/Groups + Applications)' },
] as const;

function memberTypes(choice: string): ('User' | 'Application')[] {
  if (choice === 'Both') return ['User', 'Application'];
  if (choice === 'User' || choice === 'Application') return [choice];
  // Nothing chosen: the admin API's schema refuses an empty list, naming the field.
  return [];
}

function describeMembers(role: AppRole): string {
  return role.allowedMemberTypes.length === 2 ? 'Users/Groups, Applications' : role.allowedMemberTypes[0] === 'User' ? 'Users/Groups' : 'Applications';
}

/** App roles: the roles this app defines (the `roles` claim of tokens for it), and "Create app role". */
export function appRolesRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const action = urls.app(app.appId, 'app-roles', 'add');
    const f = formContext('add-role', options.failed);
    const fields = html`${textField(f, { name: 'displayName', label: LABELS.displayName, required: true, wide: true, hint: 'e.g. Tool runners' })}
${radioGroup(f, { name: 'allowedMemberTypes', legend: LABELS.allowedMemberTypes, choices: MEMBER_CHOICES, value: 'User' })}
${textField(f, { name: 'value', label: LABELS.value, required: true, hint: "What appears in the token's roles claim, e.g. Tools.Run (no spaces)." })}
${textArea(f, { name: 'description', label: LABELS.description, required: true })}
${checkboxGroup(f, { name: 'isEnabled', legend: LABELS.isEnabled, choices: [{ value: 'true', label: 'Enable this app role' }], checked: ['true'] })}`;
    const roles = app.appRoles;
    renderAppBlade(res, viewer, app, 'app-roles', {
      labNote: {
        entra: 'App registrations › (your app) › App roles › Create app role.',
        lab: 'roles can be created but not edited or deleted here; groups do not exist, so "Users/Groups" means users.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p>App roles are permissions your API checks in the <code>roles</code> claim. Users get them by assignment (Enterprise applications › Users and groups); applications get them as application permissions with admin consent.</p>
${
  roles.length
    ? html`<table class="grid">
<caption>App roles (${roles.length})</caption>
<thead><tr><th scope="col">Display name</th><th scope="col">Description</th><th scope="col">Allowed member types</th><th scope="col">Value</th><th scope="col">ID</th><th scope="col">State</th></tr></thead>
<tbody>
${roles.map(
  (r) =>
    html`<tr><th scope="row">${r.displayName}</th><td>${r.description}</td><td>${describeMembers(r)}</td><td><code>${r.value}</code></td><td><code>${r.id}</code></td><td>${r.isEnabled ? 'Enabled' : 'Disabled'}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No app roles have been defined.</p>`
}
<h2>Create app role</h2>
${postForm(f, { action, token: viewer.formToken(action), submit: 'Apply', fields })}`,
    });
  };

  router.get('/apps/:appId/app-roles', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/app-roles/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    try {
      addAppRole(lab, found.viewer, found.app, {
        displayName: firstValue(values, 'displayName'),
        allowedMemberTypes: memberTypes(firstValue(values, 'allowedMemberTypes')),
        value: firstValue(values, 'value').trim(),
        description: firstValue(values, 'description'),
        isEnabled: values.isEnabled?.includes('true') ?? false,
      });
      res.redirect(303, `${urls.app(found.app.appId, 'app-roles')}?done=added`);
    } catch (error) {
      const problems = formProblems(error, { displayName: 'displayName', allowedMemberTypes: 'allowedMemberTypes', value: 'value', description: 'description' }, LABELS);
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'add-role', values, problems } });
    }
  });

  return router;
}
