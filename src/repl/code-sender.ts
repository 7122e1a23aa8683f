// src/repl/code-sender.ts: hand a program to a board waiting at the raw prompt, with raw-paste flow
// control where the firmware has it and paced plain raw mode where it does not.
import { TransportError } from '../errors.js';
import type { ByteReader } from '../transport/reader.js';
import { CTRL_A, CTRL_D, describeBytes, RAW_BANNER, RAW_PASTE_REQUEST } from './protocol.js';

/** How the board took the code; remembered per connection. */
export type PasteSupport = 'unknown' | 'yes' | 'no';

/** What sending needs from the session. */
export interface SendLink {
  reader: ByteReader;
  write(data: Uint8Array): Promise<void>;
  /** ms left for one protocol answer. */
  answerTimeout(): number;
  /** Bits per second of the link, for pacing plain raw mode. */
  baud: number;
  /**
   * Set where the link keeps bytes safe until the board reads them (TCP: WebREPL): the window
   * the board gave on this connection, recorded here by the sender. With it the raw-paste
   * request and the first window go out together, one round trip per exec instead of two.
   */
  early?: { window: number };
  /**
   * The raw prompt is not confirmed yet (see enter.ts `confirmLater`): the raw-paste request's
   * answer must be the board's (`R\x01`, `R\x00`, or old firmware's fresh banner and nothing
   * before it); anything else throws `StalePrompt` before any code goes out.
   */
  strict?: boolean;
}

/** The board answered the first raw-paste request with something else: the banner that
 * connected was stale (the board was still printing or rebooting). No code was sent. */
export class StalePrompt extends TransportError {}

/** Plain raw mode has no flow control: a UART drops bytes its (often 256-byte) buffer has no
 * room for, so send small chunks no faster than the wire can carry them. */
const PLAIN_CHUNK = 64;
/** Send at 1/1.4 of the wire rate: a busy board (or a loaded host running the virtual one)
 * empties its buffer more slowly than the wire fills it. */
const PLAIN_MARGIN = 1.4;

/** Code up to this long goes with the first raw-paste request of a connection on a link that
 * keeps bytes safe, before the board has said its window: modern firmware grants two windows
 * of half its stdin buffer (256 bytes by default) with its answer, so this is well within. */
const UNASKED_MAX = 64;
/** How long a `R\x01` may lag behind a stale banner (see sendCode). */
const PASTE_BEHIND_MS = 100;
/** The end of the prompt and the board's acceptance of a plain raw REPL line. */
const RAW_PROMPT_OK = '>OK';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send `code` and leave the board running it, its output next on the wire (stdout `\x04` stderr
 * `\x04>`). Returns the raw-paste support learned on the way.
 */
export async function sendCode(
  link: SendLink,
  code: Uint8Array,
  support: PasteSupport,
): Promise<PasteSupport> {
  const early = support === 'yes' && link.early?.window ? link.early.window : 0;
  if (early) {
    const first = code.subarray(0, early);
    // Code that fits goes with its end too: the whole exec is one write.
    const whole = first.length === code.length;
    await link.write(Uint8Array.of(...RAW_PASTE_REQUEST, ...first, ...(whole ? [CTRL_D] : [])));
    const head = await link.reader.readExactly(2, link.answerTimeout());
    if (!(head[0] === 0x52 && head[1] === 1)) {
      throw new TransportError(`raw paste refused: ${describeBytes(head)}`, { received: head });
    }
    const size = await link.reader.readExactly(2, link.answerTimeout());
    await pasteWrite(link, code, size[0]! | (size[1]! << 8), first.length, whole);
    return 'yes';
  }
  if (support === 'unknown' && link.early && code.length <= UNASKED_MAX) {
    return sendUnasked(link, code);
  }
  if (support !== 'no') {
    await link.write(RAW_PASTE_REQUEST);
    let head = await link.reader.readExactly(2, link.answerTimeout());
    if (head[0] === 0x52 && head[1] === 1) return pasteAfterAnswer(link, code);
    if (!(head[0] === 0x52 && head[1] === 0)) {
      // Firmware without raw-paste treats the request as text, and its Ctrl-A resets the raw
      // REPL: the banner comes back and the board waits at a fresh prompt.
      const banner = head[0] === RAW_BANNER.charCodeAt(0) && head[1] === RAW_BANNER.charCodeAt(1);
      if (link.strict && !banner) {
        throw new StalePrompt(`the board was not quiet at the raw prompt: ${describeBytes(head)}`, {
          received: head,
        });
      }
      link.reader.unread(head);
      const answer = await link.reader.readUntil(RAW_BANNER, link.answerTimeout());
      if (link.strict && answer.length !== RAW_BANNER.length) {
        throw new StalePrompt(
          `the board was not quiet at the raw prompt: ${describeBytes(answer)}`,
          {
            received: answer,
          },
        );
      }
      // A board that took raw paste on this connection answers with its banner when a stray
      // byte sat in its line (the raw REPL then resets: plain mode from its fresh prompt). But
      // the banner may also be stale output of an interrupted program, the board's `R\x01`
      // right behind it: then it is in paste mode and plain code would be taken as paste data.
      if (support === 'yes') {
        head = await link.reader.readExactly(2, PASTE_BEHIND_MS).catch(() => new Uint8Array(0));
        if (head[0] === 0x52 && head[1] === 1) return pasteAfterAnswer(link, code);
        link.reader.unread(head);
      }
    }
  }
  await plainWrite(link, code);
  return 'no';
}

/** The board said yes (`R\x01`) to raw paste: its window, then the code in it. */
async function pasteAfterAnswer(link: SendLink, code: Uint8Array): Promise<PasteSupport> {
  const size = await link.reader.readExactly(2, link.answerTimeout());
  const window = size[0]! | (size[1]! << 8);
  if (link.early) link.early.window = window;
  await pasteWrite(link, code, window);
  return 'yes';
}

/**
 * The connection's first exec of a short program on a lossless link: the raw-paste request, the
 * code and its Ctrl-D in one write, one round trip instead of two. Firmware with raw-paste takes
 * it as a paste; firmware without it resets its raw REPL at the request's Ctrl-A (banner) and
 * takes the code as plain raw REPL input, which its Ctrl-D runs: either way it runs once.
 */
async function sendUnasked(link: SendLink, code: Uint8Array): Promise<PasteSupport> {
  await link.write(Uint8Array.of(...RAW_PASTE_REQUEST, ...code, CTRL_D));
  const head = await link.reader.readExactly(2, link.answerTimeout());
  if (head[0] === 0x52 && head[1] === 1) {
    const size = await link.reader.readExactly(2, link.answerTimeout());
    const window = size[0]! | (size[1]! << 8);
    if (link.early) link.early.window = window;
    await pasteWrite(link, code, window, code.length, true);
    return 'yes';
  }
  // The request was refused (`R\x00`, then a fresh prompt) or taken for text (the banner of
  // the raw REPL its Ctrl-A reset): the code went in as a plain raw REPL line, which its Ctrl-D
  // ran. What comes before the `OK` is that answer.
  link.reader.unread(head);
  await link.reader.readUntil(RAW_PROMPT_OK, link.answerTimeout());
  return 'no';
}

/** Raw-paste `code` in the board's windows; `early` bytes of it went with the request (and
 * its end too when `ended`). */
async function pasteWrite(
  link: SendLink,
  code: Uint8Array,
  window: number,
  early = 0,
  ended = false,
): Promise<void> {
  if (window <= 0) throw new TransportError(`${window}-byte raw-paste window from the board`);
  // The window size itself grants one window; the board's \x01 right after grants a second.
  let remain = window - early;
  let sent = early;
  while (sent < code.length) {
    while (remain <= 0 || link.reader.available > 0) {
      const byte = (await link.reader.readExactly(1, link.answerTimeout()))[0];
      if (byte === CTRL_A) remain += window;
      else if (byte === CTRL_D) {
        // The board ended the paste early (it saw Ctrl-C/Ctrl-D): acknowledge, output follows.
        await link.write(Uint8Array.of(CTRL_D));
        return;
      } else {
        const rest = link.reader.readAvailable();
        throw new TransportError(
          `unexpected byte during raw paste: ${describeBytes(Uint8Array.of(byte!, ...rest))}`,
          { received: Uint8Array.of(byte!, ...rest) },
        );
      }
    }
    const chunk = code.subarray(sent, sent + remain);
    await link.write(chunk);
    sent += chunk.length;
    remain -= chunk.length;
  }
  if (!ended) await link.write(Uint8Array.of(CTRL_D));
  for (;;) {
    const byte = (await link.reader.readExactly(1, link.answerTimeout()))[0];
    if (byte === CTRL_D) return;
    if (byte !== CTRL_A) {
      throw new TransportError('raw paste not acknowledged', { received: Uint8Array.of(byte!) });
    }
  }
}

async function plainWrite(link: SendLink, code: Uint8Array): Promise<void> {
  // Never ahead of the wire by more than one chunk: chunk k leaves no earlier than the time the
  // bytes before it need at `baud` (10 bits a byte). Time the write itself took counts, so a
  // real UART (whose drain already takes that long) is not slowed down twice.
  const msPerByte = (10_000 / link.baud) * PLAIN_MARGIN;
  const started = performance.now();
  const paced = async (offset: number, data: Uint8Array) => {
    const wait = started + offset * msPerByte - performance.now();
    if (wait > 0) await sleep(wait);
    await link.write(data);
  };
  for (let i = 0; i < code.length; i += PLAIN_CHUNK) {
    await paced(i, code.subarray(i, i + PLAIN_CHUNK));
  }
  // Paced too: a Ctrl-D lost to an overrun would leave the board waiting for more code.
  await paced(code.length, Uint8Array.of(CTRL_D));
  await expectOk(link);
}

/** The board's `OK`: it took the code (plain raw REPL) and runs it. */
async function expectOk(link: SendLink): Promise<void> {
  const answer = await link.reader.readExactly(2, link.answerTimeout());
  if (answer[0] !== 0x4f || answer[1] !== 0x4b) {
    const received = Uint8Array.of(...answer, ...link.reader.readAvailable());
    throw new TransportError(`the board did not accept the code: ${describeBytes(received)}`, {
      received,
    });
  }
}
