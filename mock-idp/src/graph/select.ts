import type { Request } from 'express';
import { GRAPH_MESSAGES, graphErrors } from './graph-error.ts';

/**
 * OData's `$select=a,b`: which properties to return. Graph resolves property
 * names without regard to case and answers with its own spelling; an
 * unknown name is a 400 naming the property and the type.
 *
 * Returns the canonical names in request order, or `undefined` for "the
 * default set". Other `$` options are refused rather than silently ignored,
 * so that a learner never reads an unfiltered answer as a filtered one.
 */
export function parseSelect(req: Request, typeName: string, properties: readonly string[]): string[] | undefined {
  const query = req.query as Record<string, string | string[] | undefined>;
  for (const name of Object.keys(query)) {
    if (name.startsWith('$') && name !== '$select') throw graphErrors.badRequest(GRAPH_MESSAGES.unsupportedOption(name));
  }
  const raw = query.$select;
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw graphErrors.badRequest(GRAPH_MESSAGES.repeatedOption('$select'));

  const byLowerName = new Map(properties.map((p) => [p.toLowerCase(), p]));
  const selected: string[] = [];
  for (const name of raw.split(',').map((s) => s.trim())) {
    if (name === '') continue;
    if (name === '*') return undefined;
    const canonical = byLowerName.get(name.toLowerCase());
    if (!canonical) throw graphErrors.badRequest(GRAPH_MESSAGES.unknownProperty(name, typeName));
    if (!selected.includes(canonical)) selected.push(canonical);
  }
  return selected.length ? selected : undefined;
}

/** `…/$metadata#users/$entity` → `…/$metadata#users(displayName,mail)/$entity`, as Graph names a projection. */
export function withSelection(entitySet: string, selected: string[] | undefined): string {
  return selected ? `${entitySet}(${selected.join(',')})` : entitySet;
}

/** The object with only the selected properties, in the order asked for. */
export function project<T extends object>(full: T, selected: string[] | undefined): Partial<T> {
  if (!selected) return full;
  const values = full as Record<string, unknown>;
  return Object.fromEntries(selected.map((name) => [name, values[name]])) as Partial<T>;
}
