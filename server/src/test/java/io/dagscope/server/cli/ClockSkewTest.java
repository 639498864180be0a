package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.server.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clock skew on the command line and in the config file: lines stamped further ahead of this machine's clock (or
 * of {@code --end}, when later) are skipped as {@code future_timestamp}; a bad value is a usage error naming the flag.
 */
class ClockSkewTest {

    private static final String QUERY = "{ sources { eventsRead skippedByReason { reason count } } "
            + "taskSummary { allTime { started } } }";

    @TempDir
    Path tmp;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** A task start now, one 2 h ahead, one 30 h ahead and one in 2031. */
    private Path log() throws IOException {
        return Files.write(tmp.resolve("events.jsonl"), List.of(start(now), start(now.plus(Duration.ofHours(2))),
                start(now.plus(Duration.ofHours(30))), start(Instant.parse("2031-01-01T00:00:00Z"))));
    }

    private static String start(Instant at) {
        return "{\"timestamp\": \"" + at + "\", \"event\": \"task_start\", \"dag_name\": \"d\", \"task_id\": \"t\"}";
    }

    private JsonNode query(String... flags) throws IOException {
        // no state log: --allow-partial accepts the answer without it (issue 17 made that exit 4 by default)
        String[] args = new String[flags.length + 7];
        args[0] = "query";
        args[1] = "--allow-partial";
        args[2] = "--events";
        args[3] = log().toString();
        args[4] = "--state";
        args[5] = tmp.resolve("none.jsonl").toString();
        System.arraycopy(flags, 0, args, 6, flags.length);
        args[args.length - 1] = QUERY;
        return CliRun.run(args).data();
    }

    private static long future(JsonNode data) {
        for (JsonNode c : data.at("/sources/0/skippedByReason")) {
            if (c.get("reason").asText().equals("future_timestamp")) {
                return c.get("count").asLong();
            }
        }
        return 0;
    }

    @Test
    void aDayIsBelievedByDefaultAndTheFlagChangesIt() throws IOException {
        JsonNode byDefault = query();
        assertEquals(2, byDefault.at("/taskSummary/allTime/started").asLong(), byDefault.toString());
        assertEquals(2, future(byDefault));

        JsonNode tight = query("--clock-skew-hours", "1");
        assertEquals(1, tight.at("/taskSummary/allTime/started").asLong(), tight.toString());
        assertEquals(3, future(tight));

        JsonNode wide = query("--clock-skew-hours", "876000");
        assertEquals(4, wide.at("/taskSummary/allTime/started").asLong(), wide.toString());
        assertEquals(0, future(wide));
    }

    @Test
    void anEndLaterThanTheClockIsNowForTheSkew() throws IOException {
        // logs generated for a future date, read as of their own time
        JsonNode d = query("--end", "2031-01-01T12:00:00Z", "--clock-skew-hours", "0");
        assertEquals(4, d.at("/taskSummary/allTime/started").asLong(), d.toString());
    }

    @Test
    void theConfigFileGivesItAndTheFlagWins() throws IOException {
        Path config = Files.writeString(tmp.resolve("dagscope.yaml"), "clock_skew_hours: 48\n");
        assertEquals(3, query("--config", config.toString()).at("/taskSummary/allTime/started").asLong());
        assertEquals(1, query("--config", config.toString(), "--clock-skew-hours", "0")
                .at("/taskSummary/allTime/started").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1", "1.5", "876001", ""})
    void aBadValueIsAUsageErrorNamingTheFlagAndTheAllowedValues(String value) throws IOException {
        CliRun r = CliRun.run("query", "--events", log().toString(), "--clock-skew-hours", value, QUERY);
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--clock-skew-hours must be a whole number from 0 to 876000"), r.stderr());
    }
}
