// Added by the server as a page's first script when it is asked for with `?e2e-record`
// (demo/e2eHooks.mjs): records console calls, uncaught errors and unhandled rejections from the
// start, in the shape and under the name WebKit's driver reads (e2e/driver/webkit.ts installs the
// same recorder only after each load), plus CSP violations. `fromFirstScript` tells a test that
// the page had it from the start.
(function () {
  var recorder = { fromFirstScript: true, errors: [], console: [], violations: [] };
  window.__e2eRecorder = recorder;
  addEventListener('error', function (event) {
    recorder.errors.push(String(event.error || event.message));
  });
  addEventListener('unhandledrejection', function (event) {
    recorder.errors.push('Unhandled rejection: ' + String(event.reason));
  });
  document.addEventListener('securitypolicyviolation', function (event) {
    recorder.violations.push(event.effectiveDirective + ' ' + event.blockedURI);
  });
  ['log', 'debug', 'info', 'warn', 'error'].forEach(function (type) {
    var original = console[type];
    console[type] = function () {
      var args = Array.prototype.slice.call(arguments);
      var json;
      try {
        json = JSON.parse(JSON.stringify(args));
      } catch {
        json = undefined;
      }
      recorder.console.push({ type: type, text: args.map(String).join(' '), args: json });
      return original.apply(console, args);
    };
  });
})();
