import type { ArrowState, FlowDefinition, FlowEvent } from '../flows/flow-model.ts';
import type { ArrowView } from '../flows/map-events.ts';
import { escapeHtml as h } from '@mcp-lab/mock-idp';

/**
 * A flow's arrows, in their states, as an inline SVG sequence diagram: one
 * column per participant, one row per arrow, in the flow's order (the order
 * the course's Mermaid diagram draws them). No script, no font or file from
 * elsewhere: it renders in one offline HTML file under a CSP that forbids
 * loading anything. The state is in each label's words as well as in its
 * colour, and the diagram comes with the same steps as a list (flow-section.ts).
 */

const COLUMN = 180;
const MARGIN = 16;
const HEAD = 44;
const FIRST_ROW = 86;
const ROW = 34;

interface Look {
  stroke: string;
  width: number;
  dash?: string;
  text: string;
  mark: string;
  bold?: boolean;
}

// Text colours at least 4.5:1 on white (WCAG AA).
const LOOK: Record<ArrowState, Look> = {
  lit: { stroke: '#1f2937', width: 1.5, text: '#111827', mark: '✔ ' },
  failed: { stroke: '#b91c1c', width: 3, text: '#991b1b', mark: '✘ ', bold: true },
  waiting: { stroke: '#92400e', width: 1.5, dash: '4 3', text: '#78350f', mark: '… ' },
  idle: { stroke: '#9ca3af', width: 1, dash: '2 4', text: '#4b5563', mark: '' },
  skipped: { stroke: '#9ca3af', width: 1, dash: '2 4', text: '#4b5563', mark: '– ' },
};

export const STATE_WORD: Record<ArrowState, string> = { lit: 'done', failed: 'failed', waiting: 'under way', idle: 'not reached', skipped: 'skipped' };

/** The SVG of one flow in the states of `arrows` (mapEvents' view); `id` makes its element ids unique in the page. */
export function flowSvg(flow: FlowDefinition, arrows: readonly ArrowView[], id: string, caption: string): string {
  const columns = new Map(flow.participants.map((p, i) => [p.id, MARGIN + COLUMN / 2 + i * COLUMN]));
  const width = MARGIN * 2 + COLUMN * flow.participants.length;
  const height = FIRST_ROW + ROW * flow.arrows.length;
  const state = new Map(arrows.map((a) => [a.id, a.state]));
  const failed = flow.arrows.findIndex((a) => state.get(a.id) === 'failed');
  const described = failed >= 0 ? `Step ${failed + 1} failed: ${flow.arrows[failed]!.label.en}.` : 'No step failed on the wire: the check failed on what came back.';

  const markers = (Object.keys(LOOK) as ArrowState[])
    .map((s) => `<marker id="${id}-head-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${LOOK[s].stroke}"/></marker>`)
    .join('');
  const heads = flow.participants
    .map((p) => {
      const x = columns.get(p.id)!;
      return `<rect x="${x - COLUMN / 2 + 6}" y="6" width="${COLUMN - 12}" height="${HEAD - 10}" rx="4" fill="#f3f4f6" stroke="#6b7280"/><text x="${x}" y="${6 + (HEAD - 10) / 2 + 4}" text-anchor="middle" font-size="12" font-weight="600" fill="#111827">${h(p.label.en)}</text><line x1="${x}" y1="${HEAD - 4}" x2="${x}" y2="${height - 6}" stroke="#9ca3af" stroke-dasharray="3 3"/>`;
    })
    .join('');
  const rows = flow.arrows
    .map((arrow, i) => {
      const s = state.get(arrow.id) ?? 'idle';
      const look = LOOK[s];
      const y = FIRST_ROW + i * ROW;
      const from = columns.get(arrow.from)!;
      const to = columns.get(arrow.to)!;
      const dash = look.dash ?? (arrow.reply ? '6 4' : undefined);
      const line =
        from === to
          ? `<path d="M${from},${y - 8} h30 v12 h-26" fill="none" stroke="${look.stroke}" stroke-width="${look.width}"${dash ? ` stroke-dasharray="${dash}"` : ''} marker-end="url(#${id}-head-${s})"/>`
          : `<line x1="${from}" y1="${y}" x2="${to + (to > from ? -2 : 2)}" y2="${y}" stroke="${look.stroke}" stroke-width="${look.width}"${dash ? ` stroke-dasharray="${dash}"` : ''} marker-end="url(#${id}-head-${s})"/>`;
      const left = Math.min(from, to);
      const label = `${look.mark}${i + 1}. ${arrow.label.en}${s === 'failed' || s === 'skipped' || s === 'waiting' ? ` (${STATE_WORD[s]})` : ''}`;
      return `<g>${line}<text x="${left + 6}" y="${y - 6}" font-size="11" fill="${look.text}"${look.bold ? ' font-weight="700"' : ''}>${h(label)}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif"><title id="${id}-title">${h(caption)}</title><desc id="${id}-desc">${h(`${flow.title.en}. ${described} The list below the diagram gives every step and its state.`)}</desc><defs>${markers}</defs><rect width="100%" height="100%" fill="#ffffff"/>${heads}${rows}</svg>`;
}

/**
 * The event that shows best why a check failed: on a failed arrow, its newest
 * event with an error; otherwise the newest answer of the learner's server
 * (a check asserts on what the server answered last), else the newest event.
 */
export function telltaleEvent(failedArrowEvents: readonly FlowEvent[], all: readonly FlowEvent[]): FlowEvent | undefined {
  return [...failedArrowEvents].reverse().find((e) => e.error) ?? failedArrowEvents.at(-1) ?? all.findLast((e) => e.type === 'http') ?? all.at(-1);
}
