/**
 * The portal's one script, served from /portal/assets/copy.js and allowed
 * (`script-src 'self'`) only on the page that shows a new secret's value:
 * Entra's "Copy to clipboard" button. The button is hidden until this runs,
 * so without scripts there is no button that does nothing; the value stays
 * selectable either way.
 */
export const COPY_SCRIPT_PATH = '/portal/assets/copy.js';

export const COPY_SCRIPT = `'use strict';
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status);
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      status.textContent = 'Could not copy: select the value and copy it yourself.';
    }
  });
}
`;
