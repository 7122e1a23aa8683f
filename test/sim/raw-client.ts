// test/sim/raw-client.ts: a tiny raw-REPL client for the sim's own tests (not the real RawRepl).

/** Anything that moves bytes: a sim Transport, a serialport, a socket. */
export interface ByteLink {
  write(data: Uint8Array): Promise<void>;
  onData(listener: (data: Uint8Array) => void): () => void;
}

/** Output of one raw-REPL run. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Collects everything the board sends and lets a test wait for patterns in it. */
export class RawClient {
  private received = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(readonly link: ByteLink) {
    this.unsubscribe = link.onData((data) => {
      this.received = Buffer.concat([this.received, data]);
      this.waiter?.();
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Everything received and not yet consumed. */
  get pending(): Buffer {
    return this.received;
  }

  async send(data: string | Uint8Array): Promise<void> {
    await this.link.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Wait until `marker` arrives; return everything up to and including it (consumed). */
  async readUntil(marker: string | Uint8Array, timeoutMs = 5000): Promise<Buffer> {
    const needle = typeof marker === 'string' ? Buffer.from(marker, 'latin1') : Buffer.from(marker);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.received.indexOf(needle);
      if (at !== -1) {
        const end = at + needle.length;
        const head = this.received.subarray(0, end);
        this.received = this.received.subarray(end);
        return Buffer.from(head);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timeout waiting for ${JSON.stringify(needle.toString('latin1'))}; got ${JSON.stringify(this.received.toString('latin1'))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Wait for exactly `count` bytes. */
  async readBytes(count: number, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline)
        throw new Error(`timeout waiting for ${count} bytes; got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const head = Buffer.from(this.received.subarray(0, count));
    this.received = this.received.subarray(count);
    return head;
  }

  async enterRaw(): Promise<void> {
    await this.send('\r\x03\x03\x01');
    await this.readUntil('raw REPL; CTRL-B to exit\r\n>');
    this.received = Buffer.alloc(0);
  }

  /** Plain raw mode: code, Ctrl-D, `OK`, stdout, `\x04`, stderr, `\x04`, `>`. */
  async run(code: string, timeoutMs = 5000): Promise<RunResult> {
    await this.send(`${code}\x04`);
    await this.readUntil('OK', timeoutMs);
    return this.readResult(timeoutMs);
  }

  /** Raw-paste mode with flow control, as mpremote does it. */
  async runPaste(code: string, timeoutMs = 5000): Promise<RunResult> {
    await this.send('\x05A\x01');
    const header = await this.readBytes(2, timeoutMs);
    if (header.toString('latin1') !== 'R\x01')
      throw new Error(`no raw-paste: ${JSON.stringify(header.toString('latin1'))}`);
    const window = (await this.readBytes(2, timeoutMs)).readUInt16LE(0);
    let remain = window;
    const data = Buffer.from(code, 'utf8');
    let i = 0;
    while (i < data.length) {
      while (remain === 0 || this.received.length > 0) {
        const flag = (await this.readBytes(1, timeoutMs))[0];
        if (flag === 1) remain += window;
        else throw new Error(`unexpected byte during raw paste: ${flag}`);
      }
      const chunk = data.subarray(i, i + remain);
      await this.send(chunk);
      remain -= chunk.length;
      i += chunk.length;
    }
    await this.send('\x04');
    // Acks (\x01) may still be queued before the end-of-data \x04.
    await this.readUntil('\x04', timeoutMs);
    return this.readResult(timeoutMs);
  }

  private async readResult(timeoutMs: number): Promise<RunResult> {
    const stdout = (await this.readUntil('\x04', timeoutMs)).subarray(0, -1).toString('latin1');
    const stderr = (await this.readUntil('\x04', timeoutMs)).subarray(0, -1).toString('latin1');
    await this.readUntil('>', timeoutMs);
    return { stdout, stderr };
  }
}
