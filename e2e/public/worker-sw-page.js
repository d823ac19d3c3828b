// Registers the service worker, waits until it is active, then asks it to log `count` events.
// `window.swResult` resolves to what the worker reported back, or to `{ unsupported }` when the
// engine has no `navigator.serviceWorker` (the test then skips the step by name with the reason).
/* global URLSearchParams, MessageChannel */
const params = new URLSearchParams(location.search);
window.swResult = (async () => {
  if (!('serviceWorker' in navigator)) return { unsupported: 'navigator.serviceWorker is missing' };
  const registration = await navigator.serviceWorker.register('/e2e/sw.js', { scope: '/e2e/' });
  const worker = registration.installing || registration.waiting || registration.active;
  if (worker.state !== 'activated') {
    await new Promise((resolve) =>
      worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()),
    );
  }
  const channel = new MessageChannel();
  const reply = new Promise((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
  worker.postMessage({ sid: params.get('sid'), count: Number(params.get('count') || 100) }, [
    channel.port2,
  ]);
  return reply;
})().catch((error) => ({ failed: String(error) }));
