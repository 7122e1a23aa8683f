// src/commands/sync.ts: `mpy sync DIR [:DEST]`: the one-shot form of `watch`: plan by digest,
// show the plan, carry it out (unless --dry-run), read the board back, one summary line.
import { stat } from 'node:fs/promises';
import { MpyError } from '../errors.js';
import { countPlan, describeDeploy, planEntries, planLine } from '../sync/plan-text.js';
import type { SyncCheck } from '../sync/syncer.js';
import { boardArg } from './board-path.js';
import { usage } from './context.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';
import { connectSession } from './watch.js';

/** The board does not hold the folder after the sync (exit 1). */
export class SyncMismatchError extends MpyError {}

/** `mpy sync`: see the command's help; the planning and the work are in src/sync/. */
export const runSync: CommandRun = async ([dir, dest], options, context) => {
  const started = performance.now();
  const info = await stat(dir!).catch(() => undefined);
  if (!info?.isDirectory()) throw usage('sync', `${dir} is not a folder`);
  if (dest !== undefined && options.to !== undefined && options.to !== ':/') {
    throw usage('sync', 'give the board folder as :DEST or --to, not both');
  }
  const target = (await boardArg(context, String(dest ?? options.to ?? ':/'))).path;
  const dryRun = options.dryRun === true;
  const json = options.json === true;
  // Loaded when the command runs: other commands (an exec's start-up) do not pay for it.
  const { Syncer } = await import('../sync/syncer.js');
  let bytesSent: (() => number) | undefined;
  const syncer = new Syncer({
    folder: dir!,
    target,
    delete: options.delete === true,
    ignore: (options.ignore as string[] | undefined) ?? [],
    mpy: options.mpy === true,
    connect: async () => {
      const session = await connectSession(context);
      bytesSent = session.bytesSent;
      // The link stays open for the commands chained after this one (`sync src + reset`).
      return { ...session, close: async () => {} };
    },
    reconnect: false,
    prepareEdits: false,
    log: (line) => context.err(`sync: ${line}\n`),
    describe: () => undefined,
    signal: context.signal,
  });
  try {
    const preview = await syncer.preview();
    const entries = planEntries(preview.actions, preview.remote);
    if (!json && isVerbose(options)) {
      for (const entry of entries) context.out(`${planLine(entry)}\n`);
    }
    let counts = countPlan(preview.actions, preview.local, preview.remote);
    if (dryRun) {
      if (json) context.out(`${JSON.stringify({ target, dryRun, plan: entries, counts })}\n`);
      else context.out(`sync: ${describeDeploy(counts, { dryRun })}\n`);
      return;
    }
    // Nothing to do: the digests just read are the check; else the board is read back.
    let check = preview.check;
    if (preview.actions.length > 0) {
      const report = await syncer.applyBurst([]);
      counts = countPlan(report.actions, preview.local, preview.remote);
      check = await syncer.check();
    }
    const ms = Math.round(performance.now() - started);
    const wireBytes = bytesSent?.();
    const problems = describeProblems(check, options.delete === true);
    if (json) {
      const result = { ...counts, wireBytes, ms, ok: problems.length === 0, ...check };
      context.out(`${JSON.stringify({ target, dryRun, plan: entries, result })}\n`);
    } else {
      context.out(`sync: ${describeDeploy(counts, { dryRun, wireBytes, ms })}\n`);
    }
    if (problems.length > 0) {
      throw new SyncMismatchError(`sync: after the sync the board ${problems.join('; ')}`);
    }
  } finally {
    await syncer.close();
  }
};

/** What keeps the board from holding the folder, in words; empty when it does. */
function describeProblems(check: SyncCheck, deleteExtras: boolean): string[] {
  const list = (paths: string[]) =>
    paths.length > 3
      ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`
      : paths.join(', ');
  const problems: string[] = [];
  if (check.missing.length > 0) problems.push(`lacks ${list(check.missing)}`);
  if (check.differing.length > 0) problems.push(`holds other content in ${list(check.differing)}`);
  if (deleteExtras && check.extra.length > 0) problems.push(`still has ${list(check.extra)}`);
  if (check.leftOut.length > 0) {
    problems.push(`has no folders for ${list(check.leftOut)}`);
  }
  return problems;
}
