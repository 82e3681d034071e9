import type { FlowDefinition, Lang } from './flow-model.ts';

/** Mermaid's sequence syntax treats these as structure: keep them out of labels. */
function label(text: string): string {
  return text.replace(/[;#:]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The flow as a Mermaid sequence diagram, arrows numbered in order: the n-th
 * message Mermaid draws is the n-th arrow of the flow, which is how the page
 * finds the arrow to light.
 */
export function toMermaid(flow: FlowDefinition, lang: Lang): string {
  const lines = ['sequenceDiagram'];
  for (const p of flow.participants) lines.push(`  participant ${p.id} as ${label(p.label[lang])}`);
  for (const a of flow.arrows) lines.push(`  ${a.from}${a.reply ? '-->>' : '->>'}${a.to}: ${label(a.label[lang])}`);
  return lines.join('\n');
}
