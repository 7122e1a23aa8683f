// bench/everyday-rows.ts: the everyday table's rows: each command as the user types it, the
// files on the board when it starts, how to undo it before the second run, how to check it did
// its job, and the bytes that must cross the wire for it (the row's limit).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { everydayTree, pythonSource } from './data.js';

/** The local files, and the same files as the board's flash in each starting state. */
export function makeFiles(dir: string) {
  const small = pythonSource(3000, 5).slice(0, 3000);
  const others = new Map<string, Uint8Array>([
    ['util.py', new TextEncoder().encode(pythonSource(600, 6))],
    ['config.json', new TextEncoder().encode('{"ssid": "bench", "interval_ms": 500}\n')],
    ['notes.txt', new TextEncoder().encode('Wiring: sensor on pin 4, LED on pin 2.\n')],
  ]);
  const base = new Map([['small.py', new TextEncoder().encode(small)], ...others]);
  const tree = new Map([...everydayTree(50, 7)].map(([path, data]) => [`tree/${path}`, data]));
  const flashes = { base, 'no small.py': others, 'with tree': new Map([...base, ...tree]) };
  const write = (root: string, content: Map<string, Uint8Array>) => {
    for (const [path, data] of content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), data);
    }
  };
  write(dir, new Map([...base, ...tree]));
  const flashDirs = Object.fromEntries(
    Object.entries(flashes).map(([name, content]) => {
      write(join(dir, 'flash', name), content);
      return [name, join(dir, 'flash', name)];
    }),
  ) as Record<Flash, string>;
  let treeBytes = 0;
  for (const data of tree.values()) treeBytes += data.length;
  return {
    dir,
    small: join(dir, 'small.py'),
    smallBytes: Buffer.from(small),
    tree: join(dir, 'tree'),
    treeFiles: tree.size,
    treeBytes,
    base,
    flashes,
    flashDirs,
  };
}

export type Files = ReturnType<typeof makeFiles>;
type Flash = 'base' | 'no small.py' | 'with tree';
export type CommandId =
  | 'exec'
  | 'ls'
  | 'cat'
  | 'cp up'
  | 'cp down'
  | 'sha256sum'
  | 'rm'
  | 'mkdir'
  | 'cp -r'
  | 'cp -r again';

/** One row: what the user types, the flash it starts from, how to put things back after it. */
export interface EverydayCommand {
  id: CommandId;
  label: string;
  flash: Flash;
  /** Boards without folders (micro:bit) skip it. */
  folders?: boolean;
  /** Its arguments (the same for mpy and mpremote); `local` is a new empty folder each time. */
  args(files: Files, local: string): string[];
  /** The tool command that undoes it before the second run (recreate a file, remove a folder). */
  undo?(files: Files): string[];
  /** Throws when the command did not do its job (a silent failure must not become a time). */
  check?(files: Files, stdout: string, local: string): void;
}

const expect = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`wrong result: ${what}`);
};

export const COMMANDS: EverydayCommand[] = [
  {
    id: 'exec',
    label: 'exec "print(1)"',
    flash: 'base',
    args: () => ['exec', 'print(1)'],
    check: (_, out) => expect(out.trim() === '1', `printed ${JSON.stringify(out)}`),
  },
  {
    id: 'ls',
    label: 'ls (4 files)',
    flash: 'base',
    args: () => ['ls'],
    check: (_, out) => expect(out.includes('small.py'), 'small.py not listed'),
  },
  {
    id: 'cat',
    label: 'cat :small.py (3,000 B)',
    flash: 'base',
    args: () => ['cat', ':small.py'],
    // A UART board sends print()'s \n as \r\n: mpremote's cat shows the file that way.
    check: (f, out) =>
      expect(out.replaceAll('\r\n', '\n').includes(f.smallBytes.toString()), 'not the file'),
  },
  {
    id: 'cp up',
    label: 'cp small.py :',
    flash: 'no small.py',
    args: (f) => ['cp', f.small, ':'],
    undo: () => ['rm', ':small.py'],
  },
  {
    id: 'cp down',
    label: 'cp :small.py . (new dir)',
    flash: 'base',
    args: (_, local) => ['cp', ':small.py', local],
    check: (f, _, local) =>
      expect(readFileSync(join(local, 'small.py')).equals(f.smallBytes), 'not the file'),
  },
  {
    id: 'sha256sum',
    label: 'sha256sum :small.py',
    flash: 'base',
    args: () => ['sha256sum', ':small.py'],
    check: (f, out) => expect(out.includes(sha256(f.smallBytes)), `printed ${out.trim()}`),
  },
  {
    id: 'rm',
    label: 'rm :small.py',
    flash: 'base',
    args: () => ['rm', ':small.py'],
    undo: (f) => ['cp', f.small, ':'],
  },
  {
    id: 'mkdir',
    label: 'mkdir :d',
    flash: 'base',
    folders: true,
    args: () => ['mkdir', ':d'],
    undo: () => ['rmdir', ':d'],
  },
  {
    id: 'cp -r',
    label: 'cp -r tree : (50 .py, 45 KB)',
    flash: 'base',
    folders: true,
    args: (f) => ['cp', '-r', f.tree, ':'],
    undo: () => ['rm', '-r', ':tree'],
  },
  {
    id: 'cp -r again',
    label: 'cp -r tree : again, unchanged',
    flash: 'with tree',
    folders: true,
    args: (f) => ['cp', '-r', f.tree, ':'],
  },
];

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The bytes that must cross the wire for a command, whatever the tool, at the least: the file
 * for `cp` and `cat` (one way), the whole tree for `cp -r`; what the board has to answer for
 * `exec` (`1\n`), `ls` (one `size name\n` line a file) and `sha256sum` (64 hex digits); one
 * 32-byte digest a file for an unchanged tree (either side must learn the other's); 0 for `rm`
 * and `mkdir`. The command's own few bytes are left out, and so is compression: a tool that
 * deflates Python source can beat this limit on `cp` up.
 */
export function bytesThatMustCross(id: CommandId, files: Files): number {
  switch (id) {
    case 'exec':
      return 2;
    case 'ls':
      return [...files.base].reduce((n, [name, data]) => n + `${data.length} ${name}\n`.length, 0);
    case 'sha256sum':
      return 64;
    case 'cat':
    case 'cp up':
    case 'cp down':
      return files.smallBytes.length;
    case 'cp -r':
      return files.treeBytes;
    case 'cp -r again':
      return 32 * files.treeFiles;
    case 'rm':
    case 'mkdir':
      return 0;
  }
}
