// Runs right after the snippet, before the SDK has arrived: every call here goes to the stub.
window.seen = [];
window.sdkLoadedBeforeCalls = typeof MvxLogger.LogContext === 'function';

MvxLogger.info('one: before any context');
MvxLogger.ready(function (sdk) {
  // The page's sink: records what reaches it, in order.
  var pageSink = {
    log: function (event) {
      window.seen.push(event.level + ' ' + event.message);
    },
  };
  return new sdk.LogContext({ namespace: 'cdn', sinks: { page: pageSink } });
});
MvxLogger.warn('two: after the context was requested', { n: 2 });
MvxLogger.ready(function () {
  MvxLogger.info('three: from a later ready callback');
});
MvxLogger.error('four: last call before load');
window.preloadCallsDone = true;

// Also after load: the same calls keep working without the queue.
window.afterLoad = function () {
  MvxLogger.debug('five: after load');
  MvxLogger.ready(function (sdk) {
    window.readyAfterLoadGotSdk = typeof sdk.LogContext === 'function';
  });
};
