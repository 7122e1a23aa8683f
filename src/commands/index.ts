// src/commands/index.ts: the table of subcommands, in the order `mpy --help` lists them.
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [];
