import type * as Sqlite from 'node:sqlite';

/**
 * `node:sqlite`, loaded without its ExperimentalWarning.
 *
 * Node 22.x prints "SQLite is an experimental feature" the first time the
 * module loads (24 does not). Learners would read it as something being
 * wrong, so that one warning is dropped; every other warning passes through,
 * and the filter is in place only while the module loads.
 */

export function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions?: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  let type: unknown;
  if (typeof warning !== 'string') type = warning.name;
  else if (typeof typeOrOptions === 'string') type = typeOrOptions;
  else if (typeof typeOrOptions === 'object' && typeOrOptions !== null) type = (typeOrOptions as { type?: unknown }).type;
  return type === 'ExperimentalWarning' && /sqlite/i.test(message);
}

function loadSqlite(): typeof Sqlite {
  const own = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  const emit = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emit, process, [warning, ...rest]);
  };
  try {
    // getBuiltinModule, not a static import: the filter must be installed
    // before the module body runs, and static imports run first.
    return process.getBuiltinModule('node:sqlite');
  } finally {
    if (own) Object.defineProperty(process, 'emitWarning', own);
    else Reflect.deleteProperty(process, 'emitWarning');
  }
}

export const sqlite: typeof Sqlite = loadSqlite();
