package io.dagscope.generator;

import io.dagscope.generator.DagTemplate.Task;
import io.dagscope.generator.Fleet.ExternalCron;
import io.dagscope.generator.Fleet.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the configuration files the orchestrator would read, shaped like the samples': one DAG file per DAG in
 * {@code configs/dags}, one schedule file per tenant in {@code configs/schedules} ({@code - {id, cron, dag, tenant,
 * max_retries, enabled}}), and the crontab lines that start the checkpoint DAG outside the scheduler.
 */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static void write(Path dir, Fleet fleet, LogFormat format) throws IOException {
        Path dags = Files.createDirectories(dir.resolve(LogGenerator.DAGS_DIR));
        Path schedules = Files.createDirectories(dir.resolve(LogGenerator.SCHEDULES_DIR));
        for (DagTemplate dag : fleet.dags()) {
            String owner = fleet.schedules().stream().filter(s -> s.dag().equals(dag)).map(Schedule::tenant)
                    .findFirst().orElse("local-dev");
            Files.writeString(dags.resolve(dag.name() + ".yaml"), dagYaml(dag, owner), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, List<Schedule>> e : fleet.schedulesByTenant().entrySet()) {
            Files.writeString(schedules.resolve(e.getKey() + ".yaml"), schedulesYaml(e.getKey(), e.getValue()),
                    StandardCharsets.UTF_8);
        }
        if (format == LogFormat.NEW && !fleet.externalCrons().isEmpty()) {
            StringBuilder sb = new StringBuilder("# Runs outside the scheduler (system crontab), as in the samples: the "
                    + "scheduler's loader cannot run a checkpoint DAG.\n# m h dom mon dow command\n");
            for (ExternalCron c : fleet.externalCrons()) {
                sb.append(c.cron().expression()).append(" python scripts/run_dag_min.py --dag ").append(c.dag().path())
                        .append(" --tenant ").append(c.tenant()).append('\n');
            }
            Files.writeString(dir.resolve(LogGenerator.CRONTAB), sb.toString(), StandardCharsets.UTF_8);
        }
    }

    static String dagYaml(DagTemplate dag, String owner) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(dag.comment()).append('\n');
        sb.append("name: ").append(dag.name()).append('\n');
        sb.append("tenant_id: ").append(owner).append("\n\ntasks:\n");
        for (int i = 0; i < dag.tasks().size(); i++) {
            Task t = dag.tasks().get(i);
            if (i > 0) {
                sb.append('\n');
            }
            sb.append("  - id: ").append(t.id()).append('\n');
            if (t.checkpoint()) {
                sb.append("    type: checkpoint\n");
                sb.append("    prompt: \"Approve vendor payout batch? Review reconcile output (totals, mismatches) "
                        + "before releasing funds.\"\n");
                sb.append("    required_role: Operator\n");
                sb.append("    inputs:\n      signoff_text:\n        type: string\n");
                sb.append("        description: \"Finance signoff text for the payout batch\"\n");
                sb.append("        required: true\n");
            } else {
                if (dag.typed()) {
                    sb.append("    type: workflow\n");
                }
                sb.append("    workflow_ref: ").append(t.workflow().ref()).append('\n');
                if (t.params().isEmpty()) {
                    sb.append("    params: {}\n");
                } else {
                    sb.append("    params:\n");
                    for (String p : t.params()) {
                        sb.append("      ").append(p).append('\n');
                    }
                }
                sb.append("    retries: ").append(t.retries()).append('\n');
            }
            if (t.dependsOn().isEmpty()) {
                sb.append("    depends_on: []\n");
            } else {
                sb.append("    depends_on:\n");
                for (String d : t.dependsOn()) {
                    sb.append("      - ").append(d).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String schedulesYaml(String tenant, List<Schedule> schedules) {
        StringBuilder sb = new StringBuilder("# Schedules of tenant ").append(tenant).append('\n');
        for (int i = 0; i < schedules.size(); i++) {
            Schedule s = schedules.get(i);
            if (i > 0) {
                sb.append('\n');
            }
            sb.append("- id: ").append(s.id()).append('\n');
            sb.append("  cron: \"").append(s.cron().expression()).append("\"  # ").append(s.cron().describe())
                    .append('\n');
            sb.append("  dag: ").append(s.dag().path()).append('\n');
            sb.append("  tenant: ").append(s.tenant()).append('\n');
            if (s.maxRetries() >= 0) {
                sb.append("  max_retries: ").append(s.maxRetries()).append('\n');
            }
            sb.append("  enabled: ").append(s.enabled()).append('\n');
        }
        return sb.toString();
    }
}
