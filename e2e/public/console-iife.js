// Mirrors the README's script-tag quick start.
const { LogContext, ConsoleSink, LogEventPolicy } = MvxLogger;
const policy = new LogEventPolicy()
  .setFilter('console', '', 'warn')
  .setFilter('console', 'com.acme.shop/checkout', 'debug');
const log = new LogContext({
  namespace: 'com.acme.shop',
  sinks: { console: new ConsoleSink() },
  policy,
});
log.child('checkout/cart').debug('iife cart updated', { items: 3 });
log.child('search').debug('iife search hidden');
log.child('search').warn('iife search slow', { ms: 1200 });
window.done = true;
