/**
 * Runs before the first paint (inline in <head>): picks the saved theme, or
 * the system's, so a dark-mode reader never sees a white flash.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem('course-theme');if(t!=='dark'&&t!=='light')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme='light'}})()`;
