// src/mip/defaults.ts: mip's defaults, apart from the resolver so the CLI can show them without
// loading it.

/** micropython-lib's index, as mpremote's default. */
export const DEFAULT_INDEX = 'https://micropython.org/pi/v2';
