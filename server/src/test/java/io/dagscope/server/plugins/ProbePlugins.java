package io.dagscope.server.plugins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small test plugins: a factory whose behaviour tells the test which class loader its code runs with. */
final class ProbePlugins {

    private ProbePlugins() {
    }

    /**
     * The source of a factory class {@code <pkg>.ProbeFactory}.
     *
     * @param pkg its package
     * @param name the factory's name
     * @param aliases its aliases, as Java expressions, e.g. {@code "\"p\""}, or empty
     * @param description a Java expression for its description
     * @return class name to source
     */
    static Map<String, String> factory(String pkg, String name, String aliases, String description) {
        String source = """
                package %1$s;

                import io.dagscope.core.model.SourceStatus;
                import io.dagscope.core.port.out.EventSink;
                import io.dagscope.core.port.out.EventSource;
                import io.dagscope.spi.EventSourceFactory;
                import io.dagscope.spi.SourceContext;
                import io.dagscope.spi.SourceStatistics;
                import java.util.Map;
                import java.util.Set;

                public final class ProbeFactory implements EventSourceFactory {
                    public ProbeFactory() {
                    }

                    @Override
                    public String name() {
                        return "%2$s";
                    }

                    @Override
                    public Set<String> aliases() {
                        return Set.of(%3$s);
                    }

                    @Override
                    public String description() {
                        return %4$s;
                    }

                    @Override
                    public EventSource create(Map<String, String> options, SourceContext context) {
                        boolean created = Thread.currentThread().getContextClassLoader()
                                == ProbeFactory.class.getClassLoader();
                        return new EventSource() {
                            private boolean polled;

                            @Override
                            public String name() {
                                return context.name();
                            }

                            @Override
                            public long poll(EventSink sink) {
                                polled = Thread.currentThread().getContextClassLoader()
                                        == ProbeFactory.class.getClassLoader();
                                return 0;
                            }

                            @Override
                            public SourceStatus status() {
                                return new SourceStatistics(context.name(), "%2$s", "created in plugin: " + created
                                        + ", polled in plugin: " + polled).snapshot();
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }
                """.formatted(pkg, name, aliases, description);
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(pkg + ".ProbeFactory", source);
        return sources;
    }

    /**
     * Builds a jar holding one probe factory, listed in its services file.
     *
     * @param work a scratch folder
     * @param jar the jar to write
     * @param pkg the factory's package
     * @param name the factory's name
     * @return the jar
     */
    static Path jar(Path work, Path jar, String pkg, String name) throws IOException {
        Path classes = work.resolve("classes-" + pkg + "-" + jar.getFileName());
        PluginJars.compile(classes, factory(pkg, name, "", "\"probe\""));
        return PluginJars.jar(jar, classes, PluginJars.services(pkg + ".ProbeFactory"));
    }
}
