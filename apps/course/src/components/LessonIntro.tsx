import Link from 'next/link';
import type { LessonPage } from '../content/loader.ts';

const TEXT = {
  en: {
    label: 'About this lesson',
    objectives: 'After this lesson you can',
    time: 'Time',
    minutes: (n: number) => `about ${n} minutes`,
    prerequisites: 'Before you start',
  },
  nl: {
    label: 'Over deze les',
    objectives: 'Na deze les kun je',
    time: 'Tijd',
    minutes: (n: number) => `ongeveer ${n} minuten`,
    prerequisites: 'Wat je vooraf moet weten',
  },
} as const;

/** The top of a lesson: what the learner will be able to do, how long it takes, and what they need to know first. */
export function LessonIntro({ page }: { page: LessonPage }) {
  const { objectives, minutes, prerequisites } = page.frontmatter;
  if (!objectives && !minutes && !prerequisites) return null;
  const t = TEXT[page.lang];
  return (
    <aside className="lesson-intro" aria-label={t.label} data-testid="lesson-intro">
      {objectives ? (
        <>
          <p className="intro-label">{t.objectives}</p>
          <ul className="objectives">
            {objectives.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </>
      ) : null}
      {minutes ? (
        <p>
          <span className="intro-label">{t.time}:</span> {t.minutes(minutes)}
        </p>
      ) : null}
      {prerequisites ? (
        <>
          <p className="intro-label">{t.prerequisites}</p>
          <ul className="prerequisites">
            {prerequisites.map((p) => (
              <li key={p.text}>
                {p.href ? p.href.startsWith('/') ? <Link href={p.href}>{p.text}</Link> : <a href={p.href} rel="noreferrer">{p.text}</a> : p.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
