import { html, type SafeHtml } from '../html/escape.ts';

/** One thing wrong with a submitted form: which field (if one), what is wrong, and how to fix it. */
export interface FormProblem {
  field?: string;
  message: string;
  fix: string;
}

/** A submitted form that failed: shown again with what was typed and what is wrong. */
export interface FailedForm {
  id: string;
  values: Readonly<Record<string, readonly string[]>>;
  problems: readonly FormProblem[];
}

/** What the field helpers need: the form's ID (for element IDs) and, after a failed post, its values and problems. */
export interface FormContext {
  id: string;
  failed: FailedForm | undefined;
  /** Field names to labels, for the problem list ("Redirect URI: …"). */
  labels: Record<string, string>;
  /** Fields rendered as radio or checkbox groups. */
  groups: Set<string>;
}

export function formContext(id: string, failed: FailedForm | undefined): FormContext {
  return { id, failed: failed?.id === id ? failed : undefined, labels: {}, groups: new Set() };
}

/** A urlencoded body as name → values (repeated names, e.g. checkboxes, keep every value). */
export function formValues(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[name] = [value];
    else if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

export function firstValue(values: Readonly<Record<string, readonly string[]>>, name: string): string {
  return values[name]?.[0] ?? '';
}

function fieldId(f: FormContext, name: string): string {
  return `${f.id}-${name}`;
}

function problemIds(f: FormContext, name: string): string[] {
  return (f.failed?.problems ?? []).flatMap((p, i) => (p.field === name ? [`${f.id}-problem-${i}`] : []));
}

/** `aria-describedby` (hint and problems) and `aria-invalid` for one field. */
function describedBy(f: FormContext, name: string, hint: string | undefined): SafeHtml {
  const ids = [...(hint ? [`${fieldId(f, name)}-hint`] : []), ...problemIds(f, name)];
  const invalid = problemIds(f, name).length > 0;
  return html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
}

function hintText(f: FormContext, name: string, hint: string | undefined): SafeHtml | '' {
  return hint ? html`<p class="field-hint" id="${fieldId(f, name)}-hint">${hint}</p>` : '';
}

/** The first field with a problem gets focus when the page comes back (no script needed). */
function autofocus(f: FormContext, name: string): SafeHtml | '' {
  const first = f.failed?.problems.find((p) => p.field !== undefined);
  return first?.field === name ? html` autofocus` : '';
}

export interface TextFieldSpec {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'url' | 'date' | 'email' | 'password';
  required?: boolean;
  value?: string;
  autocomplete?: string;
  /** Wide inputs for URIs and descriptions. */
  wide?: boolean;
}

export function textField(f: FormContext, spec: TextFieldSpec): SafeHtml {
  f.labels[spec.name] = spec.label;
  const id = fieldId(f, spec.name);
  const value = f.failed ? firstValue(f.failed.values, spec.name) : (spec.value ?? '');
  return html`<div class="field">
<label for="${id}">${spec.label}${spec.required ? html` <span class="required">(required)</span>` : ''}</label>
${hintText(f, spec.name, spec.hint)}
<input type="${spec.type ?? 'text'}" id="${id}" name="${spec.name}" value="${value}"${spec.wide ? html` class="wide"` : ''}${spec.required ? html` required` : ''}${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}${describedBy(f, spec.name, spec.hint)}${autofocus(f, spec.name)}>
</div>`;
}

export function textArea(f: FormContext, spec: Omit<TextFieldSpec, 'type' | 'autocomplete' | 'wide'>): SafeHtml {
  f.labels[spec.name] = spec.label;
  const id = fieldId(f, spec.name);
  const value = f.failed ? firstValue(f.failed.values, spec.name) : (spec.value ?? '');
  return html`<div class="field">
<label for="${id}">${spec.label}${spec.required ? html` <span class="required">(required)</span>` : ''}</label>
${hintText(f, spec.name, spec.hint)}
<textarea id="${id}" name="${spec.name}" rows="3"${spec.required ? html` required` : ''}${describedBy(f, spec.name, spec.hint)}${autofocus(f, spec.name)}>${value}</textarea>
</div>`;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

export function selectField(f: FormContext, spec: { name: string; label: string; hint?: string; choices: readonly Choice[]; value?: string }): SafeHtml {
  f.labels[spec.name] = spec.label;
  const id = fieldId(f, spec.name);
  const selected = f.failed ? firstValue(f.failed.values, spec.name) : (spec.value ?? '');
  return html`<div class="field">
<label for="${id}">${spec.label}</label>
${hintText(f, spec.name, spec.hint)}
<select id="${id}" name="${spec.name}"${describedBy(f, spec.name, spec.hint)}${autofocus(f, spec.name)}>
${spec.choices.map((c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`)}
</select>
</div>`;
}

/** Radio buttons in a fieldset whose legend names the question. */
export function radioGroup(f: FormContext, spec: { name: string; legend: string; choices: readonly Choice[]; value: string }): SafeHtml {
  f.labels[spec.name] = spec.legend;
  f.groups.add(spec.name);
  const selected = f.failed ? firstValue(f.failed.values, spec.name) : spec.value;
  const invalid = problemIds(f, spec.name);
  return html`<fieldset class="field"${invalid.length ? html` aria-describedby="${invalid.join(' ')}"` : ''}>
<legend>${spec.legend}</legend>
${spec.choices.map((c, i) => {
  const id = `${fieldId(f, spec.name)}-${i}`;
  return html`<div class="choice"><input type="radio" id="${id}" name="${spec.name}" value="${c.value}"${c.value === selected ? html` checked` : ''}${i === 0 ? autofocus(f, spec.name) : ''}>
<label for="${id}">${c.label}${c.hint ? html` <span class="muted">${c.hint}</span>` : ''}</label></div>`;
})}
</fieldset>`;
}

/** Checkboxes sharing one name (a multi-select), each with its own label. */
export function checkboxGroup(f: FormContext, spec: { name: string; legend: string; choices: readonly Choice[]; checked?: readonly string[] }): SafeHtml {
  f.labels[spec.name] = spec.legend;
  f.groups.add(spec.name);
  const checked = new Set(f.failed ? (f.failed.values[spec.name] ?? []) : (spec.checked ?? []));
  const invalid = problemIds(f, spec.name);
  return html`<fieldset class="field"${invalid.length ? html` aria-describedby="${invalid.join(' ')}"` : ''}>
<legend>${spec.legend}</legend>
${spec.choices.map((c, i) => {
  const id = `${fieldId(f, spec.name)}-${i}`;
  return html`<div class="choice"><input type="checkbox" id="${id}" name="${spec.name}" value="${c.value}"${checked.has(c.value) ? html` checked` : ''}${i === 0 ? autofocus(f, spec.name) : ''}>
<label for="${id}">${c.label}${c.hint ? html` <span class="muted">${c.hint}</span>` : ''}</label></div>`;
})}
</fieldset>`;
}

/** The form's problems, announced (role="alert"), each naming the field, what is wrong and the fix. */
function problemList(f: FormContext): SafeHtml | '' {
  const problems = f.failed?.problems ?? [];
  if (problems.length === 0) return '';
  return html`<div class="error" role="alert" id="${f.id}-problems">
<p><strong>${problems.length === 1 ? 'This needs to be fixed:' : `These ${problems.length} things need to be fixed:`}</strong></p>
<ul>
${problems.map((p, i) => {
  const label = p.field ? f.labels[p.field] : undefined;
  // Radio and checkbox groups number their inputs; the link goes to the first.
  const anchor = p.field ? `#${fieldId(f, p.field)}${f.groups.has(p.field) ? '-0' : ''}` : '';
  return html`<li id="${f.id}-problem-${i}">${label ? html`<a href="${anchor}">${label}</a>: ` : ''}${p.message} <span class="fix">${p.fix}</span></li>`;
})}
</ul>
</div>`;
}

export interface PostFormSpec {
  action: string;
  token: string;
  /** The submit button's text: says what it does ("Add redirect URI", not "OK"). */
  submit: string;
  /** Fields; rendered before the problems are known, so the problem list can use their labels. */
  fields?: SafeHtml;
  /** A one-button form (remove, grant) sits inline in a table row or a command bar. */
  inline?: boolean;
  submitClass?: 'primary' | 'secondary' | 'danger';
  /** An accessible name for the button when its text alone is ambiguous in a list ("Remove" → "Remove http://localhost"). */
  submitLabel?: string;
}

/**
 * A POST form with its CSRF token. Fields are rendered first (so labels are
 * known), then the problem list is placed above them.
 */
export function postForm(f: FormContext, spec: PostFormSpec): SafeHtml {
  const problems = problemList(f);
  return html`<form method="post" action="${spec.action}" class="${spec.inline ? 'inline-form' : 'blade-form'}" novalidate>
<input type="hidden" name="csrf" value="${spec.token}">
${problems}
${spec.fields ?? ''}
<div class="${spec.inline ? 'inline-actions' : 'actions start'}"><button type="submit" class="${spec.submitClass ?? 'primary'}"${spec.submitLabel ? html` aria-label="${spec.submitLabel}"` : ''}>${spec.submit}</button></div>
</form>`;
}
