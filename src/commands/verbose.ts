// src/commands/verbose.ts: mpremote's `-v/--verbose` and `--no-verbose` of its file commands,
// which print `ls :path`, `cp SRC DEST`, … before each path unless told not to.
import type { Command } from 'commander';

/** Add `-v, --verbose` and `--no-verbose` to a file command. */
export function addVerboseOptions(command: Command, what: string): void {
  command.option('-v, --verbose', what).option('--no-verbose', 'print only the results');
}

/** Whether to print the `command :path` lines: by default yes, for `quietByDefault` commands
 * (cat) only with `-v`. */
export function isVerbose(options: Record<string, unknown>, quietByDefault = false): boolean {
  return quietByDefault ? options.verbose === true : options.verbose !== false;
}
