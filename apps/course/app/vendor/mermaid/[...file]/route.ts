import fs from 'node:fs/promises';
import path from 'node:path';
import { mermaidDist } from '../../../../src/content/paths.ts';

export const dynamic = 'force-dynamic';

/** Mermaid's entry module and the chunks it imports; nothing else from node_modules is reachable here. */
const SERVED = /^(?:mermaid\.esm\.min\.mjs|chunks\/mermaid\.esm\.min\/[\w.-]+\.mjs)$/;

/**
 * `GET /vendor/mermaid/<file>`: Mermaid's prebuilt ES modules, straight from
 * the installed package (see src/components/load-mermaid.ts for why it is not
 * bundled). Chunk names carry a content hash, so they are cached for good.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string[] }> }): Promise<Response> {
  const file = (await params).file.join('/');
  if (!SERVED.test(file)) return new Response('not found', { status: 404 });
  try {
    const body = await fs.readFile(path.join(/* turbopackIgnore: true */ mermaidDist(), file));
    return new Response(body, {
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': file.startsWith('chunks/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
