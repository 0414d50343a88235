import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system) of a process tree, read from Linux's `/proc/<pid>/stat`, grouped by
 * command name (`node`, `java`): which process of `npm start` spends what, per request. Elsewhere
 * (no `/proc`) it reads nothing and the figures are left out of the report.
 */

/** Clock ticks per second of `/proc/<pid>/stat`'s utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  command: string;
  cpuSeconds: number;
}

/** One line of `/proc/<pid>/stat`: "pid (comm) state ppid … utime stime …" (comm may hold spaces and ')'). */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // After comm: state (field 3 of proc(5)), ppid (4) … utime (14), stime (15).
  return {
    pid: Number.parseInt(text, 10),
    ppid: Number(fields[1]),
    command,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // the process ended meanwhile
  }
}

/** CPU seconds so far of `rootPid` and its descendants, summed per command name; empty without `/proc`. */
export function treeCpuSeconds(rootPid: number): Map<string, number> {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return new Map();
  }
  const stats = pids.map(readStat).filter((stat): stat is ProcStat => stat !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const totals = new Map<string, number>();
  const root = stats.find((stat) => stat.pid === rootPid);
  const pending = root ? [root] : [];
  for (let stat = pending.pop(); stat; stat = pending.pop()) {
    totals.set(stat.command, (totals.get(stat.command) ?? 0) + stat.cpuSeconds);
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return totals;
}

/** `after − before` per command name. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([command, seconds]) => [command, seconds - (before.get(command) ?? 0)]));
}
