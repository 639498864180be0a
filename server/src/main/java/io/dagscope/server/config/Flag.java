package io.dagscope.server.config;

/**
 * A command-line flag.
 *
 * @param name the flag without dashes, e.g. {@code events}
 * @param valueName how the value is shown in help, or null for a switch that takes none
 * @param repeatable whether it may be given more than once
 * @param help one line of help
 */
public record Flag(String name, String valueName, boolean repeatable, String help) {

    /** @return whether the flag takes a value */
    public boolean takesValue() {
        return valueName != null;
    }

    /**
     * A flag that takes one value.
     *
     * @param name the name without dashes
     * @param valueName how the value is shown in help
     * @param help one line of help
     * @return the flag
     */
    public static Flag value(String name, String valueName, String help) {
        return new Flag(name, valueName, false, help);
    }

    /**
     * A flag that takes a value and may be given more than once.
     *
     * @param name the name without dashes
     * @param valueName how the value is shown in help
     * @param help one line of help
     * @return the flag
     */
    public static Flag repeatable(String name, String valueName, String help) {
        return new Flag(name, valueName, true, help);
    }

    /**
     * A switch that takes no value.
     *
     * @param name the name without dashes
     * @param help one line of help
     * @return the flag
     */
    public static Flag toggle(String name, String help) {
        return new Flag(name, null, false, help);
    }
}
