import { describe, expect, it } from 'vitest';
import { headingIds, lessonStepLinks } from '../src/lab/lesson-links.ts';

describe('lesson step links', () => {
  it('slug headings as the pages do, skipping code fences and repeating ids GitHub’s way', () => {
    expect(headingIds('## Step 1: The MCP server\n```sh\n# not a heading\n```\n## Use `get_user_details`\n## Step 1: The MCP server\n')).toEqual([
      'step-1-the-mcp-server',
      'use-get_user_details',
      'step-1-the-mcp-server-1',
    ]);
  });

  it('send a check’s step to the same step of the lab page in every language', () => {
    const links = lessonStepLinks('02-public-client', ['#step-1-the-mcp-server', '#step-3-a-persistent-encrypted-cache']);
    expect(links?.page).toEqual({ en: '/en/06-labs/02-public-client', nl: '/nl/06-labs/02-public-client' });
    expect(links?.steps['#step-1-the-mcp-server']).toEqual({ en: '/en/06-labs/02-public-client#step-1-the-mcp-server', nl: '/nl/06-labs/02-public-client#stap-1-de-mcp-server' });
    expect(links?.steps['#step-3-a-persistent-encrypted-cache']?.nl).toBe('/nl/06-labs/02-public-client#stap-3-een-blijvende-versleutelde-cache');
  });

  it('know no lab that has no page', () => {
    expect(lessonStepLinks('99-nothing', ['#x'])).toBeUndefined();
  });
});
