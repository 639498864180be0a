package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.generator.Fleet.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fleet has the tenants and DAGs asked for, and enough schedules for the density asked for. */
class FleetTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(doubles = {30, 120, 1000, 5000})
    void schedulesAreSizedForTheRate(double rate) {
        Fleet fleet = Fleet.build(LogFormat.NEW, 5, 8, rate, new Rng(1));
        assertEquals(rate, fleet.estimatedRatePerMinute(), rate * 0.05);
        Set<String> ids = new HashSet<>();
        fleet.schedules().forEach(s -> assertTrue(ids.add(s.id()), "unique ids: " + s.id()));
        assertEquals(Set.copyOf(fleet.tenants()), fleet.schedules().stream().map(Schedule::tenant)
                .collect(Collectors.toSet()), "every tenant has a schedule");
        assertEquals(fleet.dags().stream().filter(d -> d.checkpointIndex().isEmpty()).map(DagTemplate::name)
                .collect(Collectors.toSet()), fleet.schedules().stream().map(s -> s.dag().name())
                .collect(Collectors.toSet()), "every DAG the scheduler can run has a schedule");
    }

    @Test
    void nightlyDagsStayNightlyWhateverTheRate() {
        Fleet fleet = Fleet.build(LogFormat.NEW, 5, 13, 20_000, new Rng(1));
        for (Schedule s : fleet.schedules()) {
            if (s.dag().cadence() == DagTemplate.Cadence.DAILY) {
                assertEquals(1440, Math.round(1 / s.cron().runsPerMinute()), s.id() + " " + s.cron().expression());
            }
        }
    }

    @Test
    void manyTenantsAndDagsGetNumberedNames() {
        Fleet fleet = Fleet.build(LogFormat.OLD, 25, 30, 120, new Rng(1));
        assertEquals(25, fleet.tenants().size());
        assertEquals("tenant-025", fleet.tenants().get(24));
        assertEquals(30, fleet.dags().size());
        assertEquals(30, fleet.dags().stream().map(DagTemplate::name).distinct().count());
        assertTrue(fleet.dags().stream().noneMatch(d -> d.checkpointIndex().isPresent()), "no checkpoints in old");
        assertTrue(fleet.externalCrons().isEmpty());
    }

    @Test
    void theGeneratedDensityIsCloseToTheEstimate() throws IOException {
        Instant start = Instant.parse("2025-05-05T05:05:00Z");
        GenerationReport r = LogGenerator.create(GeneratorOptions.builder().start(start).days(0.25)
                .ratePerMinute(1000).build(), Clock.systemUTC()).writeHistory(tmp, false);
        double perMinute = r.totalLines() / (double) Duration.ofHours(6).toMinutes();
        assertEquals(1000, perMinute, 100, "lines a minute");
        assertEquals(List.of("dag_start", "task_start"), r.linesByEvent().keySet().stream().limit(2).toList());
    }
}
