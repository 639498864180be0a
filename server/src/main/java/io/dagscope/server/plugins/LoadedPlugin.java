package io.dagscope.server.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One plugin that was loaded.
 *
 * @param path its jar or folder
 * @param classLoader the class loader of its own classes
 * @param registered the names of the factories it added
 * @param alreadyRegistered the names of the factories it carries that were already registered by the same class
 *     (from the classpath or an earlier plugin), so the earlier one is used
 */
public record LoadedPlugin(Path path, ClassLoader classLoader, List<String> registered,
        List<String> alreadyRegistered) {

    public LoadedPlugin {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(classLoader, "classLoader");
        registered = List.copyOf(registered);
        alreadyRegistered = List.copyOf(alreadyRegistered);
    }
}
