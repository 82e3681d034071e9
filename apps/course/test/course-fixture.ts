import path from 'node:path';

/** The fixture labs the tests build the lab pages from (real labs may not exist yet). */
export const FIXTURE_LABS = path.resolve(import.meta.dirname, 'fixtures', 'labs');
