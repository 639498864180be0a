package io.dagscope.generator;

/**
 * The cron shapes the generated schedules use, all of which the orchestrator's own {@code parse_cron} understands:
 * {@code *}/{@code *}{@code /n} or a fixed minute, and any hour, a fixed hour or a range of hours with a step;
 * every day of the month, month and weekday. Minutes are UTC epoch minutes.
 *
 * @param minuteStep {@code n} of {@code *}{@code /n} (1 for {@code *}), or 0 for the fixed {@code minute}
 * @param minute the fixed minute when {@code minuteStep} is 0
 * @param hourFrom the first hour
 * @param hourTo the last hour
 * @param hourStep the step between hours
 */
record Cron(int minuteStep, int minute, int hourFrom, int hourTo, int hourStep) {

    private static final int[] STEPS = {1, 2, 5, 10, 15, 30};

    /** @return {@code *}{@code /step * * * *} */
    static Cron everyMinutes(int step) {
        return new Cron(step, 0, 0, 23, 1);
    }

    /** @return {@code minute * * * *} */
    static Cron hourly(int minute) {
        return new Cron(0, minute, 0, 23, 1);
    }

    /** @return {@code minute hour * * *} */
    static Cron daily(int hour, int minute) {
        return new Cron(0, minute, hour, hour, 1);
    }

    /** @return {@code minute from-to[/step] * * *} */
    static Cron hoursBetween(int minute, int from, int to, int step) {
        return new Cron(0, minute, from, to, step);
    }

    boolean matches(long epochMinute) {
        int minuteOfHour = (int) Math.floorMod(epochMinute, 60L);
        int hour = (int) Math.floorMod(epochMinute / 60, 24L);
        boolean minuteOk = minuteStep > 0 ? minuteOfHour % minuteStep == 0 : minuteOfHour == minute;
        return minuteOk && hour >= hourFrom && hour <= hourTo && (hour - hourFrom) % hourStep == 0;
    }

    /** @return how often it fires, on average, per minute */
    double runsPerMinute() {
        int hours = (hourTo - hourFrom) / hourStep + 1;
        double perHour = minuteStep > 0 ? 60.0 / minuteStep : 1;
        return perHour * hours / 1440.0;
    }

    /**
     * @param minuteOfHour 0 to 59
     * @return how often it fires at that minute of the hour, on average over the hours of a day
     */
    double runsPerMinuteOfHour(int minuteOfHour) {
        boolean minuteOk = minuteStep > 0 ? minuteOfHour % minuteStep == 0 : minuteOfHour == minute;
        return minuteOk ? ((hourTo - hourFrom) / hourStep + 1) / 24.0 : 0;
    }

    /** @return the next sparser cron of the ladder every 1, 2, 5, 10, 15, 30 minutes, hourly, daily; or this */
    Cron sparser(Rng rng) {
        if (minuteStep > 0) {
            for (int s : STEPS) {
                if (s > minuteStep) {
                    return everyMinutes(s);
                }
            }
            return hourly(rng.nextInt(60));
        }
        if (hourFrom == 0 && hourTo == 23 && hourStep == 1) {
            return daily(rng.nextInt(24), minute);
        }
        return this;
    }

    /** @return the 5-field expression */
    String expression() {
        String m = minuteStep == 1 ? "*" : minuteStep > 1 ? "*/" + minuteStep : Integer.toString(minute);
        String h;
        if (hourFrom == 0 && hourTo == 23 && hourStep == 1) {
            h = "*";
        } else if (hourFrom == hourTo) {
            h = Integer.toString(hourFrom);
        } else {
            h = hourFrom + "-" + hourTo + (hourStep > 1 ? "/" + hourStep : "");
        }
        return m + " " + h + " * * *";
    }

    /** @return a few words for the YAML comment: {@code every 5 minutes}, {@code hourly at :17} */
    String describe() {
        boolean everyHour = hourFrom == 0 && hourTo == 23 && hourStep == 1;
        if (minuteStep == 1 && everyHour) {
            return "every minute";
        }
        if (minuteStep > 1 && everyHour) {
            return "every " + minuteStep + " minutes";
        }
        String at = ":" + (minute < 10 ? "0" : "") + minute;
        if (everyHour) {
            return "hourly at " + at;
        }
        if (hourFrom == hourTo) {
            return "daily " + (hourFrom < 10 ? "0" : "") + hourFrom + at + " UTC";
        }
        return (hourStep > 1 ? "every " + hourStep + " h" : "hourly") + " at " + at + ", " + hourFrom + "-" + hourTo
                + " UTC";
    }
}
