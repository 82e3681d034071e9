import { describe, expect, it } from 'vitest';
import { parseThreatModel, threatModelFindings, type LabFacts } from '../src/content/threat-model.ts';

const PAGE = `# Threat model

Some prose with a | pipe table that is not in a lab section:

| a | b |
|---|---|
| 1 | 2 |

## 02-public-client

Text before the table.

| id | property | attack it stops | check | mutants | where |
|---|---|---|---|---|---|
| 02-scope | asks for User.Read only | a stolen token reads the directory | \`only-user-read\` | \`broad-scopes\` | given |
| 02-cache | cache encrypted | a local reader replays the refresh token | \`no-token-leaks\` | \`plaintext-cache\`, \`key-in-cache\` | TODO(cache) |

## Notes

| id | property | attack it stops | check | mutants | where |
|---|---|---|---|---|---|
| not-a-lab | x | y | \`z\` | \`w\` | given |
`;

const LAB: LabFacts = {
  id: '02-public-client',
  hasServer: true,
  checkIds: ['only-user-read', 'no-token-leaks', 'returns-profile'],
  mutants: new Map([
    ['broad-scopes', 'only-user-read'],
    ['plaintext-cache', 'no-token-leaks'],
    ['key-in-cache', 'no-token-leaks'],
  ]),
  todos: new Set(['cache', 'graph']),
};

describe('docs/threat-model.md as data', () => {
  it('reads each lab section’s rows, and nothing outside lab sections', () => {
    const sections = parseThreatModel(PAGE);
    expect([...sections.keys()]).toEqual(['02-public-client']);
    expect(sections.get('02-public-client')).toEqual([
      expect.objectContaining({ id: '02-scope', check: 'only-user-read', mutants: ['broad-scopes'], where: 'given', line: 15 }),
      expect.objectContaining({ id: '02-cache', check: 'no-token-leaks', mutants: ['plaintext-cache', 'key-in-cache'], where: 'TODO(cache)' }),
    ]);
  });

  it('finds nothing when the lab and its section agree', () => {
    expect(threatModelFindings(parseThreatModel(PAGE).get(LAB.id), LAB)).toEqual([]);
  });

  it('names each way a lab and its section disagree', () => {
    const rows = parseThreatModel(PAGE.replace('`only-user-read` | `broad-scopes` | given', '`scopes-ok` | `broad-scopes`, `gone` | somewhere').replace('TODO(cache)', 'TODO(crypto)')).get(LAB.id);
    const findings = threatModelFindings(rows, { ...LAB, mutants: new Map([...LAB.mutants, ['unlisted', 'returns-profile']]) });
    expect(findings).toEqual([
      expect.stringContaining('names check `scopes-ok`, which 02-public-client does not have'),
      expect.stringContaining('mutant broad-scopes breaks `only-user-read` by its mutant.json, not this row\'s check `scopes-ok`'),
      expect.stringContaining('names mutant gone, which is not a folder'),
      expect.stringContaining('"where" must be `given` or `TODO(marker)`'),
      expect.stringContaining('"where" names TODO(crypto), which is not in the starter'),
      expect.stringContaining('mutant unlisted of 02-public-client stands in no row'),
    ]);
  });

  it('wants a row to have a mutant, and a mutant to prove one row only', () => {
    const page = PAGE.replace('`broad-scopes` | given', '| given').replace('`plaintext-cache`, `key-in-cache`', '`plaintext-cache`, `key-in-cache`, `broad-scopes`');
    const rows = parseThreatModel(page.replace('| `only-user-read` | | given', '| `only-user-read` |  | given')).get(LAB.id);
    const findings = threatModelFindings(rows, LAB);
    expect(findings).toEqual(expect.arrayContaining([expect.stringContaining('names no mutant'), expect.stringContaining('mutant broad-scopes breaks `only-user-read`')]));
  });

  it('requires a section of every lab with a server, not of one without', () => {
    expect(threatModelFindings(undefined, LAB)).toEqual([expect.stringContaining('has no section "## 02-public-client"')]);
    expect(threatModelFindings(undefined, { ...LAB, hasServer: false })).toEqual([]);
  });
});
