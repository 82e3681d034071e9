import Link from 'next/link';
import type { MDXComponents } from 'mdx/types';
import { isValidElement, type ComponentProps, type ReactElement, type ReactNode } from 'react';
import type { Page } from '../content/loader.ts';
import { loadCourse } from '../content/loader.ts';
import { UI } from '../content/languages.ts';
import { CodeBlock } from './CodeBlock.client.tsx';
import { DiagramView } from './Diagram.client.tsx';
import { IdpTry } from './IdpTry.client.tsx';
import { LiveFlow } from './LiveFlow.client.tsx';
import { QuestionView } from './Quiz.client.tsx';
import { questionsIn } from '../content/quiz.ts';
import { labTableRows } from '../content/lab-table.ts';

const QUIZ_LABELS = {
  en: { check: 'Check my answer', correct: 'Correct.', wrong: 'Not quite. The answer is:', choose: 'Choose an answer first.' },
  nl: { check: 'Controleer mijn antwoord', correct: 'Juist.', wrong: 'Niet helemaal. Het antwoord is:', choose: 'Kies eerst een antwoord.' },
} as const;

type CodeChild = ReactElement<{ className?: string; children?: ReactNode }>;

/**
 * The one MDX component registry. Lessons use Markdown plus these few
 * components: <Diagram>, <Callout>, <Question>, <LabList>, <IdpTry>, <LiveFlow lab>.
 * Fenced ```mermaid blocks (lab READMEs use them) become diagrams too.
 */
export function mdxComponents(page: Page): MDXComponents {
  const ui = UI[page.lang];

  function Diagram({ title, chart, children }: { title: string; chart: string; children?: ReactNode }) {
    return (
      <figure className="diagram">
        <figcaption>{title}</figcaption>
        <DiagramView chart={chart.trim()} title={title} labels={{ loading: ui.diagramLoading, failed: ui.diagramFailed, enlarge: ui.enlargeDiagram, close: ui.closeDiagram }} />
        <details>
          <summary>{ui.diagramText}</summary>
          {children ?? <pre>{chart.trim()}</pre>}
        </details>
      </figure>
    );
  }

  return {
    a({ href = '', children, ...rest }: ComponentProps<'a'>) {
      if (href.startsWith('/') || href.startsWith('#')) return <Link href={href} {...rest}>{children}</Link>;
      return (
        <a href={href} rel="noreferrer" {...rest}>
          {children}
        </a>
      );
    },
    pre({ children }: ComponentProps<'pre'>) {
      const code = isValidElement(children) ? (children as CodeChild) : undefined;
      const language = /language-([\w-]+)/.exec(code?.props.className ?? '')?.[1];
      if (language === 'mermaid' && typeof code?.props.children === 'string') {
        return <Diagram title={page.title} chart={code.props.children} />;
      }
      return (
        <CodeBlock {...(language ? { language } : {})} labels={{ copy: ui.copy, copied: ui.copied, failed: ui.copyFailed }}>
          {children}
        </CodeBlock>
      );
    },
    table(props: ComponentProps<'table'>) {
      return (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={page.lang === 'nl' ? 'Tabel' : 'Table'}>
          <table {...props} />
        </div>
      );
    },
    Diagram,
    Callout({ kind = 'note', title, children }: { kind?: 'note' | 'warning' | 'correction'; title: string; children: ReactNode }) {
      return (
        <aside className={`callout ${kind}`} aria-label={title}>
          <p className="callout-title">{title}</p>
          {children}
        </aside>
      );
    },
    Question({ prompt, options, answer, children }: { prompt: string; options: string[]; answer: number; children: ReactNode }) {
      // Every question of the course, in order: the learner's option order is balanced over all of them.
      const all = loadCourse(page.lang).lessons.flatMap((l) => questionsIn(l.body));
      const course = all.map(({ options: count, answer: right }) => ({ options: count, answer: right }));
      const index = all.findIndex((q) => q.prompt === prompt);
      return (
        <QuestionView prompt={prompt} options={options} answer={answer} index={index} course={course} labels={QUIZ_LABELS[page.lang]}>
          {children}
        </QuestionView>
      );
    },
    IdpTry() {
      return <IdpTry lang={page.lang} />;
    },
    LiveFlow({ lab }: { lab: string }) {
      return <LiveFlow lab={lab} lang={page.lang} />;
    },
    /** A link to a lab's page (and a step in it) when the lab is in this copy; otherwise the text, marked as coming. */
    LabLink({ lab, anchor, children }: { lab: string; anchor?: string; children: ReactNode }) {
      const target = loadCourse(page.lang).labs.find((l) => l.lab.folder === lab);
      if (!target) return <span data-lab-coming={lab}>{children} ({ui.labComing})</span>;
      return <Link href={anchor ? `${target.url}#${anchor}` : target.url}>{children}</Link>;
    },
    /** The course's labs: those in this copy with their pages, then the planned ones, marked as coming. */
    LabTable() {
      const rows = labTableRows(page.lang, loadCourse(page.lang).labs);
      return (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={ui.labTable}>
          <table data-testid="lab-table">
            <thead>
              <tr>
                <th scope="col">{ui.labColumn}</th>
                <th scope="col">{ui.statusColumn}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.number} data-status={row.status}>
                  <td>
                    {row.number} {row.url ? <Link href={row.url}>{row.title}</Link> : `${row.title}: ${row.what ?? ''}`}
                  </td>
                  <td>{row.status === 'ready' ? ui.labReady : ui.labComing}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    },
    LabList() {
      const { labs } = loadCourse(page.lang);
      if (!labs.length) return <p className="callout note" data-testid="labs-coming">{ui.labsComing}</p>;
      return (
        <ol className="lab-list">
          {labs.map((lab) => (
            <li key={lab.id}>
              <Link href={lab.url}>{lab.title}</Link> <code>{lab.lab.folder}</code>
            </li>
          ))}
        </ol>
      );
    },
  };
}
