import type { Element, Root } from 'hast';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import { visit } from 'unist-util-visit';
import type { Page } from './loader.ts';
import { pageUrl } from './loader.ts';

/**
 * A lab README is written for GitHub and the terminal: its relative links
 * point at files. On the site, a link to another lab's README becomes that
 * lab's page; a link to any other file becomes plain code text (the site does
 * not serve lab files, and a dead link is worse than none).
 */
function rehypeLabLinks(page: Page) {
  return () => (tree: Root) => {
    if (page.kind !== 'lab') return;
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'a') return;
      const href = typeof node.properties.href === 'string' ? node.properties.href : '';
      if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return;
      const [target = '', hash] = href.split('#');
      const readme = /^(?:\.\.\/([^/]+)\/)?(?:\.\/)?README(?:\.[a-z]{2})?\.md$/.exec(target);
      if (readme) {
        const folder = readme[1] ?? page.lab.folder;
        node.properties.href = pageUrl(page.lang, [...page.parent.slug, folder]) + (hash ? `#${hash}` : '');
        return;
      }
      node.tagName = 'code';
      node.properties = { title: href };
    });
  };
}

/** The remark and rehype plugins every page is compiled with (rendering, search, link check). */
export function mdxOptions(page: Page) {
  return {
    format: page.format,
    remarkPlugins: [remarkGfm],
    rehypePlugins: [rehypeSlug, rehypeLabLinks(page)],
  };
}
