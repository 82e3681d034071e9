import type { LabPage } from '../content/loader.ts';

const TEXT = {
  en: {
    intro: 'Work in your own copy of the starter, then let the lab check it. Nothing has to be running: the check starts its own identity provider.',
    start: 'make your working copy',
    check: 'run the checks',
    hint: 'a hint for the next failing check',
    untranslated: 'This lab has no Dutch README yet; it is shown in English.',
  },
  nl: {
    intro: 'Werk in je eigen kopie van de starter en laat het lab die controleren. Er hoeft niets te draaien: de controle start zijn eigen identity provider.',
    start: 'maak je werkkopie',
    check: 'voer de controles uit',
    hint: 'een hint voor de volgende mislukte controle',
    untranslated: 'Dit lab heeft nog geen Nederlandse README; hij staat hieronder in het Engels.',
  },
} as const;

/** The same three commands for every lab, named by its canonical folder. */
export function CheckYourWork({ page, heading }: { page: LabPage; heading: string }) {
  const t = TEXT[page.lang];
  const folder = page.lab.folder;
  return (
    <section className="check-your-work" aria-labelledby="check-your-work">
      <h2 id="check-your-work">{heading}</h2>
      <p>{t.intro}</p>
      <dl>
        <dt><code>npm run lab -- start {folder}</code></dt>
        <dd>{t.start}</dd>
        <dt><code>npm run lab -- check {folder}</code></dt>
        <dd>{t.check}</dd>
        <dt><code>npm run lab -- hint {folder}</code></dt>
        <dd>{t.hint}</dd>
      </dl>
    </section>
  );
}

export function untranslatedNote(page: LabPage): string | undefined {
  return page.lab.translated ? undefined : TEXT[page.lang].untranslated;
}
