package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.time.Timestamps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An engine's state written and read back into a new engine (as a snapshot and a restart do), at random points of
 * the fold, once or several times: the restored engine then answers every query exactly as one that never stopped,
 * and goes on folding exactly as it would have. On random logs with and without run ids, one to three runner sources,
 * disorder and lost lines, late reads into sealed days, runs past retention, with the history on the heap or in files.
 */
class StateRoundTripTest {

    private static final Instant NOW = Timestamps.toInstant(RandomLogs.BASE + 6 * 24 * 60 * RandomLogs.MINUTE);

    @TempDir
    Path dir;

    /** How the events reach the engines. */
    enum Scenario {
        /** Sources read in a random interleaving of uneven batches. */
        INTERLEAVED,
        /** Each source read whole, one after another: later sources write into sealed days. */
        LATE,
        /** Retention binds (a day, beyond the newest 40 runs); small batches in time order. */
        RETENTION
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 1; seed <= 8; seed++) {
            for (RandomLogs.Ids ids : RandomLogs.Ids.values()) {
                for (Scenario scenario : Scenario.values()) {
                    out.add(Arguments.of(seed, ids, scenario, seed % 2 == 0 ? "files" : "heap"));
                }
            }
        }
        return out;
    }

    /** A source's batch: its events [from, to). */
    private record Batch(String source, int from, int to) {
    }

    @ParameterizedTest(name = "seed {0}, run ids {1}, {2}, history {3}")
    @MethodSource("cases")
    void aRestoredEngineAnswersAndFoldsOnAsOneThatNeverStopped(long seed, RandomLogs.Ids ids, Scenario scenario,
            String history) throws IOException {
        Random rnd = new Random(seed * 104_729 + scenario.ordinal() * 17 + ids.ordinal());
        RandomLogs.Logs logs = new RandomLogs(seed, ids, 11, 4, true, true).generate(320);
        Map<String, List<Event>> sources = sources(logs, rnd);
        List<Batch> plan = plan(sources, scenario, rnd);
        EngineSettings settings = scenario == Scenario.RETENTION
                ? EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 40)
                : EngineSettings.DEFAULTS.withRetention(Duration.ZERO, Integer.MAX_VALUE);

        AnalyticsEngine whole = engine(settings, new HeapHistoryStore());
        Map<String, SourceFeed> wholeFeeds = new HashMap<>();
        for (Batch b : plan) {
            deliver(wholeFeeds.computeIfAbsent(b.source(), whole::feed), sources.get(b.source()), b);
        }

        // stopped and restored at one to three random points, each into a new engine
        List<Integer> stops = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            stops.add(rnd.nextInt(plan.size() + 1));
        }
        Collections.sort(stops);
        AnalyticsEngine engine = engine(settings, store(history, 0));
        Map<String, SourceFeed> feeds = new HashMap<>();
        int restarts = 0;
        for (int i = 0; i <= plan.size(); i++) {
            while (restarts < stops.size() && stops.get(restarts) == i) {
                restarts++;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                engine.writeState(bytes);
                AnalyticsEngine restored = engine(settings, store(history, restarts));
                restored.readState(new ByteArrayInputStream(bytes.toByteArray()));
                engine.close();
                engine = restored;
                feeds.clear();
            }
            if (i < plan.size()) {
                Batch b = plan.get(i);
                AnalyticsEngine e = engine;
                deliver(feeds.computeIfAbsent(b.source(), e::feed), sources.get(b.source()), b);
            }
        }
        // the sources not fed since the last restart are claimed too (as a server's sources are)
        for (String name : sources.keySet()) {
            feeds.computeIfAbsent(name, engine::feed);
        }

        String where = stops + " of " + plan.size() + " batches: ";
        if (scenario == Scenario.RETENTION) {
            assertTrue(whole.stats().runsKept() < 160, "retention dropped runs: " + whole.stats().runsKept() + " kept");
        }
        MergeMatchesOneFoldTest.assertSameAnswers(whole, engine, rnd, where);
        assertEquals(whole.stats().eventsApplied(), engine.stats().eventsApplied(), where + "events applied");
        assertEquals(whole.stats().runsKept(), engine.stats().runsKept(), where + "runs kept");
        assertEquals(whole.stats().runsDropped(), engine.stats().runsDropped(), where + "runs dropped");
        assertEquals(whole.stats().cellsSealed(), engine.stats().cellsSealed(), where + "cells sealed");
        // the same batches folded: the times runs reached an end too, which the runs kept cannot give again
        Duration stale = Duration.ofHours(1);
        assertEquals(whole.fleetFigures(stale), engine.fleetFigures(stale), where + "fleet figures");
        whole.close();
        engine.close();
    }

    @Test
    void aStateIsReadOnlyIntoANewEngineOfTheSameRetention() throws IOException {
        RandomLogs.Logs logs = new RandomLogs(3, RandomLogs.Ids.MIXED).generate(50);
        AnalyticsEngine engine = engine(EngineSettings.DEFAULTS, new HeapHistoryStore());
        SourceFeed feed = engine.feed("events");
        logs.runner().forEach(feed::accept);
        feed.flush();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        engine.writeState(bytes);
        byte[] state = bytes.toByteArray();

        IllegalStateException used = assertThrows(IllegalStateException.class,
                () -> engine.readState(new ByteArrayInputStream(state)));
        assertTrue(used.getMessage().contains("new engine"), used.getMessage());

        AnalyticsEngine other = engine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 10),
                new HeapHistoryStore());
        IllegalArgumentException retention = assertThrows(IllegalArgumentException.class,
                () -> other.readState(new ByteArrayInputStream(state)));
        assertTrue(retention.getMessage().contains("--retain-days"), retention.getMessage());

        byte[] cut = java.util.Arrays.copyOf(state, state.length / 2);
        AnalyticsEngine third = engine(EngineSettings.DEFAULTS, new HeapHistoryStore());
        assertThrows(IOException.class, () -> third.readState(new ByteArrayInputStream(cut)));

        SourceFeed unflushed = engine.feed("state");
        unflushed.accept(logs.state().get(0));
        IllegalStateException buffered = assertThrows(IllegalStateException.class,
                () -> engine.writeState(new ByteArrayOutputStream()));
        assertTrue(buffered.getMessage().contains("'state'"), buffered.getMessage());
        engine.close();
    }

    private HistoryStore store(String kind, int n) {
        return kind.equals("files") ? FileHistoryStore.open(dir.resolve("history-" + n)) : new HeapHistoryStore();
    }

    private static AnalyticsEngine engine(EngineSettings settings, HistoryStore store) {
        AnalyticsEngine engine = new AnalyticsEngine(settings, Clock.fixed(NOW, ZoneOffset.UTC), store,
                Clock.fixed(NOW, ZoneOffset.UTC));
        engine.defineSchedules(List.of(
                new ScheduleDefinition("sched0", Optional.of("*/5 * * * *"), Optional.empty(), Optional.empty(), true,
                        "test")), expr -> EngineMatchesReferenceTest.EVERY_FIVE_MINUTES);
        return engine;
    }

    /** The runner log cut into one to three sources at random lines; the state log one source. */
    private static Map<String, List<Event>> sources(RandomLogs.Logs logs, Random rnd) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        List<Event> runner = logs.runner();
        List<Integer> at = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            at.add(rnd.nextInt(runner.size()));
        }
        Collections.sort(at);
        at.add(runner.size());
        int from = 0;
        for (int i = 0; i < at.size(); i++) {
            out.put(i == 0 ? "events" : "events-" + (i + 1), runner.subList(from, at.get(i)));
            from = at.get(i);
        }
        out.put("state", logs.state());
        return out;
    }

    private static List<Batch> plan(Map<String, List<Event>> sources, Scenario scenario, Random rnd) {
        List<Batch> plan = new ArrayList<>();
        List<String> names = new ArrayList<>(sources.keySet());
        Collections.shuffle(names, rnd);
        Map<String, Integer> next = new HashMap<>();
        names.forEach(n -> next.put(n, 0));
        switch (scenario) {
            case LATE -> {
                for (String name : names) {
                    for (int i = 0; i < sources.get(name).size(); ) {
                        int to = Math.min(sources.get(name).size(), i + 1 + rnd.nextInt(200));
                        plan.add(new Batch(name, i, to));
                        i = to;
                    }
                }
            }
            case INTERLEAVED -> {
                List<String> left = new ArrayList<>(names);
                while (!left.isEmpty()) {
                    String name = left.get(rnd.nextInt(left.size()));
                    int from = next.get(name);
                    int to = Math.min(sources.get(name).size(), from + 1 + rnd.nextInt(300));
                    plan.add(new Batch(name, from, to));
                    next.put(name, to);
                    if (to == sources.get(name).size()) {
                        left.remove(name);
                    }
                }
            }
            case RETENTION -> {
                // in time order across sources, each source's own order kept, in small batches
                while (true) {
                    String first = null;
                    long at = Long.MAX_VALUE;
                    for (String name : names) {
                        int i = next.get(name);
                        if (i < sources.get(name).size() && sources.get(name).get(i).timestampMicros() < at) {
                            at = sources.get(name).get(i).timestampMicros();
                            first = name;
                        }
                    }
                    if (first == null) {
                        break;
                    }
                    int i = next.get(first);
                    int to = i + 1;
                    List<Event> events = sources.get(first);
                    int size = 1 + rnd.nextInt(20);
                    while (to < events.size() && to - i < size) {
                        to++;
                    }
                    plan.add(new Batch(first, i, to));
                    next.put(first, to);
                }
            }
            default -> throw new IllegalStateException();
        }
        return plan;
    }

    private static void deliver(SourceFeed feed, List<Event> events, Batch b) {
        for (int j = b.from(); j < b.to(); j++) {
            feed.accept(events.get(j));
        }
        feed.flush();
    }
}
