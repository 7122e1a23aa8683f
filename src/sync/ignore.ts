// src/sync/ignore.ts: a small gitignore matcher (`*`, `**`, `?`, `[...]`, `/`-anchored, trailing `/`
// for folders only, `!` negation) deciding which paths `mpy watch` leaves alone.

/** Editor droppings and tool folders that never belong on the board (vim swap files and its
 * `4913` write test, emacs lock and autosave files, backups, caches, VCS folders). */
export const DEFAULT_IGNORES: readonly string[] = [
  '.*.sw[a-p]',
  '.*.swx',
  '*~',
  '4913',
  '.#*',
  '\\#*#',
  '*.tmp',
  '*___jb_tmp___',
  '*___jb_old___',
  '__pycache__/',
  '.git/',
  '.hg/',
  '.svn/',
  '.DS_Store',
];

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/**
 * Ordered ignore rules; the last rule matching a path wins, and a path inside an ignored folder
 * is ignored whatever later rules say (as in git). Paths are relative, `/`-separated, no leading
 * `/`.
 */
export class IgnoreMatcher {
  private readonly rules: Rule[] = [];

  /** `lines` in gitignore syntax; blank lines and `#` comments are skipped. */
  constructor(lines: Iterable<string> = []) {
    this.add(lines);
  }

  /** Append rules (later rules override earlier ones). */
  add(lines: Iterable<string>): this {
    for (const line of lines) {
      const rule = compileRule(line);
      if (rule) this.rules.push(rule);
    }
    return this;
  }

  /** True when `path` (a file, or a folder when `isDir`) is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      if (this.matchesSelf(parts.slice(0, i).join('/'), true)) return true;
    }
    return this.matchesSelf(parts.join('/'), isDir);
  }

  private matchesSelf(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(path)) ignored = !rule.negate;
    }
    return ignored;
  }
}

/** Parse one gitignore line into a rule, or undefined for blanks and comments. */
function compileRule(raw: string): Rule | undefined {
  let line = raw.replace(/\r$/, '');
  // Trailing spaces are dropped unless escaped with a backslash.
  line = line.replace(/(?<!\\)\s+$/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  let negate = false;
  if (line.startsWith('!')) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (line === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to the watched folder;
  // otherwise it matches a name at any depth.
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  const body = globToRegex(line);
  const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
  return { regex, negate, dirOnly };
}

/** Translate a gitignore glob (without anchoring) into a regular expression source. */
export function globToRegex(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const next = glob[i + 2];
      if (atStart && next === '/') {
        out += '(?:.*/)?';
        i += 3;
        continue;
      }
      if (atStart && next === undefined) {
        out += '.*';
        i += 2;
        continue;
      }
      out += '[^/]*';
      i += 2;
      continue;
    }
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]!);
      i += 2;
      continue;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        out += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end + 1;
        continue;
      }
    } else out += escapeRegex(c);
    i++;
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
