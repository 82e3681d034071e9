'use client';
import { useId, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { quizLayout, type QuizShape } from '../content/quiz.ts';

export interface QuestionLabels {
  check: string;
  correct: string;
  wrong: string;
  choose: string;
}

const SEED_KEY = 'mcp-lab-quiz-seed';
let sessionSeed: number | undefined;

/** This learner's seed: made once and kept in the browser, so the order stays the same across visits. */
function learnerSeed(): number {
  try {
    const kept = Number(window.localStorage.getItem(SEED_KEY));
    if (Number.isInteger(kept) && kept > 0) return kept;
    const made = crypto.getRandomValues(new Uint32Array(1))[0]! || 1;
    window.localStorage.setItem(SEED_KEY, String(made));
    return made;
  } catch {
    // No storage (a locked-down browser): a seed for this visit only.
    sessionSeed ??= crypto.getRandomValues(new Uint32Array(1))[0]! || 1;
    return sessionSeed;
  }
}

const layouts = new Map<string, number[][]>();
const noSubscription = () => () => undefined;

/**
 * The order of this question's options for this learner. On the server, and
 * until the browser has read the learner's seed, it is the source order
 * (seed 0); then the learner's own.
 */
function useOptionOrder(index: number, course: readonly QuizShape[], count: number): { order: number[]; learner: boolean } {
  const seed = useSyncExternalStore(noSubscription, learnerSeed, () => 0);
  return useMemo(() => {
    const source = Array.from({ length: count }, (_, i) => i);
    if (!seed) return { order: source, learner: false };
    const key = `${seed}:${course.map((q) => `${q.options}.${q.answer}`).join(',')}`;
    let layout = layouts.get(key);
    if (!layout) layouts.set(key, (layout = quizLayout(seed, course)));
    const mine = layout[index];
    return { order: mine && mine.length === count ? mine : source, learner: true };
  }, [seed, index, course, count]);
}

/**
 * One multiple-choice question; the explanation opens once an answer is
 * checked. `index` is its place among the course's questions (`course`),
 * which together decide the order this learner sees (src/content/quiz.ts).
 */
export function QuestionView({ prompt, options, answer, index, course, children, labels }: { prompt: string; options: string[]; answer: number; index: number; course: QuizShape[]; children: ReactNode; labels: QuestionLabels }) {
  const name = useId();
  const { order, learner } = useOptionOrder(index, course, options.length);
  const [choice, setChoice] = useState<number | undefined>(undefined);
  const [checked, setChecked] = useState<number | undefined>(undefined);
  const [nudge, setNudge] = useState(false);
  const check = () => {
    if (choice === undefined) return setNudge(true);
    setNudge(false);
    setChecked(choice);
  };
  const right = checked === answer;
  return (
    <fieldset className="question" data-answered={checked !== undefined || undefined} data-order={order.join(',')} data-learner={learner || undefined}>
      <legend>{prompt}</legend>
      {order.map((source) => (
        <label key={options[source]} className="option" data-correct={checked !== undefined && source === answer ? true : undefined}>
          <input type="radio" name={name} value={source} checked={choice === source} onChange={() => setChoice(source)} /> {options[source]}
        </label>
      ))}
      <button type="button" onClick={check}>
        {labels.check}
      </button>
      <div role="status" aria-live="polite" className="feedback">
        {nudge ? <p>{labels.choose}</p> : null}
        {checked !== undefined ? (
          <>
            <p className={right ? 'verdict right' : 'verdict wrong'}>{right ? labels.correct : `${labels.wrong} ${options[answer] ?? ''}`}</p>
            <div className="explanation">{children}</div>
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
