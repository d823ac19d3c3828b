// mvx-logger async loader snippet. Paste it (minified, see README "Async loading") into an inline
// <script>, or self-host it as <script src="snippet.js" data-sdk="URL of mvx-logger.iife.min.js">.
// Until the SDK arrives, `MvxLogger` is a stub that records calls; when the SDK has loaded, the
// calls are replayed in the order they were made:
//   MvxLogger.ready(fn)          fn(MvxLogger) runs once the SDK is there; when it returns a
//                                LogContext, that context becomes the default one
//   MvxLogger.info(msg, payload) (and trace/debug/warn/error/fatal) log through the default context
// Both keep working after load. Calls are capped (MAX_QUEUED) so a page whose SDK never loads
// cannot grow memory without bound; the number dropped is logged once the SDK is there.
(function (w, d, sdkUrl) {
  if (w.MvxLogger) return; // the SDK (or the snippet) is already on the page
  var MAX_QUEUED = 1000;
  var LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  var queue = [];
  var dropped = 0;
  var stub = { q: queue };
  var record = function (call) {
    if (queue.length < MAX_QUEUED) queue.push(call);
    else dropped++;
  };
  stub.ready = function (fn) {
    record(['ready', fn]);
  };
  LEVELS.forEach(function (level) {
    stub[level] = function (message, payload) {
      record([level, message, payload]);
    };
  });
  w.MvxLogger = stub;

  var script = d.createElement('script');
  script.async = true;
  script.src = (d.currentScript && d.currentScript.getAttribute('data-sdk')) || sdkUrl;
  script.onload = function () {
    var sdk = w.MvxLogger; // the IIFE replaced the stub with the real namespace
    if (sdk === stub) return;
    var ctx; // the default context: the last one a ready() callback returned
    var held = []; // level calls made before any default context exists
    var run = function (fn) {
      try {
        var out = fn(sdk);
        if (out && typeof out.info === 'function') ctx = out;
      } catch (error) {
        // The app's callback failed: surface it like any app error, keep replaying the rest.
        setTimeout(function () {
          throw error;
        });
      }
    };
    var log = function (call) {
      if (ctx) ctx[call[0]](call[1], call[2]);
      else if (held.length < MAX_QUEUED) held.push(call);
      else dropped++;
    };
    sdk.ready = function (fn) {
      run(fn);
      if (ctx) held.splice(0).forEach(log);
    };
    LEVELS.forEach(function (level) {
      sdk[level] = function (message, payload) {
        log([level, message, payload]);
      };
    });
    queue.forEach(function (call) {
      if (call[0] === 'ready') sdk.ready(call[1]);
      else log(call);
    });
    if (dropped)
      sdk.warn('mvx-logger snippet: calls made before load were dropped', { dropped: dropped });
  };
  (d.head || d.documentElement).appendChild(script);
})(window, document, 'https://unpkg.com/mvx-logger@0.1.0/dist/mvx-logger.iife.min.js');
