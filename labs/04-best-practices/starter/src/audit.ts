import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** The security events this server records, one JSON line each. */
export type AuditEvent = 'sign-in' | 'consent' | 'token-issued' | 'refresh' | 'refresh-refused' | 'revoke' | 'tool-call' | 'tool-denied';

export interface AuditEntry {
  event: AuditEvent;
  outcome: 'success' | 'failure' | 'denied';
  /** The user's Entra object ID, when known. */
  userOid?: string;
  /** The MCP client's ID, when known. */
  clientId?: string;
  /** A short, fixed reason or name (a tool name, an error code): never a token, code, secret or cookie. */
  detail?: string;
}

const requestIds = new AsyncLocalStorage<string>();

/**
 * Gives each HTTP request a correlation ID (sent back as X-Correlation-Id),
 * so an audit line, a support ticket and the client's own log can be tied
 * together without any of them holding a token.
 */
export function correlation(req: Request, res: Response, next: NextFunction): void {
  const id = randomUUID();
  res.setHeader('X-Correlation-Id', id);
  requestIds.run(id, next);
}

/**
 * The audit log: structured JSON lines in a file from config, bounded in
 * size. When the file would pass its limit it is renamed to `<file>.1`
 * (replacing an older one) and a new file begins, so the log never holds
 * more than twice the limit on disk. Entries are built from fixed fields
 * only; nothing a caller sends is copied in, so no token can slip through.
 */
export class AuditLog {
  readonly #file: string;
  readonly #maxBytes: number;
  #size: number;

  constructor(file: string, maxBytes: number) {
    this.#file = file;
    this.#maxBytes = maxBytes;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  write(entry: AuditEntry): void {
    // TODO(audit): append one JSON line to this.#file: { time (ISO 8601), correlationId (requestIds.getStore()),
    // ...entry }, created with mode 0o600. Keep the file within this.#maxBytes: when this line would pass the
    // limit, rename the file to `${this.#file}.1` first (replacing an older one) and start afresh.
    void entry;
    void this.#file;
    void this.#size;
    void this.#maxBytes;
  }
}
