// Starts a dedicated worker that loads the IIFE with importScripts and logs; the test awaits
// `window.workerResult` (what the worker reported back).
/* global URLSearchParams */
const sid = new URLSearchParams(location.search).get('sid');
const count = Number(new URLSearchParams(location.search).get('count') || 100);
const worker = new Worker(`/e2e/worker.js?sid=${encodeURIComponent(sid)}&count=${count}`);
window.workerErrors = [];
// An error the worker's captureErrors saw still reaches the page (it did not preventDefault).
worker.addEventListener('error', (e) => {
  window.workerErrors.push(e.message);
  e.preventDefault();
});
window.workerResult = new Promise((resolve) => {
  worker.addEventListener('message', (e) => resolve(e.data));
});
