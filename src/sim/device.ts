// src/sim/device.ts: parse `-d sim`, `sim:DIR`, `sim:DIR?profile=legacy&baud=115200`.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { SimOptions } from './board.js';

const NUMERIC = [
  'baud',
  'rxBufferSize',
  'rawPasteWindow',
  'latencyMs',
  'cutAfterBytes',
  'flashSize',
] as const;

/** The per-user folder `-d sim` keeps its flash in: $XDG_CACHE_HOME/mpy/sim or ~/.cache/mpy/sim. */
export function defaultSimFlashDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'mpy', 'sim');
}

/**
 * Options for a device string naming the virtual board, or undefined if it names something
 * else. Query keys: profile (modern|legacy), baud, rxBufferSize, rawPasteWindow, latencyMs,
 * cutAfterBytes, flashSize. Throws UsageError on a bad key or value.
 */
export function parseSimDevice(
  device: string,
  env: NodeJS.ProcessEnv = process.env,
): SimOptions | undefined {
  if (device !== 'sim' && !device.startsWith('sim:') && !device.startsWith('sim?'))
    return undefined;
  const rest = device.slice(3).replace(/^:/, '');
  const query = rest.indexOf('?');
  const dir = query === -1 ? rest : rest.slice(0, query);
  const options: SimOptions = { flashDir: dir || defaultSimFlashDir(env) };
  if (query === -1) return options;
  for (const [key, value] of new URLSearchParams(rest.slice(query + 1))) {
    if (key === 'profile') {
      if (value !== 'modern' && value !== 'legacy')
        throw new UsageError(`sim: profile must be modern or legacy, not "${value}"`);
      options.profile = value;
    } else if ((NUMERIC as readonly string[]).includes(key)) {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0)
        throw new UsageError(`sim: ${key} must be a whole number, not "${value}"`);
      options[key as (typeof NUMERIC)[number]] = number;
    } else {
      throw new UsageError(`sim: unknown option "${key}" (known: profile, ${NUMERIC.join(', ')})`);
    }
  }
  return options;
}
