import Testing

/// Every end-to-end suite starts real processes (coordinator, workers, vLLM servers, sidecars).
/// On a 2-core machine they must not run at once, or start-up and heartbeat timings stop meaning
/// anything: nesting them here, `.serialized`, runs them one after another.
@Suite(.serialized) enum Processes {}
