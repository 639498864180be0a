package io.dagscope.schedules;

import io.dagscope.core.port.out.ScheduleDefinition;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ScheduleDefinitionsReader} found: the definitions, one per id, and every problem met on the way.
 *
 * @param definitions the definitions in read order (files by name, then entries in file order), at most one per id
 * @param problems one message per problem, in read order, each naming the file and, for an entry, its 1-based
 *     position in the file; empty when everything was read cleanly
 */
public record ScheduleDefinitions(List<ScheduleDefinition> definitions, List<String> problems) {

    /**
     * Copies both lists.
     *
     * @param definitions the definitions, at most one per id
     * @param problems the problem messages
     */
    public ScheduleDefinitions {
        definitions = List.copyOf(definitions);
        problems = List.copyOf(problems);
    }

    /**
     * The definition of a schedule.
     *
     * @param id a schedule id
     * @return its definition, if there is one
     */
    public Optional<ScheduleDefinition> find(String id) {
        return definitions.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
