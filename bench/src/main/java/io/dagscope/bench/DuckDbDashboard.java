package io.dagscope.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's numbers computed by DuckDB, in SQL over its JSON reader ({@code read_ndjson}) of the same logs,
 * independently of dagscope's code: METRICS.md's definitions written as SQL.
 *
 * <p>File order: each log is read {@code WITH ORDINALITY}, and that number is the line order METRICS.md's task
 * durations need ("the latest earlier {@code task_start} of the same task in the same run, in file order"). That the
 * number really is the line number is checked, not assumed: {@link #orderChecksum} is compared with a checksum of the
 * file computed by a plain line scan ({@link LineOrderChecksum}).
 *
 * <p>Runs are identified by {@code dag_run_id}: the SQL does not infer runs, so it answers logs of the newer format
 * only, and refuses a runner event without a run id ({@link UnsupportedLogException}).
 */
public final class DuckDbDashboard implements AutoCloseable {

    /** Each timestamp enters the order checksum modulo this prime (just above a million). */
    public static final long ORDER_MODULUS = 1_000_003L;
    /** The order checksum is kept modulo this prime (2^61 - 1), so it never overflows. */
    public static final long CHECKSUM_MODULUS = 2_305_843_009_213_693_951L;

    private static final String RUNNER_TYPES = "'dag_start', 'dag_done', 'checkpoint_pending', "
            + "'checkpoint_approved', 'task_start', 'task_retry', 'task_ok', 'task_fail'";
    private static final String TASK_TYPES = "'task_start', 'task_retry', 'task_ok', 'task_fail'";
    private static final String SCHEDULE_TYPES = "'schedule_enqueued', 'run_started', 'run_finished'";
    /** A line that is an event (EVENTS.md): a timestamp, an event, and the field that places a known event. */
    private static final String IS_EVENT = "us IS NOT NULL AND event IS NOT NULL"
            + " AND NOT (event IN (" + RUNNER_TYPES + ") AND dag_name IS NULL)"
            + " AND NOT (event IN (" + TASK_TYPES + ") AND task_id IS NULL)"
            + " AND NOT (event IN (" + SCHEDULE_TYPES + ") AND schedule_id IS NULL)";
    private static final String COLUMNS = "columns = {'timestamp': 'VARCHAR', 'event': 'VARCHAR', "
            + "'dag_name': 'VARCHAR', 'dag_run_id': 'VARCHAR', 'task_id': 'VARCHAR', 'tenant': 'VARCHAR', "
            + "'task_count': 'BIGINT', 'tasks_failed': 'BIGINT', 'checkpoint_id': 'VARCHAR', 'error': 'VARCHAR', "
            + "'schedule_id': 'VARCHAR', 'status': 'VARCHAR', 'duration_seconds': 'DOUBLE'}";

    private final Connection connection;
    private long loadNanos;
    private long queryNanos;

    /**
     * Opens an in-memory DuckDB.
     *
     * @param threads DuckDB's {@code threads} setting
     * @throws SQLException if DuckDB cannot start
     */
    public DuckDbDashboard(int threads) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
        execute("SET threads = " + threads);
        execute("SET TimeZone = 'UTC'");
        execute("SET preserve_insertion_order = true");
    }

    /**
     * @return DuckDB's version, as {@code SELECT version()} says
     * @throws SQLException if DuckDB fails
     */
    public String version() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** @return the time the last {@link #answers} spent reading the logs into tables, in nanoseconds */
    public long loadNanos() {
        return loadNanos;
    }

    /** @return the time the last {@link #answers} spent in the queries after loading, in nanoseconds */
    public long queryNanos() {
        return queryNanos;
    }

    /**
     * Reads the logs and computes every number of {@link Answers}.
     *
     * @param events the runner log
     * @param state the state log
     * @param definedSchedules the ids of the schedule definitions (a defined schedule is listed even without events)
     * @param hours the window's length
     * @param end the window's end (rounded down to the minute)
     * @return the answers
     * @throws SQLException if DuckDB fails
     * @throws UnsupportedLogException if a runner event has no {@code dag_run_id}
     */
    public Answers answers(Path events, Path state, List<String> definedSchedules, double hours, Instant end)
            throws SQLException {
        long t0 = System.nanoTime();
        execute("DROP TABLE IF EXISTS ev");
        execute("DROP TABLE IF EXISTS st");
        execute("CREATE TEMP TABLE ev AS " + readLog(events));
        execute("CREATE TEMP TABLE st AS " + readLog(state));
        long t1 = System.nanoTime();
        Answers answers = query(definedSchedules, hours, end);
        long t2 = System.nanoTime();
        loadNanos = t1 - t0;
        queryNanos = t2 - t1;
        return answers;
    }

    /**
     * The order checksum of a log loaded by the last {@link #answers}: the sum over its rows of row number times
     * (timestamp in epoch microseconds mod {@value #ORDER_MODULUS}), mod {@value #CHECKSUM_MODULUS}. Equal to {@link LineOrderChecksum}'s only if the
     * row numbers are the line numbers.
     *
     * @param runnerLog true for the runner log, false for the state log
     * @return the checksum
     * @throws SQLException if DuckDB fails
     */
    public long orderChecksum(boolean runnerLog) throws SQLException {
        return single("SELECT coalesce((sum(rn * (us % " + ORDER_MODULUS + ")) % " + CHECKSUM_MODULUS
                + ")::BIGINT, 0) FROM "
                + (runnerLog ? "ev" : "st") + " WHERE us IS NOT NULL");
    }

    private static String readLog(Path file) {
        String path = file.toAbsolutePath().toString().replace("'", "''");
        return "SELECT ordinality AS rn, epoch_us(TRY_CAST(\"timestamp\" AS TIMESTAMPTZ)) AS us, * EXCLUDE (ordinality) "
                + "FROM read_ndjson('" + path + "', " + COLUMNS + ") WITH ORDINALITY";
    }

    private Answers query(List<String> definedSchedules, double hours, Instant end) throws SQLException {
        long endMicros = Math.floorDiv(micros(end), 60_000_000L) * 60_000_000L;
        long startMicros = Math.floorDiv(endMicros - Math.round(hours * 3_600_000_000.0), 60_000_000L)
                * 60_000_000L;
        String inWindow = " us >= " + startMicros + " AND us < " + endMicros + " ";

        long events = single("SELECT (SELECT count(*) FROM ev WHERE " + IS_EVENT + ") "
                + "+ (SELECT count(*) FROM st WHERE " + IS_EVENT + ")");
        execute("CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM ev WHERE " + IS_EVENT + " AND event IN ("
                + RUNNER_TYPES + ")");
        long withoutRunId = single("SELECT count(*) FROM r WHERE dag_run_id IS NULL");
        if (withoutRunId > 0) {
            throw new UnsupportedLogException(withoutRunId + " runner events have no dag_run_id: the SQL side of the "
                    + "benchmark reads logs of the newer format only (it does not infer runs)");
        }
        // each task_ok/task_fail with its duration: minus the latest earlier task_start of the task in its run
        execute("CREATE OR REPLACE TEMP TABLE fin AS SELECT dag_run_id, event, us, dur FROM ("
                + " SELECT dag_run_id, event, us, us - last_value(CASE WHEN event = 'task_start' THEN us END"
                + "  IGNORE NULLS) OVER (PARTITION BY dag_run_id, task_id ORDER BY rn"
                + "  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS dur"
                + " FROM r WHERE event IN ('task_start', 'task_ok', 'task_fail'))"
                + " WHERE event IN ('task_ok', 'task_fail')");
        Answers.Stats allTime = stats("");
        Answers.Stats window = stats(" AND " + inWindow);

        execute("CREATE OR REPLACE TEMP TABLE expiry AS SELECT x.dag_run_id, max(x.us) AS us,"
                + " arg_max(x.checkpoint_id, x.us) AS checkpoint_id"
                + " FROM (SELECT * FROM st WHERE " + IS_EVENT + " AND event = 'checkpoint_expired') x"
                + " ASOF JOIN r e ON x.dag_run_id = e.dag_run_id AND x.us >= e.us"
                + " WHERE e.event = 'checkpoint_pending' AND e.checkpoint_id = x.checkpoint_id"
                + " GROUP BY x.dag_run_id");
        execute("CREATE OR REPLACE TEMP TABLE runs AS SELECT id, dag_name, tenant, started_us, task_count, ok, failed,"
                + " retried, status,"
                + " CASE WHEN status IN ('FAILED', 'SUCCEEDED') THEN"
                + "   CASE WHEN exp_us IS NULL THEN end_us WHEN end_us IS NULL THEN exp_us"
                + "   ELSE greatest(end_us, exp_us) END END AS ended_us,"
                + " CASE WHEN exp_us IS NOT NULL AND (fail_us IS NULL OR exp_us > fail_us)"
                + "   THEN 'checkpoint ' || exp_checkpoint || ' expired' ELSE fail_error END AS error"
                + " FROM (SELECT *, CASE WHEN fail_flag OR exp_us IS NOT NULL THEN 'FAILED'"
                + "   WHEN last_event = 'dag_done' THEN 'SUCCEEDED'"
                + "   WHEN last_event = 'checkpoint_pending' THEN 'PAUSED' ELSE 'RUNNING' END AS status"
                + "  FROM (SELECT r.dag_run_id AS id, arg_min(dag_name, rn) AS dag_name,"
                + "    coalesce(min(r.us) FILTER (WHERE event = 'dag_start'), min(r.us)) AS started_us,"
                + "    coalesce(arg_min(tenant, rn) FILTER (WHERE event = 'dag_start'),"
                + "             arg_min(tenant, rn) FILTER (WHERE event = 'dag_done'), 'local-dev') AS tenant,"
                + "    arg_min(task_count, rn) FILTER (WHERE event = 'dag_start') AS task_count,"
                + "    count(*) FILTER (WHERE event = 'task_ok') AS ok,"
                + "    count(*) FILTER (WHERE event = 'task_fail') AS failed,"
                + "    count(*) FILTER (WHERE event = 'task_retry') AS retried,"
                + "    count(*) FILTER (WHERE event = 'task_fail') > 0"
                + "      OR coalesce(bool_or(event = 'dag_done' AND tasks_failed > 0), false) AS fail_flag,"
                + "    arg_max(event, (r.us, rn)) AS last_event,"
                + "    max(r.us) FILTER (WHERE event IN ('dag_done', 'task_fail')) AS end_us,"
                + "    max(r.us) FILTER (WHERE event = 'task_fail') AS fail_us,"
                + "    arg_max(error, (r.us, rn)) FILTER (WHERE event = 'task_fail') AS fail_error,"
                + "    any_value(x.us) AS exp_us, any_value(x.checkpoint_id) AS exp_checkpoint"
                + "   FROM r LEFT JOIN expiry x ON r.dag_run_id = x.dag_run_id GROUP BY r.dag_run_id))");
        long totalRuns = single("SELECT count(*) FROM runs");
        List<Answers.Run> newest = newestRuns(Answers.NEWEST_RUNS);

        List<Answers.Tenant> tenants = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("WITH"
                        + " started AS (SELECT tenant, count(*) AS runs FROM runs"
                        + "   WHERE started_us >= " + startMicros + " AND started_us < " + endMicros
                        + "   GROUP BY tenant),"
                        + " finished AS (SELECT runs.tenant, count(*) AS tasks,"
                        + "   count(*) FILTER (WHERE fin.event = 'task_fail') AS failed, avg(dur) AS avg_us,"
                        + "   quantile_disc(dur, 0.95) AS p95_us"
                        + "   FROM fin JOIN runs ON fin.dag_run_id = runs.id WHERE" + inWindow.replace("us", "fin.us")
                        + "   GROUP BY runs.tenant)"
                        + " SELECT coalesce(started.tenant, finished.tenant) AS tenant, coalesce(runs, 0) AS runs,"
                        + "  coalesce(tasks, 0) AS tasks, coalesce(failed, 0), avg_us, p95_us"
                        + " FROM started FULL OUTER JOIN finished ON started.tenant = finished.tenant"
                        + " ORDER BY runs DESC, tenant ASC")) {
            while (rs.next()) {
                long tasks = rs.getLong(3);
                long failed = rs.getLong(4);
                tenants.add(new Answers.Tenant(rs.getString(1), rs.getLong(2), tasks,
                        tasks == 0 ? 0.0 : (double) failed / tasks, seconds(rs, 5), seconds(rs, 6)));
            }
        }

        List<Answers.Schedule> schedules = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("WITH"
                        + " defined AS (" + definedIds(definedSchedules) + "),"
                        + " counted AS (SELECT schedule_id AS id,"
                        + "   count(*) FILTER (WHERE event = 'schedule_enqueued') AS enqueued,"
                        + "   count(*) FILTER (WHERE event = 'run_started') AS started,"
                        + "   count(*) FILTER (WHERE event = 'run_finished') AS finished,"
                        + "   count(*) FILTER (WHERE event = 'run_finished' AND status = 'success') AS succeeded,"
                        + "   count(*) FILTER (WHERE event = 'run_finished' AND status = 'failed') AS failed,"
                        + "   count(*) FILTER (WHERE event = 'run_finished' AND status = 'retry') AS retried,"
                        + "   avg(duration_seconds) FILTER (WHERE event = 'run_finished') AS avg_duration,"
                        + "   max(us) FILTER (WHERE event = 'run_started') AS last_run_us,"
                        + "   arg_max(status, (us, rn)) FILTER (WHERE event = 'run_finished') AS last_status"
                        + "   FROM st WHERE " + IS_EVENT + " AND event IN (" + SCHEDULE_TYPES + ")"
                        + "   GROUP BY schedule_id)"
                        + " SELECT coalesce(counted.id, defined.id) AS id, coalesce(enqueued, 0), coalesce(started, 0),"
                        + "  coalesce(finished, 0), coalesce(succeeded, 0), coalesce(failed, 0), coalesce(retried, 0),"
                        + "  avg_duration, last_run_us, last_status"
                        + " FROM counted FULL OUTER JOIN defined ON counted.id = defined.id ORDER BY id")) {
            while (rs.next()) {
                Object avg = rs.getObject(8);
                schedules.add(new Answers.Schedule(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), avg == null ? null : ((Number) avg).doubleValue(),
                        longOrNull(rs, 9), rs.getString(10)));
            }
        }
        return new Answers(events, startMicros, endMicros, allTime, window, tenants, totalRuns, newest, schedules);
    }

    /**
     * The newest runs of the logs loaded by the last {@link #answers}, computed as for {@link Answers#newestRuns()}.
     *
     * @param limit how many
     * @return the runs, newest first (ties: id ascending)
     * @throws SQLException if DuckDB fails
     */
    public List<Answers.Run> newestRuns(int limit) throws SQLException {
        List<Answers.Run> newest = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, dag_name, tenant, status, started_us, ended_us, task_count,"
                        + " ok, failed, retried, error FROM runs ORDER BY started_us DESC, id ASC LIMIT " + limit)) {
            while (rs.next()) {
                long started = rs.getLong(5);
                Long ended = longOrNull(rs, 6);
                newest.add(new Answers.Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        started, ended, ended == null ? null : (ended - started) / 1e6, intOrNull(rs, 7),
                        rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11)));
            }
        }
        return newest;
    }

    private Answers.Stats stats(String andWindow) throws SQLException {
        long started;
        long succeeded;
        long failed;
        long retried;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE event = 'task_start'),"
                        + " count(*) FILTER (WHERE event = 'task_ok'), count(*) FILTER (WHERE event = 'task_fail'),"
                        + " count(*) FILTER (WHERE event = 'task_retry') FROM r WHERE event IN (" + TASK_TYPES + ")"
                        + andWindow)) {
            rs.next();
            started = rs.getLong(1);
            succeeded = rs.getLong(2);
            failed = rs.getLong(3);
            retried = rs.getLong(4);
        }
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(dur), avg(dur), quantile_disc(dur, 0.5),"
                        + " quantile_disc(dur, 0.95), quantile_disc(dur, 0.99) FROM fin WHERE dur IS NOT NULL"
                        + andWindow)) {
            rs.next();
            long finished = succeeded + failed;
            return new Answers.Stats(started, succeeded, failed, retried,
                    finished == 0 ? 0.0 : (double) failed / finished, rs.getLong(1), seconds(rs, 2), seconds(rs, 3),
                    seconds(rs, 4), seconds(rs, 5));
        }
    }

    private static String definedIds(List<String> ids) {
        if (ids.isEmpty()) {
            return "SELECT NULL::VARCHAR AS id WHERE false";
        }
        StringBuilder b = new StringBuilder("SELECT * FROM (VALUES ");
        for (int i = 0; i < ids.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("('").append(ids.get(i).replace("'", "''")).append("')");
        }
        return b.append(") AS d(id)").toString();
    }

    private static Double seconds(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : ((Number) v).doubleValue() / 1e6;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : ((Number) v).longValue();
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : ((Number) v).intValue();
    }

    private long single(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** A log the SQL side cannot answer (one without run ids). */
    public static final class UnsupportedLogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedLogException(String message) {
            super(message);
        }
    }
}
