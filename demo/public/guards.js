// Section 5 of the demo: fingersCrossed, then stormGuard, in front of the same IndexedDB buffer.
// Loaded after demo.js (both deferred), which leaves its sinks on `window.demo`.
// A block: classic scripts share one global scope, and demo.js declares the same names.
{
  const { LogContext, LogEventPolicy, fingersCrossed, stormGuard } = window.MvxLogger;
  const { buffer, consoleSink } = window.demo;
  const byId = (id) => document.getElementById(id);

  const STORM_EVENTS = 5000;
  const STORM_RUN = 10; // identical messages in a row, so duplicate suppression has work to do
  const STEPS_BEFORE_ERROR = 20;

  // The buffer already has close()/flush() from demo.js; the guards must not close it twice, so
  // they get a thin tap whose close() does nothing.
  const bufferTap = { log: (event) => buffer.log(event), flush: () => buffer.flush() };
  // Storm protection right in front of the buffer sees what the fingers-crossed ring releases too.
  // A burst of 300 (the default is 3,000) so one click shows the rate limit at work.
  const guarded = stormGuard(bufferTap, { rateBurst: 300, suppressDuplicates: true });
  const held = fingersCrossed(guarded, { maxHeldEvents: 200, triggerLevel: 'error' });

  // The recipe: the guarded sink's filter at the hold level (debug); the console keeps warn+.
  const policy = new LogEventPolicy()
    .setFilter('console', '', 'warn')
    .setFilter('guarded', '', 'debug');
  const log = new LogContext({
    namespace: 'com.acme.shop/guarded',
    // the console gets its own guard here, so the error storm does not flood devtools
    sinks: { console: stormGuard(consoleSink), guarded: held },
    policy,
    context: { page: 'demo' },
  });

  byId('debug-storm').addEventListener('click', () => {
    const render = log.child('render');
    for (let i = 0; i < STORM_EVENTS; i++)
      render.debug(`render tick ${Math.floor(i / STORM_RUN)}`, { frame: i });
  });

  let checkouts = 0;
  byId('error-after-debug').addEventListener('click', () => {
    const checkout = log.child(`checkout`);
    const attempt = ++checkouts;
    for (let step = 1; step <= STEPS_BEFORE_ERROR; step++)
      checkout.debug(`checkout ${attempt}: step ${step}`, { step });
    checkout.error(`checkout ${attempt} failed`, new Error('card declined'));
  });

  byId('error-storm').addEventListener('click', () => {
    const game = log.child('game');
    for (let i = 0; i < STORM_EVENTS; i++)
      game.error(`frame ${Math.floor(i / STORM_RUN)} failed`, { frame: i });
  });

  function renderGuardStats() {
    const storm = guarded.stats();
    const crossed = held.stats();
    const counts = {
      'crossed-received': crossed.received,
      'crossed-held': crossed.held,
      'crossed-evicted': crossed.dropped['evicted-unreleased'],
      'crossed-released': crossed.released,
      'guard-received': storm.received,
      'guard-duplicates': storm.suppressed['duplicate-suppressed'],
      'guard-rate-limited': storm.suppressed['rate-limited'],
      'guard-forwarded': storm.forwarded,
    };
    for (const [id, value] of Object.entries(counts)) byId(id).textContent = String(value);
  }
  setInterval(renderGuardStats, 250);
  renderGuardStats();
  window.demo.guards = { log, held, guarded };
}
