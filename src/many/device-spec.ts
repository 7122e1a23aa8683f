// src/many/device-spec.ts: what `-d` says, parsed before anything connects: one device, or
// several boards (comma lists, `-d` repeated, globs such as `/dev/ttyACM*`, `all`). Small, as
// every command's start-up parses it.
import { linkKind } from '../transport/open.js';

/** One `-d` entry: a device as it is, a glob over paths, or every attached board. */
export type DeviceEntry =
  | { kind: 'device'; device: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'all' };

/** The devices `-d` names, before they are looked up. */
export interface DeviceSpec {
  entries: DeviceEntry[];
  /** More than one board may be meant (a list, a glob, `all`): each board gets its own
   * connection and the output is tagged, however many boards there turn out to be. */
  many: boolean;
}

/**
 * Parse the values of `-d` (each may be a comma list). An `exec:` device keeps its commas (a
 * command line has them: `-device loader,file=…`), so it ends a comma list.
 */
export function parseDevices(values: readonly string[]): DeviceSpec {
  const entries: DeviceEntry[] = [];
  for (const value of values) {
    for (const part of splitList(value)) entries.push(classify(part));
  }
  const many = entries.length > 1 || entries.some((entry) => entry.kind !== 'device');
  return { entries, many };
}

function splitList(value: string): string[] {
  const parts: string[] = [];
  let rest = value;
  while (rest !== '') {
    if (rest.startsWith('exec:')) {
      parts.push(rest);
      break;
    }
    const comma = rest.indexOf(',');
    const part = comma === -1 ? rest : rest.slice(0, comma);
    if (part.trim() !== '') parts.push(part.trim());
    rest = comma === -1 ? '' : rest.slice(comma + 1);
  }
  return parts;
}

function classify(part: string): DeviceEntry {
  if (part === 'all') return { kind: 'all' };
  // A glob is a serial path with wildcards; `sim:DIR?profile=…` has a `?` of its own.
  if (linkKind(part) === 'serial' && /[*?[]/.test(part)) return { kind: 'glob', pattern: part };
  return { kind: 'device', device: part };
}
