/** Every GraphQL document the dashboard sends, in one place. */
export const JOB_SUMMARY = `id status origin { type name } submittedAt startedAt finishedAt error
  progress { stepsFinished stepsTotal }`;

export const JOB_DETAIL = `${JOB_SUMMARY} retryOf logCount timeoutSeconds spec { document }
  steps { name componentName kind status rowsIn rowsOut startedAt finishedAt error result
    progress { label done total } }`;

export const JOBS = `query ($status: [JobStatus!], $origin: String, $first: Int, $after: String) {
  jobs(status: $status, origin: $origin, first: $first, after: $after) {
    nodes { ${JOB_SUMMARY} } pageInfo { endCursor hasNextPage } } }`;

export const JOB_STATS = `query ($since: DateTime) { jobStats(since: $since) {
  waiting running finished failed cancelled } }`;

export const JOB = `query ($id: ID!) { job(id: $id) { ${JOB_DETAIL} } }`;

export const JOB_EVENTS = `subscription { jobEvents { change job { ${JOB_SUMMARY} } } }`;

export const JOB_STATUS = `subscription ($id: ID!) { jobStatus(id: $id) { change job { ${JOB_DETAIL} } } }`;

export const JOB_LOGS = `subscription ($id: ID!, $after: Int) {
  jobLogs(id: $id, after: $after) { cursor lines { seq time level step message } } }`;

export const CANCEL_JOB = `mutation ($id: ID!) { cancelJob(id: $id, reason: "cancelled from the dashboard") {
  __typename ... on Job { id status } ... on Error { message } } }`;

export const RETRY_JOB = `mutation ($id: ID!) { retryJob(id: $id) {
  __typename ... on Job { id status } ... on Error { message } } }`;

export const SCHEDULES = `{ schedules { name file enabled paused error
  trigger { type definition timeZone description } nextRunTimes(count: 5)
  lastJob { id status submittedAt } runningJobIds partitions { lag } } }`;

export const PARTITIONS = `query ($schedule: String!, $from: Date!, $to: Date!) {
  partitions(schedule: $schedule, from: $from, to: $to) { partition status rowsWritten job { id } } }`;

export const START_BACKFILL = `mutation ($schedule: String!, $from: Date!, $to: Date!) {
  backfill(schedule: $schedule, from: $from, to: $to) {
    __typename ... on Backfill { id total } ... on Error { message } } }`;

export const BACKFILL_PROGRESS = `subscription ($id: ID!) { backfillProgress(id: $id) {
  total done failed running waiting backfill { id status error } } }`;

export const RUN_SCHEDULE = `mutation ($name: String!) { runSchedule(name: $name) {
  __typename ... on Job { id } ... on Error { message } } }`;

export const PAUSE_SCHEDULE = `mutation ($name: String!) { pauseSchedule(name: $name) {
  __typename ... on Schedule { name paused } ... on Error { message } } }`;

export const RESUME_SCHEDULE = `mutation ($name: String!) { resumeSchedule(name: $name) {
  __typename ... on Schedule { name paused } ... on Error { message } } }`;

export const STORAGE_TARGETS = `{ storageTargets { name dialect reachable isControl location error checkedAt
  tables { table rows rowsExact totalBytes } } }`;

export const TRADE_DAYS = `query ($from: Date!, $to: Date!) { tradeDays(from: $from, to: $to) { date isTradingDay } }`;

export const BAR_COVERAGE = `query ($from: Date!, $to: Date!, $target: String) {
  barCoverage(from: $from, to: $to, target: $target) { day target expected stored } }`;

/** Which query and mutation fields the server has: pages show what exists (see README.md). */
export const API_FIELDS = `{ query: __type(name: "Query") { fields { name } }
  mutation: __type(name: "Mutation") { fields { name } } }`;
