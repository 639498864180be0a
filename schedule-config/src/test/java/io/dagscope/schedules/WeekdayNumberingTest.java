package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WeekdayNumberingTest {

    @Test
    void isFoundByItsNameInAnyCase() {
        assertEquals(WeekdayNumbering.UNIX, WeekdayNumbering.fromName("unix"));
        assertEquals(WeekdayNumbering.SCHEDULER, WeekdayNumbering.fromName(" Scheduler "));
    }

    @Test
    void anUnknownNameIsRejectedWithTheAvailableNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeekdayNumbering.fromName("python"));
        assertEquals("unknown weekday numbering \"python\"; available: unix, scheduler", e.getMessage());
    }
}
