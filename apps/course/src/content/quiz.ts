/**
 * Quiz options in a different order for each learner, the same order on
 * every visit, and fair over the course: the right answers are spread evenly
 * over the positions (no position holds much more than its share).
 *
 * A learner is a random seed kept in the browser (localStorage). The layout
 * is computed over every question of the course at once: the questions are
 * taken in a seeded random order, and each gets the position of its right
 * answer where the fewest right answers stand so far (ties broken at
 * random); the wrong options fill the other positions in a seeded random
 * order. Pure functions, so the tests can check what learners see.
 */

/** One question as the layout needs it: how many options, and which (in the source) is right. */
export interface QuizShape {
  options: number;
  answer: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same sequence. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * For each question (in course order), the order in which its options are
 * shown: a list of source indices. The right answer's place is balanced
 * over the course; everything else is shuffled.
 */
export function quizLayout(seed: number, questions: readonly QuizShape[]): number[][] {
  const random = prng(seed);
  const counts: number[] = [];
  const target: number[] = new Array<number>(questions.length).fill(0);
  for (const q of shuffled(questions.map((_, i) => i), random)) {
    const n = questions[q]!.options;
    const places = Array.from({ length: n }, (_, p) => p);
    const fewest = Math.min(...places.map((p) => counts[p] ?? 0));
    const candidates = places.filter((p) => (counts[p] ?? 0) === fewest);
    const place = candidates[Math.floor(random() * candidates.length)]!;
    counts[place] = (counts[place] ?? 0) + 1;
    target[q] = place;
  }
  return questions.map((q, i) => {
    const wrong = shuffled(
      Array.from({ length: q.options }, (_, o) => o).filter((o) => o !== q.answer),
      random,
    );
    wrong.splice(target[i]!, 0, q.answer);
    return wrong;
  });
}

/** Where the right answers stand, per position, as a share of all questions (for the fairness tests). */
export function positionShares(positions: readonly number[]): number[] {
  const counts: number[] = [];
  for (const p of positions) counts[p] = (counts[p] ?? 0) + 1;
  return Array.from(counts, (c) => (c ?? 0) / Math.max(positions.length, 1));
}

const QUESTION = /<Question\s+prompt="([^"]*)"\s+options=\{(\[[\s\S]*?\])\}\s+answer=\{(\d+)\}\s*>/g;

export interface SourceQuestion extends QuizShape {
  prompt: string;
  texts: string[];
}

/**
 * The questions of a lesson's MDX source, in order. Every question is
 * written `<Question prompt="…" options={["…", …]} answer={n}>` (the content
 * test holds lessons to it), so the site and the tests read them the same way.
 */
export function questionsIn(body: string): SourceQuestion[] {
  return [...body.matchAll(QUESTION)].map((m) => {
    const texts = JSON.parse(m[2]!) as string[];
    return { prompt: m[1]!, texts, options: texts.length, answer: Number(m[3]) };
  });
}

/** How many `<Question` tags a source has (to prove every one is in the form questionsIn reads). */
export function questionTagCount(body: string): number {
  return (body.match(/<Question\b/g) ?? []).length;
}
