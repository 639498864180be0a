package io.dagscope.server.logging;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * The most detailed lines dagscope's own code writes ({@code serve --log-level}, {@code server.log_level}). Libraries
 * write warnings and errors only, whatever the level: their debug output quotes request headers, queries and
 * variables.
 */
public enum LogLevel {
    /** Failures only. */
    ERROR(Level.ERROR),
    /** Failures and warnings. */
    WARN(Level.WARN),
    /** What the server does: startup, sources' health, snapshots, stopping (the default). */
    INFO(Level.INFO),
    /** Also each GraphQL execution and the settings in force. */
    DEBUG(Level.DEBUG);

    /** The level when neither the flag nor the config file gives one. */
    public static final LogLevel DEFAULT = INFO;

    private final Level slf4j;

    LogLevel(Level slf4j) {
        this.slf4j = slf4j;
    }

    /**
     * @param text a level's name, in any case, e.g. {@code warn}
     * @return the level
     * @throws IllegalArgumentException naming the levels there are, when it is none of them
     */
    public static LogLevel parse(String text) {
        String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (LogLevel level : values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("must be one of " + choices() + "; got '" + text + "'");
    }

    /** @return the levels' names as written in flags and the config file: {@code error, warn, info, debug} */
    public static String choices() {
        return Arrays.stream(values()).map(LogLevel::toString).collect(Collectors.joining(", "));
    }

    /** @return the name as written in flags and the config file, e.g. {@code warn} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param level a line's level
     * @param ours whether dagscope's own code writes it; a library's lines are written at warnings and above
     * @return whether the line is written at this level
     */
    boolean writes(Level level, boolean ours) {
        Level threshold = ours || slf4j == Level.ERROR ? slf4j : Level.WARN;
        return level.toInt() >= threshold.toInt();
    }
}
