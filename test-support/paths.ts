import path from 'node:path';

/** Certificates the tests' identity providers share (the CA the test workers trust). */
export const TEST_CERT_DIR = path.resolve(import.meta.dirname, '..', '.lab', 'test-certs');
