'use client';
import { useId, useState, type ReactNode } from 'react';

export interface QuestionLabels {
  check: string;
  correct: string;
  wrong: string;
  choose: string;
}

/** One multiple-choice question; the explanation opens once an answer is checked. */
export function QuestionView({ prompt, options, answer, children, labels }: { prompt: string; options: string[]; answer: number; children: ReactNode; labels: QuestionLabels }) {
  const name = useId();
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
    <fieldset className="question" data-answered={checked !== undefined || undefined}>
      <legend>{prompt}</legend>
      {options.map((option, index) => (
        <label key={option} className="option" data-correct={checked !== undefined && index === answer ? true : undefined}>
          <input type="radio" name={name} value={index} checked={choice === index} onChange={() => setChoice(index)} /> {option}
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
