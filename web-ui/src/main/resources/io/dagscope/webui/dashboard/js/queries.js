/*
 * The dashboard's GraphQL operations, each written without its keyword: they run as subscriptions over the
 * WebSocket, or as queries when polling (see graphql.js). One root field each, as a subscription requires.
 */

export const DEFAULT_WINDOW = `DefaultWindow { windowOf { start end hours } }`;

export const SUMMARY = `Summary($window: WindowInput, $tenant: String, $dag: String) {
  taskSummary(window: $window, tenant: $tenant, dagName: $dag) {
    windowStart windowEnd
    window { succeeded failed retried errorRate avgDurationSeconds p95DurationSeconds durations }
  }
}`;

export const PREVIOUS_SUMMARY = SUMMARY.replace('Summary(', 'PreviousSummary(');

export const RUN_COUNTS = `RunCounts($stale: Float, $tenant: String, $dag: String) {
  runCounts(staleAfterHours: $stale, tenant: $tenant, dagName: $dag) { asOf running paused stale }
}`;

export const SERIES = `Series($window: WindowInput, $tenant: String, $dag: String) {
  taskSeries(window: $window, tenant: $tenant, dagName: $dag) {
    windowStart windowEnd bucketMinutes
    buckets {
      start end runsStarted
      stats { succeeded failed retried errorRate p50DurationSeconds p95DurationSeconds }
    }
  }
}`;

export const RUNS = `Runs($first: Int, $after: String, $filter: DagRunFilter) {
  dagRuns(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id dagName tenant status startedAt endedAt durationSeconds lastEventAt
        tasksSucceeded tasksFailed tasksRetried error
      }
    }
  }
}`;

export const NEWEST_RUN = `NewestRun {
  dagRuns(first: 1) { edges { node { id lastEventAt } } }
}`;

export const RUN = `Run($id: ID!) {
  dagRun(id: $id) {
    id dagName tenant status startedAt endedAt durationSeconds taskCount lastEventAt inferred
    tasksSucceeded tasksFailed tasksRetried error
    tasks {
      taskId status startedAt endedAt durationSeconds attempts error checkpoint
      retries { at attempt error }
    }
  }
}`;

export const TENANT_LOAD = `TenantLoad($window: WindowInput) {
  tenantLoad(window: $window) { tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds }
}`;

export const SCHEDULES = `Schedules($window: WindowInput) {
  schedules(window: $window) {
    id tenant dagPath cron cronDescription enabled error
    lastRunAt lastStatus nextRunAt missedRuns
    enqueued started finished succeeded failed retried avgDurationSeconds
    recentOutcomes { at status durationSeconds }
  }
}`;

export const FAILURES = `Failures($window: WindowInput, $tenant: String, $dag: String) {
  failures(window: $window, tenant: $tenant, dagName: $dag, first: 20) {
    signature exampleError count firstSeen lastSeen dags tenants exampleRunId exampleTaskId
  }
}`;

export const SOURCES = `Sources {
  sources {
    name kind location healthy error eventsRead linesSkipped ignored firstEventAt lastEventAt lagBytes lagObjects
    skippedByReason { reason count }
  }
}`;

export const TENANTS = `Tenants { tenants }`;

export const DAG_NAMES = `DagNames { dagNames }`;
