// test/helpers/fake-transport.ts: a scripted Transport for unit tests of protocol state machines:
// the test sees every byte the host writes and decides what the "board" answers.
import type { Transport } from '../../src/transport/transport.js';

const latin1 = new TextDecoder('latin1');

/** Text as bytes, one byte per char (the REPL's control bytes stay single bytes). */
export function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Bytes as latin1 text, for readable assertions. */
export function text(data: Uint8Array): string {
  return latin1.decode(data);
}

/** One recorded exchange: when the host's writes since the last step end with `when`, answer. */
export interface Step {
  when: string;
  reply: string;
}

/** A Transport whose other end is a test. */
export class FakeTransport implements Transport {
  readonly description = 'fake';
  /** Everything the host wrote, as latin1 text. */
  written = '';
  /** Called after every host write (after scripted replies). */
  onWrite: ((data: Uint8Array) => void) | undefined;
  private dataListeners = new Set<(data: Uint8Array) => void>();
  private closeListeners = new Set<(error?: Error) => void>();
  private steps: Step[] = [];
  private pending = '';
  private closed = false;

  /** Queue recorded exchanges, answered in order. */
  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Steps not reached yet. */
  get remainingSteps(): number {
    return this.steps.length;
  }

  /** Send bytes as the board. */
  emit(data: string | Uint8Array): void {
    const chunk = typeof data === 'string' ? bytes(data) : data;
    queueMicrotask(() => {
      for (const listener of this.dataListeners) listener(chunk);
    });
  }

  /** End the link as if the cable were pulled. */
  cut(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(new Error('cable pulled'));
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('closed');
    const chunk = text(data);
    this.written += chunk;
    this.pending += chunk;
    while (this.steps.length > 0 && this.pending.includes(this.steps[0]!.when)) {
      const step = this.steps.shift()!;
      this.pending = this.pending.slice(this.pending.indexOf(step.when) + step.when.length);
      this.emit(step.reply);
    }
    this.onWrite?.(data);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener();
  }
}

/** The exchanges of entering the raw REPL from the friendly prompt. */
export const ENTER_STEPS: Step[] = [
  { when: '\r\x03\x03', reply: '\r\n>>> \r\n>>> ' },
  { when: '\r\x01', reply: '\r\nraw REPL; CTRL-B to exit\r\n>' },
];
