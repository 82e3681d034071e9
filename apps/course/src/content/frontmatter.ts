import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** What every lesson declares at its top, checked when the site builds and in the tests. */
export const Frontmatter = z.strictObject({
  title: z.string().min(3),
  /** One sentence for the lesson list, search results and `<meta name="description">`. */
  description: z.string().min(10),
  /** Position in the course; also the number shown in the navigation. */
  order: z.number().int().min(0),
  /** Short label for the navigation (defaults to the title). */
  nav: z.string().optional(),
  /** This lesson lists the labs; each lab's page is served below it (`<lesson>/<lab-folder>`). */
  labs: z.boolean().optional(),
  /** `reference` pages (glossary, troubleshooting, instructor guide) are listed apart and are not steps of the course. */
  section: z.enum(['course', 'reference']).default('course'),
  /** The page's text lives in this Markdown file of the repository (e.g. `docs/instructor-guide.md`), one source for the site and the repo. */
  source: z.string().regex(/^docs\/[a-z0-9.-]+\.md$/).optional(),
  /** What the learner can do after the lesson, shown at its top. */
  objectives: z.array(z.string().min(10)).min(1).optional(),
  /** Estimated time for the lesson in minutes (reading, the quiz, and any live demo). */
  minutes: z.number().int().min(1).max(600).optional(),
  /** What the learner should know first; `href` links out (or to a lesson) where a learner lacks it. */
  prerequisites: z.array(z.strictObject({ text: z.string().min(3), href: z.string().min(1).optional() })).min(1).optional(),
});
export type Frontmatter = z.infer<typeof Frontmatter>;

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Splits a lesson into its validated frontmatter and its MDX body. */
export function splitFrontmatter(source: string, file: string): { frontmatter: Frontmatter; body: string } {
  const match = FENCE.exec(source);
  if (!match) throw new Error(`${file}: a lesson starts with a --- frontmatter block (title, description, order)`);
  const parsed = Frontmatter.safeParse(parseYaml(match[1] ?? ''));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: frontmatter is not valid — ${problems}`);
  }
  return { frontmatter: parsed.data, body: source.slice(match[0].length) };
}
