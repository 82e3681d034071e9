import { StringDecoder } from 'node:string_decoder';

/** What waitForOutput can still see of output that arrived before it was called, besides the kept head and tail. */
const RECENT_CHARS = 64 * 1024;

/**
 * A server's output kept within `limitBytes`: the first half (how it
 * started, the first error) and the last half (how it ended), with a marker
 * saying how much was cut between them. A flood of 50 MB costs the grader
 * the limit, not 50 MB.
 */
export class CappedOutput {
  readonly #half: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  readonly #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;
  readonly #decoder = new StringDecoder('utf8');
  #recent = '';

  constructor(limitBytes: number) {
    this.#half = Math.max(1, Math.floor(limitBytes / 2));
  }

  /** Everything ever appended, kept or not. */
  get totalBytes(): number {
    return this.#total;
  }

  /** The last stretch of output as text, for pattern matching across chunk boundaries. */
  get recent(): string {
    return this.#recent;
  }

  append(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#recent = (this.#recent + this.#decoder.write(chunk)).slice(-RECENT_CHARS);
    let rest = chunk;
    if (this.#headBytes < this.#half) {
      const take = Math.min(this.#half - this.#headBytes, rest.length);
      this.#head.push(rest.subarray(0, take));
      this.#headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    // Copy: a subarray would pin the whole (possibly huge) chunk in memory.
    this.#tail.push(Buffer.from(rest.subarray(Math.max(0, rest.length - this.#half))));
    this.#tailBytes += Math.min(rest.length, this.#half);
    while (this.#tailBytes > this.#half) {
      const first = this.#tail[0];
      if (!first) break;
      const excess = this.#tailBytes - this.#half;
      if (first.length <= excess) {
        this.#tail.shift();
        this.#tailBytes -= first.length;
      } else {
        this.#tail[0] = first.subarray(excess);
        this.#tailBytes -= excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    const tail = Buffer.concat(this.#tail).toString('utf8');
    const cut = this.#total - this.#headBytes - this.#tailBytes;
    if (cut <= 0) return head + tail;
    return `${head}\n… [${formatCut(cut)} cut] …\n${tail}`;
  }
}

function formatCut(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024).toLocaleString('en')} KB` : `${bytes} bytes`;
}
