// src/commands/index.ts: the table of subcommands, in the order `mpy --help` lists them.
import { catCommand } from './cat.js';
import { connectCommand, disconnectCommand } from './connect.js';
import { cpCommand } from './cp.js';
import { devCommand } from './dev.js';
import { devsCommand } from './devs.js';
import { dfCommand } from './df.js';
import { editCommand } from './edit.js';
import { evalCommand } from './eval.js';
import { execCommand } from './exec.js';
import { lsCommand } from './ls.js';
import { mipCommand } from './mip.js';
import { mkdirCommand } from './mkdir.js';
import { mountCommand } from './mount.js';
import { mountLocalCommand, umountCommand } from './mount-local.js';
import { mvCommand } from './mv.js';
import { replCommand } from './repl.js';
import { resetCommand } from './reset.js';
import { resumeCommand } from './resume.js';
import { rmCommand } from './rm.js';
import { rmdirCommand } from './rmdir.js';
import { rtcCommand } from './rtc.js';
import { runCommand } from './run.js';
import { sha256sumCommand } from './sha256sum.js';
import { simCommand } from './sim.js';
import { sleepCommand } from './sleep.js';
import { touchCommand } from './touch.js';
import { treeCommand } from './tree.js';
import type { CommandSpec } from './types.js';
import { watchCommand } from './watch.js';

export const commands: CommandSpec[] = [
  execCommand,
  evalCommand,
  runCommand,
  replCommand,
  resetCommand,
  cpCommand,
  lsCommand,
  catCommand,
  rmCommand,
  mkdirCommand,
  rmdirCommand,
  touchCommand,
  mvCommand,
  dfCommand,
  treeCommand,
  sha256sumCommand,
  editCommand,
  watchCommand,
  devCommand,
  mountCommand,
  mountLocalCommand,
  umountCommand,
  mipCommand,
  rtcCommand,
  connectCommand,
  disconnectCommand,
  resumeCommand,
  sleepCommand,
  devsCommand,
  simCommand,
];
