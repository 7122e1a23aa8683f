// src/commands/index.ts: the table of subcommands, in the order `mpy --help` lists them.
import { mountCommand } from './mount.js';
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [mountCommand];
