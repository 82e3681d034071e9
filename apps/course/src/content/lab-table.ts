import type { Lang } from './languages.ts';
import type { LabPage } from './loader.ts';

/**
 * The labs the course plans beyond the ones in this copy. The labs lesson's
 * table lists the labs that exist (with a link) and then these, marked as
 * coming, unless a lab folder of that number has arrived meanwhile.
 */
const PLANNED_LABS: { number: string; title: Record<Lang, string>; what: Record<Lang, string> }[] = [
  {
    number: '05',
    title: { en: 'Resource server', nl: 'Resource server' },
    what: { en: "an MCP server that validates tokens as today's MCP authorization specification asks", nl: 'een MCP-server die tokens valideert zoals de huidige MCP-autorisatiespecificatie vraagt' },
  },
];

export interface LabTableRow {
  number: string;
  title: string;
  /** The lab's page; absent for a lab that is coming. */
  url?: string;
  status: 'ready' | 'coming';
  /** What a coming lab will be about. */
  what?: string;
}

/** Every lab in this copy (ready, with its page), then the planned ones not here yet (coming). */
export function labTableRows(lang: Lang, labs: readonly LabPage[]): LabTableRow[] {
  const ready: LabTableRow[] = labs.map((l) => ({ number: l.lab.number, title: l.title, url: l.url, status: 'ready' }));
  const coming: LabTableRow[] = PLANNED_LABS.filter((p) => !labs.some((l) => l.lab.number === p.number)).map((p) => ({ number: p.number, title: p.title[lang], what: p.what[lang], status: 'coming' }));
  return [...ready, ...coming];
}
