/**
 * The course's languages. Adding one is adding a folder under `content/`
 * and its interface strings here; everything else reads this list.
 */
export const LANGUAGES = ['en', 'nl'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: string): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value);
}

export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', nl: 'Nederlands' };

/** Interface strings (the lessons themselves are MDX). */
export const UI = {
  en: {
    courseTitle: 'Securing MCP servers with Entra ID',
    skipToContent: 'Skip to content',
    lessons: 'Lessons',
    search: 'Search the lessons',
    searchPlaceholder: 'Search…',
    noResults: 'No matches.',
    theme: 'Dark mode',
    switchLanguage: 'Lees dit in het Nederlands',
    previous: 'Previous',
    next: 'Next',
    markRead: 'Mark this lesson as read',
    markedRead: 'Read ✓ — mark as unread',
    progressUnavailable: 'Progress could not be saved',
    read: 'read',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Select and copy by hand',
    diagramLoading: 'Drawing the diagram…',
    diagramFailed: 'The diagram could not be drawn; its text version is below.',
    diagramText: 'Text version of the diagram',
    labsComing: 'The labs are coming: none is in this copy of the course yet.',
    checkYourWork: 'Check your work',
    onThisPage: 'On this page',
    tools: 'Tools',
    tokenInspector: 'Token inspector',
    dashboard: 'Lab dashboard',
    reference: 'Reference',
    labTable: 'The labs of this course',
    labColumn: 'Lab',
    statusColumn: 'Status',
    labReady: 'ready',
    labComing: 'coming: not in this copy yet',
    enlargeDiagram: 'Enlarge the diagram',
    closeDiagram: 'Close',
  },
  nl: {
    courseTitle: 'MCP-servers beveiligen met Entra ID',
    skipToContent: 'Naar de inhoud',
    lessons: 'Lessen',
    search: 'Zoek in de lessen',
    searchPlaceholder: 'Zoeken…',
    noResults: 'Niets gevonden.',
    theme: 'Donkere modus',
    switchLanguage: 'Read this in English',
    previous: 'Vorige',
    next: 'Volgende',
    markRead: 'Markeer deze les als gelezen',
    markedRead: 'Gelezen ✓ — markeer als ongelezen',
    progressUnavailable: 'Voortgang kon niet worden opgeslagen',
    read: 'gelezen',
    copy: 'Kopieer',
    copied: 'Gekopieerd',
    copyFailed: 'Selecteer en kopieer zelf',
    diagramLoading: 'Diagram wordt getekend…',
    diagramFailed: 'Het diagram kon niet worden getekend; de tekstversie staat eronder.',
    diagramText: 'Tekstversie van het diagram',
    labsComing: 'De labs komen eraan: deze kopie van de cursus bevat er nog geen.',
    checkYourWork: 'Controleer je werk',
    onThisPage: 'Op deze pagina',
    tools: 'Hulpmiddelen',
    tokenInspector: 'Tokeninspecteur',
    dashboard: 'Labdashboard',
    reference: 'Naslag',
    labTable: 'De labs van deze cursus',
    labColumn: 'Lab',
    statusColumn: 'Status',
    labReady: 'klaar',
    labComing: 'komt nog: niet in deze kopie',
    enlargeDiagram: 'Vergroot het diagram',
    closeDiagram: 'Sluiten',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type UiStrings = (typeof UI)[Lang];
