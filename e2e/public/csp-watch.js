// Loaded first, so it sees every violation of the page, including any the SDK would cause at load.
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    sample: e.sample,
  });
});
