package io.dagscope.server.plugins;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;

/**
 * A plugin's source as the host holds it: every call runs with the plugin's class loader as the thread's context
 * class loader. It overrides every method of {@link EventSource}, defaults included, so that a source's own
 * {@code rewind()} or {@code rebuildRequested()} is not hidden.
 */
final class PluginEventSource implements EventSource {
    private final EventSource delegate;
    private final PluginClassLoader loader;

    PluginEventSource(EventSource delegate, PluginClassLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    @Override
    public String name() {
        return PluginSourceFactory.inPlugin(loader, delegate::name);
    }

    @Override
    public long poll(EventSink sink) {
        return PluginSourceFactory.inPlugin(loader, () -> delegate.poll(sink));
    }

    @Override
    public boolean rebuildRequested() {
        return PluginSourceFactory.inPlugin(loader, delegate::rebuildRequested);
    }

    @Override
    public void rewind() {
        PluginSourceFactory.inPlugin(loader, () -> {
            delegate.rewind();
            return null;
        });
    }

    @Override
    public byte[] position() {
        return PluginSourceFactory.inPlugin(loader, delegate::position);
    }

    @Override
    public void resume(byte[] position) {
        PluginSourceFactory.inPlugin(loader, () -> {
            delegate.resume(position);
            return null;
        });
    }

    @Override
    public SourceStatus status() {
        return PluginSourceFactory.inPlugin(loader, delegate::status);
    }

    @Override
    public void close() {
        PluginSourceFactory.inPlugin(loader, () -> {
            delegate.close();
            return null;
        });
    }
}
