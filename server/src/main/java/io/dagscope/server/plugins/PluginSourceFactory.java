package io.dagscope.server.plugins;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A plugin's factory as the host holds it: every call runs with the plugin's class loader as the thread's context
 * class loader (libraries such as the AWS SDK and Jackson look their own services up through it), and a class the
 * plugin lacks becomes an error that names the plugin instead of a crash. The sources it creates are wrapped alike.
 */
final class PluginSourceFactory implements EventSourceFactory {

    private final EventSourceFactory delegate;
    private final PluginClassLoader loader;

    PluginSourceFactory(EventSourceFactory delegate, PluginClassLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    /** @return the plugin's own factory */
    EventSourceFactory delegate() {
        return delegate;
    }

    /** @return the plugin's jar or folder */
    PluginClassLoader loader() {
        return loader;
    }

    @Override
    public String name() {
        return inPlugin(loader, delegate::name);
    }

    @Override
    public Set<String> aliases() {
        return inPlugin(loader, delegate::aliases);
    }

    @Override
    public String description() {
        return inPlugin(loader, delegate::description);
    }

    @Override
    public Set<String> secretOptionNames() {
        return inPlugin(loader, delegate::secretOptionNames);
    }

    @Override
    public Set<String> optionNames() {
        return inPlugin(loader, delegate::optionNames);
    }

    @Override
    public EventSource create(Map<String, String> options, SourceContext context) {
        try {
            EventSource source = inPlugin(loader, () -> delegate.create(options, context));
            return new PluginEventSource(source, loader);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof LinkageError) {
                throw new SourceConfigurationException(e.getMessage(), e.getCause());
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return delegate.getClass().getName() + " from " + loader.origin();
    }

    /** Runs plugin code with its loader as the context class loader. */
    static <T> T inPlugin(PluginClassLoader loader, Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } catch (LinkageError e) {
            throw new IllegalStateException("plugin " + loader.origin() + " failed: " + e, e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
