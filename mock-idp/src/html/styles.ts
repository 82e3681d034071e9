/** The one stylesheet of the IdP's pages, served from /_lab/assets/idp.css (CSP allows no inline styles). */
export const STYLES = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #f2f2f2; --card: #fff; --accent: #0067b8; --err: #a4262c; --muted: #5c5c5c; }
@media (prefers-color-scheme: dark) { :root { --fg: #f3f3f3; --bg: #1b1b1b; --card: #2b2b2b; --accent: #4aa3ff; --err: #ff8a8a; --muted: #c8c8c8; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 1rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); padding: 1rem; }
.card { background: var(--card); width: 100%; max-width: 28rem; padding: 2rem 2.5rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
.brand { margin: 0 0 1rem; font-weight: 600; color: var(--muted); }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=email], input[type=password] { width: 100%; padding: .5rem; font: inherit; color: inherit; background: transparent;
  border: 0; border-bottom: 2px solid var(--muted); }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.5rem; }
button { font: inherit; padding: .5rem 1.5rem; border: 1px solid var(--accent); cursor: pointer; }
button.primary { background: var(--accent); color: #fff; }
button.secondary { background: transparent; color: var(--fg); border-color: var(--muted); }
.error { color: var(--err); border-left: 4px solid var(--err); padding-left: .75rem; margin: 1rem 0; }
.muted, .note { color: var(--muted); font-size: .875rem; }
code { font-family: ui-monospace, Consolas, monospace; word-break: break-all; }
ul.scopes { padding-left: 1.25rem; }
dl.facts dt { font-weight: 600; margin-top: .75rem; }
dl.facts dd { margin: 0; }
`;
