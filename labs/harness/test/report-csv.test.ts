import { describe, expect, it } from 'vitest';
import { CsvError, csvCell, formatCsv, parseCsv } from '../src/report/csv.ts';
import { RosterError, parseRoster } from '../src/report/roster.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks inside', () => {
    expect(fields('a,"b,c","say ""hi""","two\nlines"\n')).toEqual([['a', 'b,c', 'say "hi"', 'two\nlines']]);
  });

  it('drops a UTF-8 BOM and accepts CRLF, LF and CR line ends', () => {
    expect(fields('\uFEFFusername,name\r\nalice,Alice\rbob,Bob\ncarol,Carol')).toEqual([
      ['username', 'name'],
      ['alice', 'Alice'],
      ['bob', 'Bob'],
      ['carol', 'Carol'],
    ]);
  });

  it('keeps empty fields and makes no record of a final line end', () => {
    expect(fields('a,,c\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
    expect(fields('')).toEqual([]);
  });

  it('numbers records by the line they start on', () => {
    expect(parseCsv('h\n"x\ny"\nz').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('reads semicolon CSV as a Dutch or German Excel saves it', () => {
    expect(fields('username;name\r\nalice;"Jansen, A."')).toEqual([
      ['username', 'name'],
      ['alice', 'Jansen, A.'],
    ]);
  });

  it('honours Excel’s sep= line and ignores commas inside quotes when guessing', () => {
    const records = parseCsv('sep=;\r\nusername;name\r\nalice;"A, B"');
    expect(records.map((r) => r.fields)).toEqual([
      ['username', 'name'],
      ['alice', 'A, B'],
    ]);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    expect(fields('"Name, full";username\nA;a')).toEqual([
      ['Name, full', 'username'],
      ['A', 'a'],
    ]);
  });

  it('names the line of an unclosed quote and of text after a closing quote', () => {
    expect(() => parseCsv('a,b\nc,"open\nd')).toThrow(CsvError);
    expect(() => parseCsv('a,b\nc,"open\nd')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseCsv('a\n"x"y')).toThrow(/line 2: unexpected text after a closing quote/);
  });
});

describe('parseRoster', () => {
  it('reads username, name, email and section, whatever the case and order of the columns', () => {
    const roster = parseRoster('\uFEFFEmail , Section,Username,Name,Student ID\r\n a@x.test ,A,alice,"Smith, Alice",17\r\n\r\nb@x.test,B,bob,Bob,18\r\n');
    expect(roster).toEqual([
      { username: 'alice', name: 'Smith, Alice', email: 'a@x.test', section: 'A', line: 2 },
      { username: 'bob', name: 'Bob', email: 'b@x.test', section: 'B', line: 4 },
    ]);
  });

  it('needs only the username column', () => {
    expect(parseRoster('username\ncarol\n')).toEqual([{ username: 'carol', name: '', email: '', section: '', line: 2 }]);
  });

  it('says which columns a roster without username has', () => {
    expect(() => parseRoster('login,Full Name\nalice,Alice')).toThrow(RosterError);
    expect(() => parseRoster('login,Full Name\nalice,Alice')).toThrow('the roster has no "username" column (its columns are: "login", "Full Name")');
  });

  it('refuses an empty roster, empty usernames, duplicates and broken CSV, naming the line', () => {
    expect(() => parseRoster('\n\n')).toThrow(/the roster is empty/);
    expect(() => parseRoster('username,name\n,Nobody')).toThrow(/line 2: the username is empty/);
    expect(() => parseRoster('username\nalice\nbob\nalice')).toThrow(/line 4: username "alice" is also on line 2/);
    expect(() => parseRoster('username,username\nalice,bob')).toThrow(/2 "username" columns/);
    expect(() => parseRoster('username\n"alice')).toThrow(/not valid CSV: line 2/);
  });
});

describe('csvCell and formatCsv', () => {
  it('quotes cells with delimiters, quotes, line breaks and edge spaces', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('defuses formulas: a cell starting with = + - @ (or tab, CR) gets a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe('"\'=HYPERLINK(""http://evil.test"",""x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes CRLF rows that parse back to the same cells (formula guard aside)', () => {
    const rows = [
      ['username', 'name'],
      ['x', 'Smith, "Al"\nJr'],
    ];
    const text = formatCsv(rows);
    expect(text).toBe('username,name\r\nx,"Smith, ""Al""\nJr"\r\n');
    expect(fields(text)).toEqual(rows);
  });
});
