/* global URLSearchParams */
// Measures the platform, not the SDK: does an IndexedDB transaction started in `pagehide` commit
// when the tab closes? Writes `n` records in one transaction from the pagehide handler; the next
// page counts them (?count=1).
const params = new URLSearchParams(location.search);
const name = `pagehide-probe-${params.get('sid')}`;
const n = Number(params.get('n') ?? 100);
const opening = new Promise((resolve, reject) => {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => r.result.createObjectStore('r', { autoIncrement: true });
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
opening.then((db) => {
  window.count = () =>
    new Promise((resolve) => {
      const q = db.transaction('r').objectStore('r').count();
      q.onsuccess = () => resolve(q.result);
    });
  addEventListener('pagehide', () => {
    const tx = db.transaction('r', 'readwrite');
    const store = tx.objectStore('r');
    for (let i = 0; i < n; i++) store.add({ i, pad: 'x'.repeat(100) });
    if (params.get('commit') === '1') tx.commit?.(); // explicit commit: no waiting for more requests
    localStorage.setItem(
      `${name}:started`,
      String(Number(localStorage.getItem(`${name}:started`) ?? 0) + 1),
    );
  });
  window.ready = true;
});
