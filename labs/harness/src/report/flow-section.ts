import { flowFor } from '../flows/index.ts';
import type { FlowEvent } from '../flows/flow-model.ts';
import { mapEvents } from '../flows/map-events.ts';
import type { CheckResult } from '../model.ts';
import type { ClassResults } from './class-results.ts';
import { learnerRows } from './class-results.ts';
import { STATE_WORD, flowSvg, telltaleEvent } from './flow-svg.ts';
import { escapeHtml as h } from '@mcp-lab/mock-idp';

/**
 * report.html's "Failed flows": for each failed check that recorded its flow
 * (labs with a flow diagram), the exchange as a sequence diagram — the same
 * flow definitions and trace-to-arrow mapping as the course's live diagrams —
 * then the steps as a list (what a screen reader reads, and the words behind
 * the colours) and the exchange that shows why, secrets already cut short
 * when the flow was recorded (engine/check-flow.ts).
 */

const MESSAGE_SHOWN = 600;
const BODY_SHOWN = 1_024;

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function detailText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 1);
}

/** The telltale event in words: the request and answer of an exchange, or what the IdP traced. */
function eventDetails(event: FlowEvent): string {
  const rows: [string, string | undefined][] = [
    ['What', event.summary],
    ['From', event.source === 'idp' ? 'the IdP’s trace' : 'the recording proxy in front of the server'],
    ['Error', event.error ? `${event.error.error}${event.error.description ? `: ${event.error.description}` : ''}` : undefined],
    ['Request headers', detailText(event.detail?.requestHeaders)],
    ['Request body', detailText(event.detail?.requestBody)],
    ['Response headers', detailText(event.detail?.responseHeaders)],
    ['Response body', detailText(event.detail?.responseBody)],
  ];
  return `<dl class="exchange">${rows
    .filter((r): r is [string, string] => Boolean(r[1]))
    .map(([name, value]) => `<dt>${h(name)}</dt><dd>${value.includes('\n') || value.length > 80 ? `<pre>${h(clip(value, BODY_SHOWN))}</pre>` : h(value)}</dd>`)
    .join('')}</dl>`;
}

function failedFlow(username: string, lab: string, check: CheckResult, n: number): string | undefined {
  const flow = flowFor(lab);
  if (!flow || !check.flow?.length) return undefined;
  const view = mapEvents(flow, check.flow, { finished: true });
  // (mapEvents gives a fresh view per call: marking an arrow below changes nothing else.)
  const id = `ff${n}`;
  const title = `${username} · ${lab} · ${check.id} (${check.status})`;
  const failedArrow = view.arrows.find((a) => a.state === 'failed');
  const telltale = telltaleEvent(failedArrow?.events ?? [], check.flow);
  if (!failedArrow && telltale) {
    // Every step went through on the wire, and the check refused what came back: that answer's arrow is where it failed.
    const held = view.arrows.find((a) => a.events.includes(telltale));
    if (held) {
      held.state = 'failed';
      held.problem = { message: check.message ?? 'the check refused this answer' };
    }
  }
  const svg = flowSvg(flow, view.arrows, id, `Sequence diagram of ${check.id} for ${username}`);
  const steps = flow.arrows
    .map((arrow, i) => {
      const state = view.arrows[i]!.state;
      const problem = view.arrows[i]!.problem;
      return `<li class="st-${state}"><span class="state">${STATE_WORD[state]}</span> ${h(arrow.label.en)}${problem ? ` — ${h(clip(problem.message, 300))}` : ''}</li>`;
    })
    .join('');
  const why = telltale
    ? `<details open><summary>The exchange that shows why: ${h(telltale.summary)}</summary>${eventDetails(telltale)}</details>`
    : '';
  return `<article class="failed-flow" aria-labelledby="${id}-h">
<h3 id="${id}-h">${h(title)}</h3>
<p class="check-title">${h(check.title)}</p>
${check.message ? `<p class="message">${h(clip(check.message, MESSAGE_SHOWN))}</p>` : ''}
<figure><div class="scroll" role="region" aria-label="${h(`Diagram of ${check.id} for ${username}`)}" tabindex="0">${svg}</div>
<figcaption>${h(flow.title.en)}: each arrow is a step; ✔ done, ✘ failed, – skipped, a faint arrow was not reached. Tokens, codes, cookies and secrets are cut to their first characters.</figcaption></figure>
<ol class="steps" aria-label="${h(`Steps of ${check.id} for ${username}`)}">${steps}</ol>
${why}
</article>`;
}

/** The section, or a short note when no failed check recorded a flow. */
export function failedFlowsSection(input: ClassResults): string {
  const articles: string[] = [];
  for (const row of learnerRows(input)) {
    for (const lab of input.labs) {
      const result = row.labs.get(lab.id);
      for (const check of result?.checks ?? []) {
        if (check.status === 'pass') continue;
        const article = failedFlow(row.username, lab.id, check, articles.length + 1);
        if (article) articles.push(article);
      }
    }
  }
  const body = articles.length === 0 ? '<p>No failed check recorded a flow (only labs with a flow diagram record one: 02 and 03).</p>' : articles.join('\n');
  return `<section id="flows" aria-labelledby="flows-title">
<h2 id="flows-title">Failed flows</h2>
<p>For every failed check of a lab with a flow diagram: what the MCP client, the server and Entra ID exchanged during the check, drawn as the course draws it, with the exchange that shows why.</p>
${body}
</section>`;
}
