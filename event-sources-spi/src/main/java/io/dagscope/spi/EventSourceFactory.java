package io.dagscope.spi;

import io.dagscope.core.port.out.EventSource;
import java.util.Map;
import java.util.Set;

/**
 * Creates event sources of one kind. Implementations must be public with a public no-argument constructor (they are
 * found with {@link java.util.ServiceLoader}); keep them thin and put the source itself behind them.
 *
 * <p>New methods are added here with defaults only, so a plugin built against an older SPI keeps working.
 */
public interface EventSourceFactory {

    /**
     * The factory's unique name, which is also the scheme of the locations it serves ({@code name://...}).
     *
     * @return e.g. {@code jsonl} or {@code s3}; lower case letters, digits, {@code +}, {@code -} and {@code .}
     */
    String name();

    /** @return other schemes that pick this factory (e.g. {@code file} for {@code jsonl}); none by default */
    default Set<String> aliases() {
        return Set.of();
    }

    /** @return one line for {@code --help} and the registration log */
    default String description() {
        return name() + " event source";
    }

    /** @return the option names whose values are secret: masked wherever options are shown */
    default Set<String> secretOptionNames() {
        return Set.of();
    }

    /**
     * The option names this factory understands; an option outside it is refused with a message that lists them.
     *
     * @return the names, or an empty set to accept any option
     */
    default Set<String> optionNames() {
        return Set.of();
    }

    /**
     * Creates a source. It must not read anything yet: reading happens when the host polls it.
     *
     * @param options the options given with the location ({@code ?key=value&...}) or in the config file
     * @param context what the host tells every source: its name, target, mode and limits
     * @return the source
     * @throws SourceConfigurationException if an option is missing or wrong; the message names it
     */
    EventSource create(Map<String, String> options, SourceContext context);
}
