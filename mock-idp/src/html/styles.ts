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

/* ── Portal (the local Entra admin center, /portal): wider, blades with a side menu ── */
body.portal { display: block; padding: 0; min-height: 100vh; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: .5rem; top: .5rem; }
.portal-header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .5rem 1.5rem; background: var(--card);
  box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.portal-brand { margin: 0; font-weight: 600; color: var(--muted); }
.portal-nav ul, .blade-menu ul, .breadcrumb ol { list-style: none; margin: 0; padding: 0; }
.portal-nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.portal-nav a[aria-current] { font-weight: 600; text-decoration-thickness: 2px; }
.portal-account { margin-left: auto; display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; }
body.portal a { color: var(--accent); }
.breadcrumb { padding: .75rem 1.5rem 0; font-size: .875rem; }
.breadcrumb ol { display: flex; flex-wrap: wrap; gap: .25rem; }
.breadcrumb li + li::before { content: "›"; margin-right: .25rem; color: var(--muted); }
.portal-body { display: grid; grid-template-columns: 14rem minmax(0, 1fr); gap: 1rem; padding: 1rem 1.5rem; max-width: 90rem; }
.portal-body.no-menu { grid-template-columns: minmax(0, 1fr); }
@media (max-width: 48rem) { .portal-body { grid-template-columns: minmax(0, 1fr); } }
.blade-menu { background: var(--card); padding: .5rem 0; align-self: start; }
.blade-menu a { display: block; padding: .4rem 1rem; color: var(--fg); text-decoration: none; border-left: 3px solid transparent; }
.blade-menu a:hover { text-decoration: underline; }
.blade-menu a[aria-current="page"] { font-weight: 600; border-left-color: var(--accent); background: var(--bg); }
main.blade { background: var(--card); padding: 1.5rem 2rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); min-width: 0; }
main.blade h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
main.blade h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
.lab-note { border-left: 4px solid var(--accent); background: var(--bg); padding: .5rem .75rem; font-size: .875rem; margin: 0 0 1rem; }
.notice { border-left: 4px solid #107c10; background: var(--bg); padding: .5rem .75rem; margin: 1rem 0; }
.secret-once { border: 2px solid #c19c00; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.secret-once h2 { margin-top: 0; }
.secret-once code { font-size: 1.05rem; }
.fix { display: block; color: var(--fg); }
.error ul { margin: .25rem 0; padding-left: 1.25rem; }
table.grid { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9375rem; }
table.grid caption { text-align: left; font-weight: 600; padding: .25rem 0; }
table.grid th, table.grid td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--muted); }
table.grid thead th { border-bottom-width: 2px; }
table.grid th[scope="row"] { font-weight: 400; }
table.grid code { word-break: normal; overflow-wrap: anywhere; }
td button { white-space: nowrap; }
td.granted { color: #107c10; }
td.warning { color: var(--err); }
@media (prefers-color-scheme: dark) { .notice { border-left-color: #54b054; } td.granted { color: #7fd37f; } }
dl.essentials { display: grid; grid-template-columns: minmax(10rem, max-content) minmax(0, 1fr); gap: .35rem 1.5rem; margin: 0; }
dl.essentials dt { font-weight: 600; }
dl.essentials dd { margin: 0; }
.command-bar { display: flex; gap: .75rem; flex-wrap: wrap; margin: 0 0 1rem; }
a.button { display: inline-block; padding: .5rem 1.25rem; text-decoration: none; border: 1px solid var(--accent); }
a.button.primary { background: var(--accent); color: #fff; }
a.button.secondary { color: var(--fg); border-color: var(--muted); }
button.danger { background: transparent; color: var(--err); border-color: var(--err); }
.inline-form { display: inline-block; margin: 0 .5rem .5rem 0; }
.inline-actions { display: inline; }
.inline-form button, td button { padding: .25rem .75rem; }
.blade-form { margin: .5rem 0 1rem; max-width: 48rem; }
.actions.start { justify-content: flex-start; }
.field { margin: 0 0 1rem; }
fieldset.field { border: 1px solid var(--muted); padding: .5rem 1rem .75rem; }
fieldset.field legend { font-weight: 600; padding: 0 .25rem; }
.field label { margin: .5rem 0 .25rem; }
.choice { display: flex; gap: .5rem; align-items: baseline; }
.choice label { display: inline; margin: .25rem 0; font-weight: 400; }
.field-hint { margin: 0 0 .25rem; color: var(--muted); font-size: .875rem; }
.required { font-weight: 400; color: var(--muted); font-size: .875rem; }
input[type=url], input[type=date], select, textarea { font: inherit; color: inherit; background: transparent; padding: .5rem; border: 0; border-bottom: 2px solid var(--muted); }
select { border: 1px solid var(--muted); background: var(--card); }
textarea { width: 100%; border: 1px solid var(--muted); }
input.wide, input[type=url] { width: 100%; }
.blade input[type=text] { width: 100%; max-width: 36rem; }
input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--err); }
select:focus-visible, textarea:focus-visible, pre:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
pre.manifest { background: var(--bg); padding: 1rem; overflow: auto; max-height: 36rem; font-size: .875rem; }
pre.manifest code { word-break: normal; }
ul.tiles { padding-left: 1.25rem; }
.portal-footer { padding: 0 1.5rem 1.5rem; }
`;
