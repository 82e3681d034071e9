import { compile } from '@mdx-js/mdx';
import type { Root, RootContent } from 'hast';
import type { Page } from './loader.ts';
import { mdxOptions } from './pipeline.ts';

export interface Heading {
  id: string;
  depth: number;
  text: string;
}

export interface Section {
  /** The heading the text sits under; '' for the text before the first heading. */
  id: string;
  heading: string;
  text: string;
}

export interface PageAnalysis {
  headings: Heading[];
  /** Every `id` on the page (headings and components that set one). */
  ids: Set<string>;
  /** Every `href` the page's content links to. */
  links: string[];
  sections: Section[];
}

type Node = Root | RootContent;
interface JsxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}

/** Component props that are text a reader sees (a callout's title, a question's prompt and options). */
function jsxText(node: Node): string {
  const attributes = (node as { attributes?: JsxAttribute[] }).attributes ?? [];
  return attributes
    .filter((a) => a.type === 'mdxJsxAttribute' && (a.name === 'title' || a.name === 'prompt') && typeof a.value === 'string')
    .map((a) => `${String(a.value)} `)
    .join('');
}

function textOf(node: Node): string {
  if (node.type === 'text') return node.value;
  if ((node.type as string) === 'mdxJsxFlowElement' && 'children' in node) return `${jsxText(node)}${node.children.map(textOf).join(' ')}`;
  if (node.type === 'element' && node.tagName === 'pre') return `${'children' in node ? node.children.map(textOf).join('') : ''}\n`;
  if ('children' in node) return node.children.map(textOf).join(node.type === 'root' ? '\n' : '');
  return '';
}

function attribute(node: Node, name: string): unknown {
  if (node.type === 'element') return node.properties[name];
  const attributes = (node as { attributes?: JsxAttribute[] }).attributes;
  return attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name)?.value;
}

function collect(tree: Root, into: PageAnalysis): void {
  const visitNode = (node: Node) => {
    const id = attribute(node, 'id');
    if (typeof id === 'string' && id) into.ids.add(id);
    const href = node.type === 'element' && node.tagName === 'a' ? attribute(node, 'href') : undefined;
    if (typeof href === 'string') into.links.push(href);
    if ('children' in node) node.children.forEach(visitNode);
  };
  visitNode(tree);

  let current: Section = { id: '', heading: '', text: '' };
  const sections = [current];
  for (const child of tree.children) {
    if (child.type === 'element' && /^h[2-3]$/.test(child.tagName) && typeof child.properties.id === 'string') {
      const heading: Heading = { id: child.properties.id, depth: Number(child.tagName[1]), text: textOf(child).trim() };
      into.headings.push(heading);
      current = { id: heading.id, heading: heading.text, text: '' };
      sections.push(current);
    } else {
      current.text += `${textOf(child)} `;
    }
  }
  into.sections = sections.map((s) => ({ ...s, text: s.text.replace(/\s+/g, ' ').trim() })).filter((s) => s.heading || s.text);
}

const cache = new Map<string, Promise<PageAnalysis>>();

/**
 * Compiles a page with the same plugins the site renders it with and reads
 * the result: headings and their ids, every id and link, and the text per
 * section. The search index, the language switch and the link checker use it.
 */
export function analysePage(page: Page): Promise<PageAnalysis> {
  const key = `${page.file}\0${page.url}`;
  let result = cache.get(key);
  if (!result) {
    const analysis: PageAnalysis = { headings: [], ids: new Set(), links: [], sections: [] };
    const options = mdxOptions(page);
    result = compile(page.body, {
      ...options,
      rehypePlugins: [...options.rehypePlugins, () => (tree: Root) => collect(tree, analysis)],
    }).then(() => analysis);
    cache.set(key, result);
  }
  return result;
}
