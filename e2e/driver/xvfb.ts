import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pollUntil } from './waitFor.js';

export const XVFB_PATH = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/**
 * The X display for a checkout whose suites use `port`: derived from the port so that two
 * checkouts running at once (each with its own port range) never share a display.
 */
export const displayForPort = (port: number) => `:${100 + (port % 900)}`;

export interface XvfbServer {
  readonly display: string;
  stop(): Promise<void>;
}

/** Starts `Xvfb display` and waits until its socket exists. Throws if the display is taken. */
export async function startXvfb(display: string): Promise<XvfbServer> {
  const number = display.replace(/^:/, '');
  const socket = `/tmp/.X11-unix/X${number}`;
  if (existsSync(`/tmp/.X${number}-lock`)) {
    throw new Error(
      `X display ${display} is in use (/tmp/.X${number}-lock); set E2E_DISPLAY to another one`,
    );
  }
  const child: ChildProcess = spawn(
    XVFB_PATH,
    [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: 'ignore' },
  );
  let exitedEarly = false;
  child.once('exit', () => (exitedEarly = true));
  await pollUntil(
    async () => {
      if (exitedEarly) throw new Error(`Xvfb ${display} exited`);
      return existsSync(socket);
    },
    `Xvfb ${display}`,
    { timeout: 10_000 },
  );
  return {
    display,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
