// src/commands/types.ts: what a subcommand is and what it gets to work with.
import type { Command } from 'commander';
import type { BoardFs } from '../board/types.js';
import type { Repl } from '../repl/types.js';

/** What a command may use. The connection is opened lazily, once, and shared by `+`-chained
 * commands (`mpy cp a.py : + reset + repl`). */
export interface CommandContext {
  /** The connected raw REPL (connects on first call). */
  repl(): Promise<Repl>;
  /** File operations on the connected board (connects on first call). */
  board(): Promise<BoardFs>;
  /** The board's current folder, where relative board paths start (asked once per connection). */
  boardFolder(): Promise<string>;
  /** Code ran on the board and may have changed its folder: ask again when next needed. */
  forgetBoardFolder(): void;
  /** Write to stdout / stderr. */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** stdout is a terminal (progress bars only then). */
  readonly isTTY: boolean;
  /** Aborted when the user presses Ctrl-C. */
  readonly signal: AbortSignal;
  /** Run `step` when the chain ends, before the link closes (last registered runs first). */
  atClose?(step: () => unknown): void;
}

/** What a command does, given its arguments, its options (the global ones too) and the context.
 * Commands are thin: parse, call the board layer, print. No protocol bytes, no Python source, no
 * retries here. */
export type CommandRun = (
  args: string[],
  options: Record<string, unknown>,
  context: CommandContext,
) => Promise<void>;

/** One board of a command that runs once for several boards (`watch`): its own context, its
 * output tagged with its short name. */
export interface BoardHandle {
  readonly device: string;
  readonly name: string;
  readonly context: CommandContext;
  /** Close its connection and record how it ended for the table: `ok`, `gone` (unplugged:
   * not a failure), `unanswered` (left out of the table: it is tried again), or the error. */
  finish(end: 'ok' | 'gone' | 'unanswered' | Error): Promise<void>;
}

/** What a command that runs once for several boards gets instead of one context. */
export interface BoardsEnv {
  /** The boards `-d` names now (a glob or `all` read again each call; absent ports left out). */
  devices(): Promise<string[]>;
  /** A new handle on `device`. */
  open(device: string): BoardHandle;
  /** Lines about no board in particular. */
  err(text: string): void;
  /** Aborted when the user presses Ctrl-C. */
  readonly signal: AbortSignal;
}

/** A command's run on several boards at once, when it is more than the same run on each
 * (`watch` shares one folder watcher and takes boards plugged in later). */
export type ManyCommandRun = (
  args: string[],
  options: Record<string, unknown>,
  boards: BoardsEnv,
) => Promise<void>;

/** One subcommand, in the table of src/commands/index.ts: what the CLI parses with, and where
 * its code is. */
export interface CommandSpec {
  name: string;
  /** Commander argument syntax, e.g. `<sources...>`; empty for none. */
  args: string;
  summary: string;
  /** Add options (`-r`, `--json`, …) to the commander command. */
  configure?(command: Command): void;
  /** Does not connect when false (e.g. `devs`, `sim`). Default true. */
  needsBoard?: boolean;
  /** False for commands that only set things up (`connect`, `sleep`): a chain of only those
   * ends in the REPL, as mpremote's does. Default true. */
  isAction?: boolean;
  /** With `-d` naming several boards: `true` runs the command on each board, in parallel, on
   * its own connection; a string says why it cannot (a usage error). */
  many?: true | string;
  /** The command's code, loaded when it runs. */
  load(): Promise<CommandRun>;
  /** Its code for several boards at once, when that is not `load`'s run on each board. */
  loadMany?(): Promise<ManyCommandRun>;
}
