// Loaded first, so it sees every violation of the page, including any the SDK would cause at load.
// Uncaught errors are recorded here too: WebKit's WebDriver classic reports no page errors.
window.violations = [];
window.pageErrors = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    sample: e.sample,
  });
});
window.addEventListener('error', (e) => window.pageErrors.push(String(e.error || e.message)));
window.addEventListener('unhandledrejection', (e) =>
  window.pageErrors.push(`Unhandled rejection: ${String(e.reason)}`),
);
