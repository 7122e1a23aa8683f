// test/board/exchange-fixture.ts: whole `mpy` commands as they crossed the wire to a fresh real
// board, turn by turn (test/fixtures/exchanges/*.json, made by record-exchanges.ts, replayed by
// exchanges.test.ts): every byte the host sent before the board answered, and every byte of that
// answer. A change that adds a round trip or a byte to the usual commands shows there.
import { readdirSync, readFileSync } from 'node:fs';

/** One turn: what the host sent (Latin1), then what the board sent back before the host spoke
 * again. The last turn's answer may be empty (the host closed). */
export interface Turn {
  host: string;
  board: string;
}

/** One recorded command. */
export interface ExchangeFixture {
  /** The firmware it was recorded on. */
  board: string;
  /** The mpy arguments after `-d DEVICE` (paths under `files` are relative to the fixture's
   * `files` folder, made afresh by the replay). */
  args: string[];
  /** Local files the command reads, name -> Latin1 content. */
  files: Record<string, string>;
  /** What the command printed on stdout. */
  stdout: string;
  turns: Turn[];
}

/** Group host/board chunks into turns. */
export function toTurns(chunks: Array<{ h: string } | { b: string }>): Turn[] {
  const turns: Turn[] = [];
  for (const chunk of chunks) {
    const last = turns.at(-1);
    if ('h' in chunk) {
      if (last && last.board === '') last.host += chunk.h;
      else turns.push({ host: chunk.h, board: '' });
    } else if (last) last.board += chunk.b;
  }
  return turns;
}

const dir = new URL('../../../test/fixtures/exchanges/', import.meta.url);

/** Every fixture, by file name. */
export function loadExchanges(): Map<string, ExchangeFixture> {
  const out = new Map<string, ExchangeFixture>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    out.set(name, JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as ExchangeFixture);
  }
  return out;
}

/** Where fixtures are written. */
export const EXCHANGES_DIR = dir;
