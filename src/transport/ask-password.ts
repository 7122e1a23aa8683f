// src/transport/ask-password.ts: read a password on a terminal without echoing it.
import { UsageError } from '../errors.js';

/** Ask `question` on `output` and read one line from the TTY `input` without showing it.
 * Ctrl-C or Ctrl-D gives up with a UsageError. */
export function askHidden(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  output.write(question);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\x03' || char === '\x04') return done(new UsageError('no password given'));
        if (char === '\x7f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}
