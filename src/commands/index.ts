// src/commands/index.ts: the table of subcommands, in the order `mpy --help` lists them: each
// one's arguments, options and help, which the CLI parses with, and where its code is. The
// code loads when the command runs, so a command's start-up does not pay for the others'
// modules (an exec over WebREPL feels every millisecond of it).
import { DEFAULT_INDEX } from '../mip/defaults.js';
import { addFollowOptions, addVerboseOptions, syncOptions } from './options.js';
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [
  {
    name: 'exec',
    many: true,
    args: '<code>',
    summary: 'run Python code on the board and print its output',
    configure(command) {
      addFollowOptions(command, 'the code');
      command.option('--timeout <seconds>', 'give up (and interrupt the code) after this long');
    },
    load: () => import('./exec.js').then((m) => m.runExec),
  },
  {
    name: 'eval',
    many: true,
    args: '<expression>',
    summary: 'print the value of a Python expression on the board',
    configure(command) {
      command.option('--timeout <seconds>', 'give up (and interrupt it) after this long');
    },
    load: () => import('./eval.js').then((m) => m.runEval),
  },
  {
    name: 'run',
    many: true,
    args: '<file>',
    summary: 'run a local Python file on the board (not copied) and print its output',
    configure(command) {
      addFollowOptions(command, 'the program');
      command.option('--timeout <seconds>', 'give up (and interrupt the program) after this long');
    },
    load: () => import('./run.js').then((m) => m.runRun),
  },
  {
    name: 'repl',
    many: 'a terminal talks to one board; pick one with -d',
    args: '',
    summary: "use the board's interactive prompt (Ctrl-] or Ctrl-X to leave)",
    load: () => import('./repl.js').then((m) => m.runRepl),
  },
  {
    name: 'reset',
    many: true,
    args: '',
    summary: 'soft-reset the board (--hard: machine.reset() and reconnect)',
    configure(command) {
      command.option('--hard', 'reset the chip, as the reset button does, then reconnect');
    },
    load: () => import('./reset.js').then((m) => m.runReset),
  },
  {
    name: 'cp',
    many: true,
    args: '<paths...>',
    summary: 'copy files between the computer and the board (`:main.py` is on the board)',
    configure(command) {
      command
        .option('-r, --recursive', 'copy folders and everything in them')
        .option('--no-recursive', 'copy files only (the default)')
        .option('-f, --force', 'copy even files the destination already holds')
        .option('--no-force', 'skip files the destination already holds (the default)')
        .option(
          '--direct',
          'write board files in place, with no temp file: room for one copy (micro:bit v1), ' +
            'but a cut leaves the file cut short',
        )
        .option(
          '--mpy',
          'compile .py files (but boot.py, main.py) to .mpy on their way to the board',
        );
      addVerboseOptions(command, 'print `cp SRC DEST` for each source (the default)');
    },
    load: () => import('./cp.js').then((m) => m.runCp),
  },
  {
    name: 'ls',
    many: true,
    args: '[paths...]',
    summary: "list folders on the board (default: the board's current folder)",
    configure(command) {
      command
        .option('-l, --long', 'sizes (always shown; kept for old scripts)')
        .option('--json', 'print JSON (name, kind, size), one array per folder');
      addVerboseOptions(command, 'print `ls :path` before each listing (the default)');
    },
    load: () => import('./ls.js').then((m) => m.runLs),
  },
  {
    name: 'cat',
    many: true,
    args: '<paths...>',
    summary: 'print files from the board',
    configure(command) {
      addVerboseOptions(command, 'print `cat :path` before each file');
    },
    load: () => import('./cat.js').then((m) => m.runCat),
  },
  {
    name: 'rm',
    many: true,
    args: '<paths...>',
    summary: 'remove files from the board (-r: folders too)',
    configure(command) {
      command
        .option('-r, --recursive', 'remove folders and everything in them')
        .option('--no-recursive', 'remove files only (the default)');
      addVerboseOptions(command, 'also name each file and folder removed by -r');
    },
    load: () => import('./rm.js').then((m) => m.runRm),
  },
  {
    name: 'mkdir',
    many: true,
    args: '<paths...>',
    summary: 'make folders on the board',
    configure(command) {
      command.option('-p, --parents', 'make parent folders too; no error if it exists');
      addVerboseOptions(command, 'print `mkdir :path` for each folder (the default)');
    },
    load: () => import('./mkdir.js').then((m) => m.runMkdir),
  },
  {
    name: 'rmdir',
    many: true,
    args: '<paths...>',
    summary: 'remove empty folders from the board',
    configure(command) {
      addVerboseOptions(command, 'print `rmdir :path` for each folder (the default)');
    },
    load: () => import('./rmdir.js').then((m) => m.runRmdir),
  },
  {
    name: 'touch',
    many: true,
    args: '<paths...>',
    summary: 'create empty files on the board',
    configure(command) {
      addVerboseOptions(command, 'print `touch :path` for each file (the default)');
    },
    load: () => import('./touch.js').then((m) => m.runTouch),
  },
  {
    name: 'mv',
    many: true,
    args: '<from> <to>',
    summary: 'rename or move a file or folder on the board',
    load: () => import('./mv.js').then((m) => m.runMv),
  },
  {
    name: 'df',
    many: true,
    args: '[path]',
    summary: "show the board's filesystem sizes and free space",
    configure(command) {
      command.option('--json', 'print JSON (blockSize, totalBytes, freeBytes) of one filesystem');
    },
    load: () => import('./df.js').then((m) => m.runDf),
  },
  {
    name: 'tree',
    many: true,
    args: '[paths...]',
    summary: "show folders and files on the board as a tree (default: the board's current folder)",
    configure(command) {
      // -h is --human here, as in mpremote, so help is --help only
      command
        .helpOption('--help', 'display help for command')
        .option('-s, --size', 'show file sizes in bytes')
        .option('-h, --human', 'show file sizes in K, M, G');
      addVerboseOptions(command, 'print `tree :path` before each tree (the default)');
    },
    load: () => import('./tree.js').then((m) => m.runTree),
  },
  {
    name: 'sha256sum',
    many: true,
    args: '<paths...>',
    summary: 'print the sha256 of files on the board',
    configure(command) {
      addVerboseOptions(command, 'print `sha256sum :path` before each digest (the default)');
    },
    load: () => import('./sha256sum.js').then((m) => m.runSha256sum),
  },
  {
    name: 'edit',
    many: "one editor session edits one board's file; pick one with -d",
    args: '<paths...>',
    summary: 'edit board files with $EDITOR (copied back when changed)',
    load: () => import('./edit.js').then((m) => m.runEdit),
  },
  {
    name: 'sync',
    many: true,
    args: '<dir> [dest]',
    summary: 'make a board folder (:DEST, default :/) hold DIR: send what differs, once',
    configure(command) {
      syncOptions(command, 'once')
        .option('-n, --dry-run', 'print the plan (+ new, ~ changed, - deleted) and change nothing')
        .option('--json', 'print the plan and the result as JSON');
      addVerboseOptions(command, 'print the plan, a line per file (the default)');
      command.addHelpText(
        'after',
        '\nIgnored: .gitignore in DIR, editor temp files, __pycache__, .git (board copies of ' +
          'ignored paths are left alone).\nExit 0 only when every file of DIR is on the board ' +
          'afterwards, read back by digest (with --delete: and nothing else under DEST).',
      );
    },
    load: () => import('./sync.js').then((m) => m.runSync),
  },
  {
    name: 'watch',
    many: true,
    args: '<dir>',
    summary: 'keep a board folder equal to a local folder, sending only what changed',
    configure(command) {
      syncOptions(command)
        .option('--reset', 'after each sync: soft reset, then run /main.py and show its output')
        .option(
          '--run <file>',
          'after each sync: run FILE (in the board folder, or :/path) and show its output',
        )
        .addHelpText(
          'after',
          '\nIgnored: .gitignore in DIR, editor temp files, __pycache__, .git (board copies of ' +
            'ignored paths are left alone).\nCtrl-C stops watching and leaves the board in its ' +
            'friendly REPL.',
        );
    },
    load: () => import('./watch.js').then((m) => m.runWatch),
    loadMany: () => import('./watch.js').then((m) => m.runWatchOnBoards),
  },
  {
    name: 'dev',
    many: "the edit-run loop shows one board's output and takes your keys; `mpy watch DIR` keeps many boards in sync",
    args: '[dir]',
    summary: 'sync DIR, run it and show its output; each save syncs and runs again',
    configure(command) {
      syncOptions(command)
        .option(
          '--run <file>',
          'run FILE (in the board folder, or :/path) after each sync instead of main.py',
        )
        .addHelpText(
          'after',
          '\nAfter each sync the board soft-resets and runs main.py (or --run FILE); its output ' +
            'shows here and keys go to it:\nCtrl-C stops the program (the prompt follows), ' +
            'Ctrl-D soft-resets, Ctrl-] or Ctrl-X leaves.\nIgnored as in watch: .gitignore in ' +
            'DIR, editor temp files, __pycache__, .git.',
        );
    },
    load: () => import('./dev.js').then((m) => m.runDev),
  },
  {
    name: 'mount',
    many: "one FUSE folder shows one board's files; pick one with -d",
    args: '<mountpoint>',
    summary: "mount the board's filesystem on a local folder until Ctrl-C (needs FUSE)",
    configure(command) {
      command.option('--ro', 'read-only: refuse every change');
    },
    load: () => import('./mount.js').then((m) => m.runMount),
  },
  {
    name: 'mount-local',
    many: "it serves a computer folder over one board's link; pick one with -d",
    args: '<folder>',
    summary:
      "mpremote's mount: a computer folder on the board at /remote for the commands after it",
    // alone it ends in the REPL, as mpremote's `mount .` does
    isAction: false,
    configure(command) {
      command.option('-l, --unsafe-links', 'follow symbolic links that lead out of the folder');
    },
    load: () => import('./mount-local.js').then((m) => m.runMountLocal),
  },
  {
    name: 'umount',
    many: 'it goes with mount-local, which works on one board',
    args: '',
    summary: 'take away the folder mount-local put on the board',
    load: () => import('./mount-local.js').then((m) => m.runUmount),
  },
  {
    name: 'mip',
    many: true,
    args: '<command> <packages...>',
    summary: 'install packages from micropython-lib, GitHub, GitLab, URLs or local folders',
    configure(command) {
      command
        .option(
          '--target <path>',
          'board folder to install into (default: the first */lib in sys.path, else /lib)',
        )
        .option('--index <url>', 'package index to use', DEFAULT_INDEX)
        .option('-m, --mpy', 'download compiled .mpy files where the index has them (default)')
        .option('--no-mpy', 'download .py source files');
    },
    load: () => import('./mip.js').then((m) => m.runMip),
  },
  {
    name: 'rtc',
    many: true,
    args: '',
    summary: "print the board's real-time clock (--set: set it to this computer's local time)",
    configure(command) {
      command
        .option('-s, --set', "set the board's clock to this computer's local time")
        .option('--no-set', 'only print it (the default)');
    },
    load: () => import('./rtc.js').then((m) => m.runRtc),
  },
  {
    name: 'connect',
    many: '-d already names the boards, each gets its own connection',
    args: '<device>',
    summary: 'connect to DEVICE (auto, list, id:SERIAL, port:PATH or a -d device) for what follows',
    needsBoard: false,
    isAction: false,
    load: () => import('./connect.js').then((m) => m.runConnect),
  },
  {
    name: 'disconnect',
    many: true,
    args: '',
    summary: 'leave the board in its REPL and close the link (the next command connects again)',
    needsBoard: false,
    isAction: false,
    load: () => import('./connect.js').then((m) => m.runDisconnect),
  },
  {
    name: 'resume',
    many: true,
    args: '',
    summary: 'keep the board state: skip the soft reset of --soft-reset (mpy never resets unasked)',
    needsBoard: false,
    isAction: false,
    load: () => import('./resume.js').then((m) => m.runResume),
  },
  {
    name: 'sleep',
    many: true,
    args: '<seconds>',
    summary: 'wait SECONDS (a decimal number) before the next command',
    needsBoard: false,
    isAction: false,
    load: () => import('./sleep.js').then((m) => m.runSleep),
  },
  {
    name: 'devs',
    many: 'it lists every port itself; leave out -d',
    args: '[ports...]',
    summary:
      'list serial ports (path, VID:PID, serial number, description); * = looks like a board',
    needsBoard: false,
    configure(command) {
      command.option(
        '--probe',
        'ask each board (the * ports, or the PORTS named) its MicroPython version and machine over the REPL (interrupts what it runs)',
      );
    },
    load: () => import('./devs.js').then((m) => m.runDevs),
  },
  {
    name: 'sim',
    many: 'it serves one virtual board; leave out -d',
    args: '',
    summary: 'run a virtual board and serve it on a pty (default) or TCP port until Ctrl-C',
    needsBoard: false,
    configure(command) {
      command
        .option('--pty', 'serve on a pseudo-terminal (the default)')
        .option('--tcp <port>', 'serve on 127.0.0.1:PORT (0: any free port)')
        .option('--webrepl <port>', 'serve WebREPL on ws://127.0.0.1:PORT (0: any free port)')
        .option('--password <pw>', 'the WebREPL password (1 to 9 bytes; env MPY_WEBREPL_PASSWORD)')
        .option('--latency <ms>', 'WebREPL: one-way latency added to each direction')
        .option('--profile <name>', 'modern (default) or legacy (no raw paste, flat filesystem)')
        .option('--flash <dir>', 'keep the flash in this folder (default: in memory)');
    },
    load: () => import('./sim.js').then((m) => m.runSim),
  },
];
