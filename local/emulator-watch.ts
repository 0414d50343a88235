/**
 * Local mode never serves errors silently: when an emulator it depends on dies (DynamoDB Local killed
 * or crashed, the SES emulator's server gone), `npm start` says which one and stops with a non-zero
 * exit. It does not restart it: a process that was killed may be killed again (out of memory, a
 * stray `kill`), and a quiet restart would hide that, and the requests in flight when it died.
 */

export interface WatchedEmulator {
  /** As the user knows it: "DynamoDB Local", "the SES emulator". */
  name: string;
  /** Settles with what happened if it ends on its own (`RunningService.died`). */
  died: Promise<string>;
}

export interface EmulatorWatchOptions {
  emulators: WatchedEmulator[];
  /** True once keygate itself is stopping: an emulator ending then is part of the stop. */
  isStopping: () => boolean;
  /** Called once, for the first emulator that died while keygate was not stopping. */
  onDeath: (message: string) => void;
  /**
   * How long a death waits before it counts. A terminal's Ctrl-C signals the whole process group, so
   * DynamoDB Local may exit just before this process has handled the same SIGINT. Default 500 ms.
   */
  graceMs?: number;
}

/** Watches the emulators; see `EmulatorWatchOptions`. */
export function watchEmulators(options: EmulatorWatchOptions): void {
  const graceMs = options.graceMs ?? 500;
  let reported = false;
  for (const emulator of options.emulators) {
    emulator.died.then((what) => {
      setTimeout(() => {
        if (reported || options.isStopping()) return;
        reported = true;
        options.onDeath(emulatorDiedMessage(emulator.name, what));
      }, graceMs);
    });
  }
}

/** The one line `npm start` prints when an emulator died. */
export function emulatorDiedMessage(name: string, what: string): string {
  return `${name} ${what}: keygate cannot serve without it, so it stops (its data is kept; run npm start again).`;
}
