/**
 * The IdP's icon: a key in the lab's blue. Browsers ask every origin for an
 * icon; without one each page load logged a 404 (and the tab had no mark to
 * tell the lab's pages from a real sign-in page's).
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><circle cx="12" cy="16" r="6" fill="none" stroke="#fff" stroke-width="3"/><path d="M17 16h11M24 16v5M28 16v4" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>
`;

export const FAVICON_PATH = '/_lab/assets/favicon.svg';
