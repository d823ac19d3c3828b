import {
  AsyncLogSink,
  LOG_SEVERITY,
  type AsyncLogSinkOptions,
  type DispatchOutcome,
  type FlushReason,
  type LogDiagnostic,
  type LogEvent,
  type LogLevel,
  type PageLifecycle,
} from '../../../src/index.js';
import { createFakeTimers } from '../../fakes/timers.js';

/** A frozen event like a LogContext builds. */
export function makeEvent(i: number, extra: Partial<LogEvent> = {}): LogEvent {
  const level: LogLevel = extra.level ?? 'info';
  return Object.freeze({
    id: `ev-${i}`,
    namespace: 'app/test',
    level,
    severity: LOG_SEVERITY[level],
    message: `message ${i}`,
    time: 1_700_000_000_000 + i,
    ...extra,
  });
}

/** A document/window pair on Node's EventTarget that counts listeners. */
export function createFakePage() {
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const win = new EventTarget();
  let listeners = 0;
  for (const t of [doc, win]) {
    const add = t.addEventListener.bind(t);
    const remove = t.removeEventListener.bind(t);
    t.addEventListener = (...a: Parameters<EventTarget['addEventListener']>) => {
      listeners++;
      add(...a);
    };
    t.removeEventListener = (...a: Parameters<EventTarget['removeEventListener']>) => {
      listeners--;
      remove(...a);
    };
  }
  const lifecycle = { document: doc, window: win } as unknown as PageLifecycle;
  return {
    lifecycle,
    listeners: () => listeners,
    hide() {
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    show() {
      doc.visibilityState = 'visible';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    pagehide: () => win.dispatchEvent(new Event('pagehide')),
    pageshow: () => win.dispatchEvent(new Event('pageshow')),
    freeze: () => doc.dispatchEvent(new Event('freeze')),
    resume: () => doc.dispatchEvent(new Event('resume')),
  };
}

/** Collects diagnostics. */
export function collectDiagnostics() {
  const list: LogDiagnostic[] = [];
  return {
    list,
    onDiagnostic: (d: LogDiagnostic) => void list.push(d),
    kinds: () => list.map((d) => d.kind),
  };
}

type Script = (
  batch: readonly LogEvent[],
  call: number,
) => DispatchOutcome | Promise<DispatchOutcome>;

/** An AsyncLogSink whose dispatch is scripted and recorded. */
export class ScriptedSink extends AsyncLogSink {
  // Its own options pass through the base constructor, which checks option names.
  static override readonly optionNames = ['script', 'exit'];
  readonly dispatched: { ids: string[]; reason: FlushReason; at: number }[] = [];
  readonly exits: string[][] = [];
  started = 0;
  stopped = 0;
  exitTake: (batch: readonly LogEvent[]) => number = (b) => b.length;
  private readonly script: Script;
  private readonly clock: () => number;

  constructor(options: AsyncLogSinkOptions & { script?: Script; exit?: boolean } = {}) {
    super(options);
    this.script = options.script ?? (() => undefined);
    this.clock = options.now ?? Date.now;
    if (options.exit === false) this.dispatchOnExit = undefined;
  }

  protected async dispatch(
    batch: readonly LogEvent[],
    reason: FlushReason,
  ): Promise<DispatchOutcome> {
    this.dispatched.push({ ids: batch.map((e) => e.id), reason, at: this.clock() });
    return this.script(batch, this.dispatched.length - 1);
  }

  protected override dispatchOnExit?(batch: readonly LogEvent[]): number {
    this.exits.push(batch.map((e) => e.id));
    return this.exitTake(batch);
  }

  protected override onStarting(): void {
    this.started++;
  }

  protected override onStopped(): void {
    this.stopped++;
  }

  /** Exposes the protected hooks to tests. */
  hold(): void {
    this.pause();
  }
  release(): void {
    this.resume();
  }
  giveBack(events: readonly LogEvent[]): void {
    this.requeue(events);
  }
}

/** `accepted` equals the sum of where events can be (the stats invariant). */
export function balance(s: ReturnType<AsyncLogSink['stats']>): number {
  return (
    s.delivered +
    s.handedOff +
    s.dropped.overflow +
    s.dropped.rejected +
    s.dropped.failed +
    s.queuedEvents +
    s.inFlight
  );
}

/**
 * A `Sink` (default `ScriptedSink`) on fake timers and a fake page, with `log(from, n)` logging
 * the events `ev-<from>` … `ev-<from + n - 1>`.
 */
export function setupOnFakePage(
  Sink: typeof ScriptedSink = ScriptedSink,
  options: ConstructorParameters<typeof ScriptedSink>[0] = {},
  page = createFakePage(),
) {
  const timers = createFakeTimers();
  const sink = new Sink({
    now: timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    pageLifecycle: page.lifecycle,
    onDiagnostic: () => {},
    ...options,
  });
  const log = (from: number, n: number) => {
    for (let i = from; i < from + n; i++) sink.log(makeEvent(i));
  };
  return { sink, timers, page, log };
}

/** The ids `makeEvent` gives to events `from` … `from + n - 1`. */
export const eventIds = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `ev-${from + i}`);
