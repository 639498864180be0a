package io.dagscope.schedules;

import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.CronSchedule;
import java.util.Objects;

/** The {@link CronParser} behind {@link CronParsers}. */
final class VixieCronParser implements CronParser {

    private final WeekdayNumbering numbering;

    VixieCronParser(WeekdayNumbering numbering) {
        this.numbering = Objects.requireNonNull(numbering, "numbering");
    }

    @Override
    public CronSchedule parse(String expression) {
        return CronExpression.parse(expression, numbering);
    }

    @Override
    public String toString() {
        return "VixieCronParser[" + numbering + "]";
    }
}
