package io.dagscope.generator;

import java.util.List;
import java.util.Optional;

/**
 * A DAG definition: its tasks in the order the runner executes them (one at a time), and how often such a DAG is
 * usually scheduled.
 *
 * @param name the DAG's {@code name}
 * @param comment the first line of its YAML file
 * @param cadence how often it is usually scheduled
 * @param typed whether its tasks carry {@code type: workflow} (newer DAG files do)
 * @param tasks its tasks, in execution order
 */
record DagTemplate(String name, String comment, Cadence cadence, boolean typed, List<Task> tasks) {

    DagTemplate {
        tasks = List.copyOf(tasks);
    }

    /** How often a DAG of this kind runs. */
    enum Cadence {
        /** Every few minutes. */
        FREQUENT,
        /** Once an hour. */
        HOURLY,
        /** Once a day. */
        DAILY
    }

    /**
     * One task of a DAG: a workflow, or a human checkpoint when {@code workflow} is null.
     *
     * @param id the task's id
     * @param workflow what it runs; null for a checkpoint
     * @param retries how often a failed attempt is retried
     * @param dependsOn the tasks it waits for
     * @param params its parameters, as YAML lines ({@code key: value})
     */
    record Task(String id, Workflow workflow, int retries, List<String> dependsOn, List<String> params) {
        Task {
            dependsOn = List.copyOf(dependsOn);
            params = List.copyOf(params);
        }

        boolean checkpoint() {
            return workflow == null;
        }
    }

    /** @return the position of its checkpoint task, if it has one */
    Optional<Integer> checkpointIndex() {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).checkpoint()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** @return the file the scheduler's {@code dag_path} names, relative to the output folder */
    String path() {
        return "configs/dags/" + name + ".yaml";
    }

    /** @return the same DAG under another name */
    DagTemplate renamed(String newName) {
        return new DagTemplate(newName, comment, cadence, typed, tasks);
    }
}
