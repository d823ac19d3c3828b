// Loaded first, so it sees every violation of the page, including any the SDK would cause at load.
// Uncaught errors and console output are recorded here too: WebKit's WebDriver classic reports
// neither.
window.violations = [];
window.pageErrors = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    sample: e.sample,
  });
});
// Console output (the page's ConsoleSink writes through these), as text lines.
window.consoleLines = [];
for (const method of ['debug', 'info', 'log', 'warn', 'error']) {
  const original = console[method];
  console[method] = (...args) => {
    window.consoleLines.push(`${method} ${args.map(String).join(' ')}`);
    original.apply(console, args);
  };
}
window.addEventListener('error', (e) => window.pageErrors.push(String(e.error || e.message)));
window.addEventListener('unhandledrejection', (e) =>
  window.pageErrors.push(`Unhandled rejection: ${String(e.reason)}`),
);
