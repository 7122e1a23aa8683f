// src/commands/index.ts: the table of subcommands, in the order `mpy --help` lists them.
import { devsCommand } from './devs.js';
import { evalCommand } from './eval.js';
import { execCommand } from './exec.js';
import { mountCommand } from './mount.js';
import { replCommand } from './repl.js';
import { resetCommand } from './reset.js';
import { runCommand } from './run.js';
import { simCommand } from './sim.js';
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [
  execCommand,
  evalCommand,
  runCommand,
  replCommand,
  resetCommand,
  mountCommand,
  devsCommand,
  simCommand,
];
