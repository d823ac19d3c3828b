import { describe, expect, it } from 'vitest';
import { fingersCrossed, LogContext, type LogEvent } from '../../../../src/index.js';
import { MemorySink } from '../../../fakes/memorySink.js';

// fingersCrossed's byte bound counts each event's own context, never a stale size: what a cache of
// the last context's size (the events of one context share its frozen `context`) must keep.

/** The estimated bytes of each event, each measured by a fresh wrapper (nothing remembered). */
const sizesAlone = (events: LogEvent[]) =>
  events.map((event) => {
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    buffer.log(event);
    return buffer.stats().heldBytes;
  });

function logged() {
  const events: LogEvent[] = [];
  const root = new LogContext({ sinks: { keep: { log: (e: LogEvent) => events.push(e) } } });
  return { root, events };
}

describe('fingersCrossed byte estimate', () => {
  it('contexts taking turns: each event counts its own context', () => {
    const { root, events } = logged();
    const short = root.child('a', { user: 'ada' });
    const long = root.child('b', { user: 'x'.repeat(300), tenant: 'acme', admin: true });
    for (let i = 0; i < 6; i++) (i % 3 ? short : long).debug('tick', { i });
    root.debug('no context');
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    for (const event of events) buffer.log(event);
    const alone = sizesAlone(events);
    expect(new Set(alone).size).toBeGreaterThan(2);
    expect(buffer.stats().heldBytes).toBe(alone.reduce((a, b) => a + b));
  });

  it('a context with a nested object is measured on every event (it could change)', () => {
    const { root, events } = logged();
    const child = root.child('a', { user: { name: 'ada' } });
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    child.debug('first');
    buffer.log(events[0]!);
    const first = buffer.stats().heldBytes;
    (child.context!.user as { name: string }).name = 'x'.repeat(500); // the app's own doing
    child.debug('later');
    buffer.log(events[1]!);
    expect(buffer.stats().heldBytes - first).toBeGreaterThanOrEqual(first + 497);
  });
});
