import type { Readable, Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP's stdio transport over streams the harness already owns (the
 * submission's stdin/stdout from the process runner), instead of the SDK's
 * StdioClientTransport, which would spawn — and so sandbox and kill — the
 * server itself. Framing is the SDK's own (newline-delimited JSON-RPC).
 */
export class StreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #input: Readable;
  readonly #output: Writable;
  readonly #buffer = new ReadBuffer();
  #closed = false;

  /** `input`: what the server writes (its stdout); `output`: what it reads (its stdin). */
  constructor(input: Readable, output: Writable) {
    this.#input = input;
    this.#output = output;
  }

  start(): Promise<void> {
    this.#input.on('data', this.#onData);
    this.#input.on('error', this.#onError);
    this.#input.on('close', this.#onClose);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closed || this.#output.destroyed) {
        reject(new Error('the server’s stdin is closed (did it exit?)'));
        return;
      }
      this.#output.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    this.#onClose();
    return Promise.resolve();
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#buffer.append(chunk);
    } catch (error) {
      this.onerror?.(error as Error);
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#buffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC: the server printed to stdout, which corrupts the protocol.
        this.onerror?.(new Error(`the server wrote something that is not an MCP message to stdout (${(error as Error).message}); log to stderr instead`));
        continue;
      }
      if (message === null) break;
      this.onmessage?.(message);
    }
  };

  readonly #onError = (error: Error): void => {
    this.onerror?.(error);
  };

  readonly #onClose = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.off('data', this.#onData);
    this.#input.off('error', this.#onError);
    this.#input.off('close', this.#onClose);
    this.#buffer.clear();
    this.onclose?.();
  };
}
