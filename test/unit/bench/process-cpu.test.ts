import { describe, expect, it } from 'vitest';
import { cpuDelta, parseProcStat, treeCpuSeconds } from '../../bench/process-cpu.js';

describe('the bench reads CPU time from /proc/<pid>/stat', () => {
  it('parses a command name holding spaces and parentheses, and the user + system ticks', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const line = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 900 0 0 0 250 75 0 0 20 0 9 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, command: 'my (odd) name', cpuSeconds: 3.25 });
  });

  it('subtracts per command, counting a command that appeared meanwhile from zero', () => {
    const before = new Map([['node', 1.5]]);
    const after = new Map([
      ['node', 2],
      ['java', 0.25],
    ]);
    expect(Object.fromEntries(cpuDelta(before, after))).toEqual({ node: 0.5, java: 0.25 });
  });

  it('finds this process in its own tree (Linux, as CI)', () => {
    const totals = treeCpuSeconds(process.pid);
    expect([...totals.keys()]).toContain('node');
  });

  it('reads nothing for a process that does not exist', () => {
    expect(treeCpuSeconds(2 ** 31 - 1).size).toBe(0);
  });
});
