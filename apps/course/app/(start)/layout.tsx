import type { ReactNode } from 'react';
import '../globals.css';
import { THEME_SCRIPT } from '../../src/components/theme-script.ts';

export const metadata = { title: 'MCP × Entra ID lab' };

/** The site's entry (`/`): it sends readers to a language, and receives the lesson-3 sign-in. */
export default function StartLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
