export interface HtmlForm {
  action: string;
  method: string;
  /** Input and button fields: name → value (buttons included, so the caller picks one). */
  fields: Map<string, string>;
  buttons: Map<string, string[]>;
  hasPassword: boolean;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

function decode(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_m, name: string) => ENTITY[name] ?? _m);
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) out.set(m[1]!.toLowerCase(), decode(m[2]!));
  for (const m of tag.matchAll(/\s([\w-]+)(?=[\s>/])/g)) if (!out.has(m[1]!.toLowerCase())) out.set(m[1]!.toLowerCase(), '');
  return out;
}

/**
 * The forms of a page this IdP (or oidc-provider's form_post) rendered. Not a
 * general HTML parser: these pages are ours, and their markup is tested.
 */
export function parseForms(page: string, base: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttrs = attributes(match[1] ?? '');
    const inner = match[2] ?? '';
    const fields = new Map<string, string>();
    const buttons = new Map<string, string[]>();
    let hasPassword = false;
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const a = attributes(input[0]);
      const name = a.get('name');
      if (a.get('type') === 'password') hasPassword = true;
      if (name) fields.set(name, a.get('value') ?? '');
    }
    for (const button of inner.matchAll(/<button\b[^>]*>/gi)) {
      const a = attributes(button[0]);
      const name = a.get('name');
      if (name) buttons.set(name, [...(buttons.get(name) ?? []), a.get('value') ?? '']);
    }
    forms.push({
      action: new URL(formAttrs.get('action') ?? base.href, base).href,
      method: (formAttrs.get('method') ?? 'get').toLowerCase(),
      fields,
      buttons,
      hasPassword,
    });
  }
  return forms;
}

/** The text of the page's alert, if it shows one (a sign-in error). */
export function alertText(page: string): string | undefined {
  const match = /role="alert"[^>]*>([\s\S]*?)<\/div>/i.exec(page);
  return match?.[1] ? decode(match[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()) : undefined;
}
