package io.dagscope.generator;

import java.util.Locale;
import java.util.Optional;

/** Which generation of the orchestrator writes the logs (EVENTS.md, fixtures/samples/README.md). */
public enum LogFormat {

    /**
     * The Sprint-27C runner and scheduler: no {@code dag_run_id}, naive runner timestamps (UTC without an offset)
     * beside {@code +00:00} in the state log, {@code minute} on every state event, no {@code job_id}, no job
     * retries, no checkpoints; runs of one DAG for two tenants start in the same second.
     */
    OLD,

    /**
     * The current runner and scheduler: {@code dag_run_id} on every runner line, {@code +00:00} everywhere,
     * {@code job_id} on scheduler events and {@code minute} only on {@code schedule_enqueued}, job retries
     * ({@code run_finished} with status {@code retry}), checkpoints with approvals, resumes and expiries, and
     * {@code resume_token} lines.
     */
    NEW;

    /** @return the name users type: {@code old} or {@code new} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code old} or {@code new}, in any case
     * @return the format, or empty for another text
     */
    public static Optional<LogFormat> parse(String text) {
        for (LogFormat f : values()) {
            if (f.label().equalsIgnoreCase(text.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
