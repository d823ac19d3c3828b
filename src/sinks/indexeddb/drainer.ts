import type { DropReason } from '../asyncStats.js';
import { acquireDrainLock, drainLockName, type DrainLock } from './drainLock.js';
import { DrainHealth } from './drainHealth.js';
import { DrainLoop, type LogBatchTransport } from './drainLoop.js';
import type { ResolvedIndexedDbOptions } from './indexedDbOptions.js';
import type { TieredStore } from './tieredStore.js';

/** What a {@link Drainer} needs besides the resolved options. */
export interface DrainerContext {
  readonly transport: LogBatchTransport;
  readonly store: TieredStore;
  readonly now: () => number;
  readonly random: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  readonly onDrained: (n: number) => void;
  readonly onDropped: (reason: DropReason, n: number) => void;
  readonly report: (kind: string, message: string, error?: unknown) => void;
}

/**
 * The drainer role of one page: the drain loop, the Web Lock that makes it the only drainer of
 * the database, and the BroadcastChannel on which writers in other tabs say "stored". The memory
 * tier is this page's own, so it drains without the lock (and gives the lock up for another tab).
 */
export class Drainer {
  private readonly loop: DrainLoop;
  private readonly health: DrainHealth;
  private lock: DrainLock | undefined;
  private channel: BroadcastChannel | undefined;
  private unlistenOnline: (() => void) | undefined;

  constructor(
    private readonly o: ResolvedIndexedDbOptions,
    private readonly c: DrainerContext,
  ) {
    const health = (this.health = new DrainHealth(o.storage, o.database));
    this.loop = new DrainLoop({
      ...c,
      batchEvents: o.drainBatchEvents,
      batchBytes: o.drainBatchBytes,
      maxAgeMs: o.maxAgeMs,
      pollMs: o.drainPollMs,
      retryBaseMs: o.retryBaseMs,
      retryMaxMs: o.retryMaxMs,
      mayDrain: () => this.mayDrain(),
      onOutcome: (reachable) => health.record(reachable),
    });
    this.listenOnline();
    if (c.store.tier === 'memory') return;
    this.listen();
    if (!o.locks) {
      c.report(
        'indexeddb-no-locks',
        'Web Locks unavailable: every tab drains, so an event may be uploaded by two tabs',
      );
      return;
    }
    this.lock = acquireDrainLock(
      o.locks,
      drainLockName(o.database),
      () => this.loop.kick(),
      (error) => {
        c.report('drain-lock-failed', 'the drain lock failed; draining without it', error);
        this.lock = undefined;
        this.loop.kick();
      },
    );
  }

  /** The highest memory-tier key being uploaded now (see `DrainLoop.sendingUpToKey`). */
  get sendingUpToKey(): number | undefined {
    return this.loop.sendingUpToKey;
  }

  /** The transport for the exit path, only while the receiver is known to accept uploads. */
  exitTransport(): LogBatchTransport | undefined {
    return this.health.healthy() ? this.c.transport : undefined;
  }

  /** Whether this page drains now. */
  mayDrain(): boolean {
    if (this.c.store.tier === 'memory') {
      this.lock?.release(); // this page no longer drains the database: let another tab do it
      return true;
    }
    return !this.lock || this.lock.held;
  }

  /** Events were stored by this page: wake the loop here and the drainer in other tabs. */
  stored(): void {
    this.loop.kick();
    try {
      this.channel?.postMessage('stored');
    } catch {
      // a closed channel: the drainer's poll finds the events
    }
  }

  /** Resolves when the loop has ended (after an upload in flight settled). */
  get finished(): Promise<void> {
    return this.loop.finished;
  }

  /**
   * Gives up the role: the lock passes to another tab. Resolves when the loop stopped, or at once
   * when an upload is in flight (a hung request must not hang `close()`; see {@link finished}).
   */
  async stop(): Promise<void> {
    this.lock?.release();
    this.unlistenOnline?.();
    try {
      this.channel?.close();
    } catch {
      // already closed
    }
    await this.loop.stop();
  }

  /** Coming back online ends a backoff at once, instead of after up to `retryMaxMs`. */
  private listenOnline(): void {
    const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
    if (typeof target.addEventListener !== 'function') return;
    const online = () => this.loop.retryNow();
    try {
      target.addEventListener('online', online);
      this.unlistenOnline = () => target.removeEventListener?.('online', online);
    } catch {
      // no events on this global: backoff timers still retry
    }
  }

  private listen(): void {
    const Channel = this.o.broadcastChannel;
    if (!Channel) return;
    try {
      this.channel = new Channel(`mvx-logger:stored:${this.o.database}`);
      this.channel.onmessage = () => this.loop.kick();
    } catch (error) {
      this.c.report(
        'broadcast-failed',
        'BroadcastChannel unavailable; the drainer polls instead',
        error,
      );
    }
  }
}
