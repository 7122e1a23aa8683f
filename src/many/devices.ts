// src/many/devices.ts: the boards a several-board `-d` names, looked up now: globs
// (`/dev/ttyACM*`) matched against what exists, `all` as every port `mpy devs` marks; and the
// short name each board's output lines are tagged with.
import { readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  boardCandidates,
  expandShortName,
  listPorts,
  type PortInfo,
} from '../transport/devices.js';
import { linkKind } from '../transport/open.js';
import type { DeviceSpec } from './device-spec.js';

/** Where the device list comes from; tests pass their own ports. */
export interface DeviceSource {
  listPorts(): Promise<PortInfo[]>;
}

const systemPorts: DeviceSource = { listPorts };

/**
 * The devices a spec names now, in order, each once. Globs match what exists now (a board
 * plugged in later matches the next time); `all` is every port `mpy devs` marks with `*`.
 */
export async function resolveDevices(
  spec: DeviceSpec,
  source: DeviceSource = systemPorts,
): Promise<string[]> {
  const found: string[] = [];
  for (const entry of spec.entries) {
    if (entry.kind === 'device') found.push(entry.device);
    else if (entry.kind === 'glob') found.push(...(await expandGlob(entry.pattern)));
    else found.push(...boardCandidates(await source.listPorts()).map((port) => port.path));
  }
  return [...new Set(found)];
}

/** The devices of `devices` that are there now: a serial path that does not exist (unplugged)
 * is left out; other links (sim, network) are always there. */
export async function attachedNow(devices: readonly string[]): Promise<string[]> {
  const there = await Promise.all(
    devices.map(async (device) => {
      if (linkKind(device) !== 'serial' || device === 'auto') return true;
      const path = expandShortName(device);
      if (!path.startsWith('/')) return true;
      return stat(path).then(
        () => true,
        () => false,
      );
    }),
  );
  return devices.filter((_, index) => there[index]);
}

/** The paths that match `pattern` (`*`, `?`, `[...]` within one path segment), sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((segment) => segment !== '');
  let paths = [absolute ? '/' : '.'];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (!/[*?[]/.test(segment)) {
        next.push(join(base, segment));
        continue;
      }
      const matcher = segmentRegExp(segment);
      let names: string[];
      try {
        names = await readdir(base);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        // As in a shell, `*` does not match a leading dot.
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (matcher.test(name)) next.push(join(base, name));
      }
    }
    paths = last ? next : await onlyFolders(next);
  }
  const existing: string[] = [];
  for (const path of paths) {
    if (
      await stat(path).then(
        (info) => !info.isDirectory(),
        () => false,
      )
    ) {
      existing.push(path);
    }
  }
  return existing.sort(naturalOrder);
}

function join(base: string, name: string): string {
  if (base === '.') return name;
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}

async function onlyFolders(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (
      await stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      )
    ) {
      out.push(path);
    }
  }
  return out;
}

/** A glob segment as a regular expression: `*` any run, `?` one character, `[a-c]` a class. */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `ttyACM2` before `ttyACM10`. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The short name of each device, for tags and the table: mpremote's `a0`/`u0`/`c0` for
 * /dev/ttyACM0, /dev/ttyUSB0 and COM0, `pts7` for /dev/pts/7, else the path's last part (the
 * host and port of a network link). Names two devices would share fall back to the device.
 */
export function shortNames(devices: readonly string[]): Map<string, string> {
  const names = new Map(devices.map((device) => [device, shortName(device)]));
  const counts = new Map<string, number>();
  for (const name of names.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [device, name] of names) if (counts.get(name)! > 1) names.set(device, device);
  return names;
}

function shortName(device: string): string {
  const port = /^\/dev\/tty(ACM|USB)(\d+)$/.exec(device);
  if (port) return `${port[1] === 'ACM' ? 'a' : 'u'}${port[2]}`;
  const com = /^COM(\d+)$/i.exec(device);
  if (com) return `c${com[1]}`;
  if (/^\/dev\/pts\/\d+$/.test(device)) return `pts${basename(device)}`;
  const kind = linkKind(device);
  if (kind === 'socket' || kind === 'webrepl') return device.replace(/^\w+:\/\//, '');
  if (kind === 'exec') return basename(device.slice(5).trim().split(/\s+/)[0] ?? 'exec');
  if (kind === 'sim') {
    const folder = device.slice(4).replace(/\?.*$/, '');
    return device.startsWith('sim:') && folder !== '' ? `sim:${basename(folder)}` : 'sim';
  }
  return basename(device) || device;
}
