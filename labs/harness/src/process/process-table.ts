import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The OS process table, read synchronously (the grader's 'exit' handler
 * cannot wait): /proc on Linux, `ps` on macOS and other POSIX systems.
 * Windows needs none of this: `taskkill /T` walks the tree itself.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Dead, waiting for its parent to reap it: counts as gone. */
  zombie: boolean;
}

export function listProcesses(platform: NodeJS.Platform = process.platform): ProcessInfo[] {
  if (platform === 'win32') return [];
  if (platform === 'linux') {
    const table: ProcessInfo[] = [];
    for (const name of safeReaddir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const info = parseProcStat(safeRead(`/proc/${name}/stat`));
      if (info) table.push(info);
    }
    return table;
  }
  try {
    return parsePs(execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8', timeout: 5_000, windowsHide: true }));
  } catch {
    return [];
  }
}

/** `/proc/<pid>/stat`: "pid (comm) state ppid pgrp …" — comm may itself hold spaces and parentheses. */
export function parseProcStat(text: string | undefined): ProcessInfo | undefined {
  if (!text) return undefined;
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(' ');
  const [state, ppid, pgid] = fields;
  if (close < 0 || !Number.isInteger(pid) || state === undefined || ppid === undefined || pgid === undefined) return undefined;
  return { pid, ppid: Number(ppid), pgid: Number(pgid), zombie: state === 'Z' || state === 'X' };
}

/** `ps -A -o pid=,ppid=,pgid=,stat=` */
export function parsePs(text: string): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const [pid, ppid, pgid, stat] = line.trim().split(/\s+/);
    if (!pid || !ppid || !pgid || !/^\d+$/.test(pid)) continue;
    table.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), zombie: (stat ?? '').startsWith('Z') });
  }
  return table;
}

/**
 * What to kill for a run started as its own process group `pgid`: every
 * live member of the group, plus — while `root` is still alive — every
 * descendant of it by parent links (a child that left the group with
 * setsid() is still its parent's child until the parent dies). Pure.
 */
export function treeOf(table: readonly ProcessInfo[], pgid: number, root: number | undefined): number[] {
  const found = new Set<number>();
  for (const p of table) if (p.pgid === pgid && !p.zombie) found.add(p.pid);
  if (root !== undefined) {
    const children = new Map<number, number[]>();
    for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    const visited = new Set<number>([root]);
    const queue = [root];
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      for (const child of children.get(pid) ?? []) {
        if (visited.has(child)) continue;
        visited.add(child);
        found.add(child);
        queue.push(child);
      }
    }
  }
  const zombies = new Set(table.filter((p) => p.zombie).map((p) => p.pid));
  return [...found].filter((pid) => !zombies.has(pid));
}

/**
 * Processes whose environment carries `name=value` — children that both
 * left the group and lost their parent still inherited the run's marker
 * variable. Linux reads /proc/<pid>/environ; macOS asks `ps -E`, which shows
 * the environment of the user's own processes. Other users' processes are
 * unreadable and skipped (they are not the run's anyway).
 */
export function processesMarked(name: string, value: string, platform: NodeJS.Platform = process.platform): number[] {
  if (platform === 'linux') {
    const needle = Buffer.from(`\0${name}=${value}\0`);
    const pids: number[] = [];
    for (const entry of safeReaddir('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      let environ: Buffer;
      try {
        environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`)]);
      } catch {
        continue;
      }
      if (environ.includes(needle)) pids.push(Number(entry));
    }
    return pids;
  }
  if (platform === 'darwin') {
    try {
      const text = execFileSync('ps', ['-A', '-E', '-ww', '-o', 'pid=,command='], { encoding: 'utf8', timeout: 5_000, maxBuffer: 64 * 1024 * 1024 });
      return pidsWithEnvInPs(text, `${name}=${value}`).filter((pid) => pid !== process.pid);
    } catch {
      return [];
    }
  }
  return [];
}

/** Lines of `ps -E -o pid=,command=` (the command line, then the environment, space-separated) that hold `assignment`. Pure. */
export function pidsWithEnvInPs(text: string, assignment: string): number[] {
  const pids: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s(.*)$/.exec(line);
    if (match?.[1] && ` ${match[2] ?? ''} `.includes(` ${assignment} `)) pids.push(Number(match[1]));
  }
  return pids;
}

/** Exists and is not a zombie. */
export function isAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (platform !== 'linux') return true;
  const info = parseProcStat(safeRead(`/proc/${pid}/stat`));
  return info ? !info.zombie : false;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
