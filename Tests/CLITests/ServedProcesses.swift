import Testing

/// The suites that start processes of their own (`cordon serve`, a browser, Prometheus, a
/// PostgreSQL): one test at a time, so that on a 2-core machine also running every other suite
/// none waits so long for the CPU that its deadlines fire.
@Suite(.serialized) enum ServedProcesses {}
