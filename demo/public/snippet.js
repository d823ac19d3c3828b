// mvx-logger async loader snippet. Paste it (minified, see docs/async-snippet-and-cdn.md) into an
// inline <script>, or self-host it as <script src="snippet.js" data-sdk="URL of mvx-logger.iife.min.js">.
// Until the SDK arrives, `MvxLogger` is a stub that records calls; when the SDK has loaded, the
// calls are replayed in the order they were made. What the stub supports, before and after load:
//   MvxLogger.ready(fn)           fn(MvxLogger) runs once the SDK is there (at once if it is);
//                                 when fn returns a LogContext, it becomes the default context
//   MvxLogger.info(msg, payload)  (and trace/debug/warn/error/fatal) log through the default context
//   MvxLogger.child(path, attrs)  a stub child of the default context with the same methods
//   MvxLogger.flush(timeoutMs)    a Promise of the default context's flush(timeoutMs) result
//                                 (false if the SDK failed to load)
// Calls are capped (MAX_QUEUED) so a page whose SDK never loads cannot grow memory without bound;
// the number dropped is logged once the SDK is there. If the SDK script fails to load, one
// console.warn says so and later calls are dropped. Pasted twice, or after the SDK's own
// <script>, it adds the methods above to what is there and loads nothing.
(function (w, d, sdkUrl) {
  var present = w.MvxLogger;
  if (present && present.ready) return; // the snippet already ran
  var MAX_QUEUED = 1000;
  var LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  // A call is [method, childPath, argument1, argument2]; childPath lists the [path, attributes]
  // of the child() calls it was made through.
  var pending = []; // before load: every call; after load: log calls waiting for a default context
  var dropped = 0;
  var sdk = present && present.LogContext ? present : undefined;
  var context; // the default context: the last one a ready() callback returned
  var failed = false;

  var enqueue = function (call) {
    if (pending.length < MAX_QUEUED) return pending.push(call);
    dropped++;
    if (call[0] === 'flush') call[3](false); // never leave a flush() waiting
  };
  var apply = function (call) {
    var target = call[1].reduce(function (parent, step) {
      return parent.child(step[0], step[1]);
    }, context);
    if (call[0] === 'flush') call[3](target.flush(call[2]));
    else target[call[0]](call[2], call[3]);
  };
  var dispatch = function (call) {
    if (context) apply(call);
    else if (!failed) enqueue(call);
    else if (call[0] === 'flush') call[3](false);
  };
  var run = function (fn) {
    try {
      var returned = fn(sdk);
      if (returned && typeof returned.info === 'function') context = returned;
    } catch (error) {
      // The app's callback failed: surface it like any app error, keep replaying the rest.
      setTimeout(function () {
        throw error;
      });
    }
    if (context) pending.splice(0).forEach(apply);
  };
  var logger = function (childPath) {
    var api = {
      child: function (path, attributes) {
        return logger(childPath.concat([[path, attributes]]));
      },
      flush: function (timeoutMs) {
        return new Promise(function (resolve) {
          dispatch(['flush', childPath, timeoutMs, resolve]);
        });
      },
    };
    LEVELS.forEach(function (level) {
      api[level] = function (message, payload) {
        dispatch([level, childPath, message, payload]);
      };
    });
    return api;
  };
  var install = function (target) {
    var api = logger([]);
    for (var name in api) target[name] = api[name];
    target.ready = function (fn) {
      if (sdk) run(fn);
      else if (!failed) enqueue(['ready', fn]);
    };
  };

  if (sdk) return install(sdk); // the SDK's own <script> ran first
  var stub = { q: pending };
  install(stub);
  w.MvxLogger = stub;

  var script = d.createElement('script');
  script.async = true;
  script.src = (d.currentScript && d.currentScript.getAttribute('data-sdk')) || sdkUrl;
  script.onload = function () {
    if (w.MvxLogger === stub) return script.onerror(); // a script, but not the SDK
    sdk = w.MvxLogger; // the IIFE replaced the stub with the real namespace
    install(sdk);
    pending.splice(0).forEach(function (call) {
      if (call[0] === 'ready') run(call[1]);
      else dispatch(call);
    });
    if (dropped)
      sdk.warn('mvx-logger snippet: calls made before load were dropped', { dropped: dropped });
  };
  script.onerror = function () {
    failed = true;
    console.warn(
      'mvx-logger snippet: the SDK did not load from ' + script.src + '; calls dropped:',
      pending.length + dropped,
    );
    pending.splice(0).forEach(function (call) {
      if (call[0] === 'flush') call[3](false);
    });
  };
  (d.head || d.documentElement).appendChild(script);
})(window, document, 'https://unpkg.com/mvx-logger@0.1.0/dist/mvx-logger.iife.min.js');
