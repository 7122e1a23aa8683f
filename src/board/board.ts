// src/board/board.ts: PLACEHOLDER until the board layer lands (replaced by its owner).
import type { Repl } from '../repl/types.js';

/** File operations over a raw REPL; see BoardFs in ./types.ts. */
export class Board {
  constructor(readonly repl: Repl) {}
}
