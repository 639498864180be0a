package io.dagscope.generator;

import io.dagscope.generator.DagTemplate.Cadence;
import io.dagscope.generator.DagTemplate.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the simulated orchestrator runs: tenants, DAGs, the scheduler's schedules, and the external crons that start
 * the checkpoint DAG through {@code run_dag_min.py} (the scheduler cannot run it, as in the samples). The number of
 * schedules is chosen so that the expected number of lines a minute comes close to the density asked for.
 */
final class Fleet {

    private static final List<String> TENANTS = List.of("acme-corp", "globex", "initech", "umbrella", "hooli",
            "stark-industries", "wayne-enterprises", "wonka-industries", "cyberdyne", "soylent", "tyrell-corp",
            "oscorp", "vandelay", "massive-dynamic", "aperture", "pied-piper", "dunder-mifflin", "gringotts",
            "monsters-inc", "nakatomi");

    /**
     * One schedule of the scheduler.
     *
     * @param id the {@code schedule_id}
     * @param cron when it fires
     * @param dag what it runs
     * @param tenant for whom
     * @param maxRetries job retries after a failure (new format); -1 when the scheduler has none (old format)
     * @param enabled whether the scheduler runs it
     */
    record Schedule(String id, Cron cron, DagTemplate dag, String tenant, int maxRetries, boolean enabled) {
    }

    /**
     * A crontab line outside the scheduler that runs a DAG with {@code run_dag_min.py --tenant}: only runner lines.
     *
     * @param tenant the tenant
     * @param cron when it fires
     * @param dag what it runs
     */
    record ExternalCron(String tenant, Cron cron, DagTemplate dag) {
    }

    private final List<String> tenants;
    private final List<DagTemplate> dags;
    private final List<Schedule> schedules;
    private final List<ExternalCron> externalCrons;
    private final double estimatedRatePerMinute;
    private final int workers;

    private Fleet(List<String> tenants, List<DagTemplate> dags, List<Schedule> schedules,
            List<ExternalCron> externalCrons, double estimatedRatePerMinute) {
        this.tenants = List.copyOf(tenants);
        this.dags = List.copyOf(dags);
        this.schedules = List.copyOf(schedules);
        this.externalCrons = List.copyOf(externalCrons);
        this.estimatedRatePerMinute = estimatedRatePerMinute;
        // work each minute of the hour brings (cron minutes align: :00 is the busiest), and on average
        double[] busyByMinute = new double[60];
        double busySecondsPerMinute = 0;
        for (Schedule s : schedules) {
            if (s.enabled()) {
                double seconds = expectedRunSeconds(s.dag());
                busySecondsPerMinute += s.cron().runsPerMinute() * seconds;
                for (int m = 0; m < 60; m++) {
                    busyByMinute[m] += s.cron().runsPerMinuteOfHour(m) * seconds;
                }
            }
        }
        double peak = Arrays.stream(busyByMinute).max().orElse(0);
        this.workers = Math.max(MIN_WORKERS, (int) Math.ceil(Math.max(busySecondsPerMinute / 60 / MAX_UTILIZATION,
                peak / PEAK_DRAIN_SECONDS)));
    }

    /** The fewest workers of the scheduler ({@code max_parallel}; the orchestrator's default is 3). */
    static final int MIN_WORKERS = 3;
    /** Workers are busy at most this share of the time on average. */
    static final double MAX_UTILIZATION = 0.5;
    /**
     * The busiest cron minute's work is done within about this many seconds: jobs queue for a minute or two after
     * the top of the hour, and start at once otherwise.
     */
    static final double PEAK_DRAIN_SECONDS = 120;

    List<String> tenants() {
        return tenants;
    }

    List<DagTemplate> dags() {
        return dags;
    }

    List<Schedule> schedules() {
        return schedules;
    }

    List<ExternalCron> externalCrons() {
        return externalCrons;
    }

    /** @return the scheduler's worker count ({@code max_parallel}), sized for the work its schedules bring */
    int workers() {
        return workers;
    }

    /** @return the expected lines a minute over both logs */
    double estimatedRatePerMinute() {
        return estimatedRatePerMinute;
    }

    static Fleet build(LogFormat format, int tenantCount, int dagCount, double targetRate, Rng rng) {
        List<String> tenants = tenantNames(tenantCount);
        List<DagTemplate> dags = new DagCatalog().pick(dagCount, format == LogFormat.NEW);
        List<DagTemplate> scheduled = dags.stream().filter(d -> d.checkpointIndex().isEmpty()).toList();
        Builder b = new Builder(format, rng);

        List<ExternalCron> external = new ArrayList<>();
        for (DagTemplate d : dags) {
            if (d.checkpointIndex().isPresent()) {
                // as in the samples: business hours, one tenant hourly, another every 2 h
                external.add(new ExternalCron(tenants.get(0), Cron.hoursBetween(17, 7, 19, 1), d));
                if (tenants.size() > 1) {
                    external.add(new ExternalCron(tenants.get(1), Cron.hoursBetween(45, 6, 22, 2), d));
                }
                if (tenants.size() > 2) {
                    external.add(new ExternalCron(tenants.get(2), Cron.hoursBetween(5, 8, 20, 1), d));
                }
            }
        }
        double externalRate = 0;
        for (ExternalCron c : external) {
            externalRate += c.cron().runsPerMinute() * linesPerRun(c.dag(), false);
        }

        // every DAG and every tenant has a schedule
        for (int i = 0; i < scheduled.size(); i++) {
            b.add(scheduled.get(i), tenants.get(i % tenants.size()), natural(scheduled.get(i), rng), true);
        }
        for (int j = scheduled.size(); j < tenants.size(); j++) {
            b.add(scheduled.get(j % scheduled.size()), tenants.get(j), natural(scheduled.get(j % scheduled.size()),
                    rng), true);
        }
        // one DAG for two tenants at the same minute: their runs overlap (in the old format, indistinguishably)
        if (tenants.size() > 1) {
            Schedule first = b.schedules.stream().filter(s -> s.dag().cadence() != Cadence.DAILY).findFirst()
                    .orElse(b.schedules.get(0));
            String other = tenants.get((tenants.indexOf(first.tenant()) + 1) % tenants.size());
            b.add(first.dag(), other, first.cron(), true);
        }

        double rate = externalRate + b.rate();
        if (rate > targetRate) {
            // fewer lines than even one schedule per DAG and tenant gives: make the busiest sparser
            boolean changed = true;
            while (rate > targetRate && changed) {
                changed = false;
                int busiest = -1;
                for (int i = 0; i < b.schedules.size(); i++) {
                    Schedule s = b.schedules.get(i);
                    if (!s.cron().sparser(new Rng(0)).equals(s.cron())
                            && (busiest < 0 || b.rateOf(s) > b.rateOf(b.schedules.get(busiest)))) {
                        busiest = i;
                    }
                }
                if (busiest >= 0) {
                    Schedule s = b.schedules.get(busiest);
                    b.replace(busiest, new Schedule(s.id(), s.cron().sparser(rng), s.dag(), s.tenant(),
                            s.maxRetries(), s.enabled()));
                    changed = true;
                    rate = externalRate + b.rate();
                }
            }
        } else {
            // more schedules, over every tenant and DAG; a big deficit is filled with busier crons, but a nightly
            // DAG stays nightly (and gets at most one schedule per tenant)
            Set<String> daily = new HashSet<>();
            for (Schedule s : b.schedules) {
                daily.add(s.tenant() + "/" + s.dag().name());
            }
            for (int k = 0; rate < targetRate; k++) {
                int t = k % tenants.size();
                DagTemplate dag = scheduled.get((k / tenants.size() + t) % scheduled.size());
                if (dag.cadence() == Cadence.DAILY && !daily.add(tenants.get(t) + "/" + dag.name())) {
                    continue;
                }
                double deficit = targetRate - rate;
                Cron cron = natural(dag, rng);
                if (deficit > 50 * cronRate(cron, dag)) {
                    cron = switch (dag.cadence()) {
                        case FREQUENT -> Cron.everyMinutes(rng.pick(List.of(1, 2, 5)));
                        case HOURLY -> Cron.everyMinutes(rng.pick(List.of(15, 30)));
                        case DAILY -> cron;
                    };
                }
                while (cronRate(cron, dag) > deficit * 1.5 && !cron.sparser(rng).equals(cron)) {
                    cron = cron.sparser(rng);
                }
                b.add(dag, tenants.get(t), cron, true);
                rate = externalRate + b.rate();
            }
        }
        // a schedule someone switched off: defined, never enqueued
        if (b.schedules.size() >= 4) {
            DagTemplate dag = scheduled.get(scheduled.size() - 1);
            b.add(dag, tenants.get(tenants.size() - 1), Cron.daily(rng.between(0, 5), rng.nextInt(60)), false);
        }
        return new Fleet(tenants, dags, b.schedules, external, externalRate + b.rate());
    }

    /** @return the expected lines of one run of a DAG: runner lines, plus the scheduler's when it is scheduled */
    static double linesPerRun(DagTemplate dag, boolean scheduled) {
        double runner = 2;
        for (Task t : dag.tasks()) {
            if (t.checkpoint()) {
                runner += 1.6;
            } else {
                runner += 2 + t.workflow().failProbability() * (1 + t.retries()) * 1.3;
            }
        }
        return runner + (scheduled ? 3.05 : 1.2);
    }

    /** @return the expected seconds a run of a DAG takes: its tasks' mean durations, one after the other */
    static double expectedRunSeconds(DagTemplate dag) {
        double seconds = 0;
        for (Task t : dag.tasks()) {
            if (!t.checkpoint()) {
                Workflow w = t.workflow();
                seconds += Math.min(Workflow.MAX_SECONDS / 2, w.medianSeconds() * StrictMath.exp(w.sigma() * w.sigma() / 2));
            }
        }
        return seconds;
    }

    private static double cronRate(Cron cron, DagTemplate dag) {
        return cron.runsPerMinute() * linesPerRun(dag, true);
    }

    private static Cron natural(DagTemplate dag, Rng rng) {
        return switch (dag.cadence()) {
            case FREQUENT -> Cron.everyMinutes(rng.pick(List.of(5, 5, 10, 15, 30)));
            case HOURLY -> Cron.hourly(rng.nextInt(60));
            case DAILY -> Cron.daily(rng.between(0, 5), rng.nextInt(60));
        };
    }

    static List<String> tenantNames(int count) {
        List<String> names = new ArrayList<>(TENANTS.subList(0, Math.min(count, TENANTS.size())));
        for (int i = names.size(); i < count; i++) {
            names.add("tenant-" + (i + 1 < 100 ? (i + 1 < 10 ? "00" : "0") : "") + (i + 1));
        }
        return names;
    }

    /** The short form of a tenant in schedule ids: {@code acme-corp} gives {@code acme}. */
    static String shortName(String tenant) {
        if (tenant.startsWith("tenant-")) {
            return "t" + tenant.substring("tenant-".length());
        }
        int dash = tenant.indexOf('-');
        return dash > 0 ? tenant.substring(0, dash) : tenant;
    }

    /** @return the schedules grouped by tenant, in tenant order */
    Map<String, List<Schedule>> schedulesByTenant() {
        Map<String, List<Schedule>> byTenant = new LinkedHashMap<>();
        for (String t : tenants) {
            byTenant.put(t, new ArrayList<>());
        }
        for (Schedule s : schedules) {
            byTenant.get(s.tenant()).add(s);
        }
        byTenant.values().removeIf(List::isEmpty);
        return Collections.unmodifiableMap(byTenant);
    }

    /** Collects schedules with unique ids. */
    private static final class Builder {
        final LogFormat format;
        final Rng rng;
        final List<Schedule> schedules = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        double enabledRate;

        Builder(LogFormat format, Rng rng) {
            this.format = format;
            this.rng = rng;
        }

        void add(DagTemplate dag, String tenant, Cron cron, boolean enabled) {
            String base = shortName(tenant) + "_" + dag.name() + (enabled ? "" : "_backfill");
            String id = base;
            for (int n = 2; !ids.add(id); n++) {
                id = base + "_" + n;
            }
            int maxRetries = format == LogFormat.OLD ? -1 : rng.pick(List.of(0, 1, 1, 2));
            Schedule s = new Schedule(id, cron, dag, tenant, maxRetries, enabled);
            schedules.add(s);
            enabledRate += rateOf(s);
        }

        void replace(int index, Schedule s) {
            enabledRate += rateOf(s) - rateOf(schedules.set(index, s));
        }

        double rateOf(Schedule s) {
            return s.enabled() ? cronRate(s.cron(), s.dag()) : 0;
        }

        double rate() {
            return enabledRate;
        }
    }
}
