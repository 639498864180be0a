package io.dagscope.server.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.JsonlSourceFactory;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private static SourceFactories hostFactories() {
        return SourceFactories.discover(PluginLoaderTest.class.getClassLoader());
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private Path pluginsDir() throws IOException {
        return Files.createDirectories(tmp.resolve("plugins"));
    }

    @Test
    void registersEachJarsFactoriesAndLogsEachRegistration() throws IOException {
        Path dir = pluginsDir();
        Path jar = ProbePlugins.jar(tmp, dir.resolve("probe.jar"), "probe.one", "probe");
        SourceFactories factories = hostFactories();

        List<LoadedPlugin> loaded = PluginLoader.loadInto(dir, factories, log);

        assertEquals(1, loaded.size());
        assertEquals(jar, loaded.get(0).path());
        assertEquals(List.of("probe"), loaded.get(0).registered());
        assertTrue(factories.schemes().contains("probe"));
        assertTrue(factories.schemes().contains("jsonl"), "the classpath's factories stay");
        assertEquals("dagscope: plugin " + jar + ": registered source factory 'probe' (probe.one.ProbeFactory)"
                + System.lineSeparator(), log());
    }

    @Test
    void aClassBothThePluginAndTheHostHaveIsLoadedFromThePlugin() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        Map<String, String> sources = new HashMap<>(ProbePlugins.factory("probe.iso", "iso", "",
                "io.dagscope.server.plugins.IsolationProbe.where()"));
        sources.put(IsolationProbe.class.getName(), """
                package io.dagscope.server.plugins;

                public final class IsolationProbe {
                    private IsolationProbe() {
                    }

                    public static String where() {
                        return "plugin";
                    }
                }
                """);
        PluginJars.compile(classes, sources);
        PluginJars.jar(dir.resolve("iso.jar"), classes, PluginJars.services("probe.iso.ProbeFactory"));
        SourceFactories factories = hostFactories();

        LoadedPlugin plugin = PluginLoader.loadInto(dir, factories, log).get(0);

        assertEquals("plugin", factories.forScheme("iso").description(), "the plugin's code sees its own copy");
        assertEquals("host", IsolationProbe.where(), "the host keeps its own copy");
        assertSame(plugin.classLoader(), loadFrom(plugin, IsolationProbe.class.getName()).getClassLoader());
    }

    @Test
    void theSpiAndTheCoreComeFromTheHostEvenWhenThePluginCarriesCopies() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.spi", "spi-probe", "", "\"probe\""));
        Map<String, byte[]> entries = new HashMap<>(PluginJars.services("probe.spi.ProbeFactory"));
        entries.put("io/dagscope/spi/EventSourceFactory.class", PluginJars.classFile(EventSourceFactory.class));
        entries.put("io/dagscope/spi/SourceContext.class", PluginJars.classFile(SourceContext.class));
        entries.put("io/dagscope/core/event/Event.class", PluginJars.classFile(Event.class));
        entries.put("io/dagscope/core/port/out/EventSource.class", PluginJars.classFile(EventSource.class));
        PluginJars.jar(dir.resolve("spi.jar"), classes, entries);
        SourceFactories factories = hostFactories();

        LoadedPlugin plugin = PluginLoader.loadInto(dir, factories, log).get(0);

        assertSame(EventSourceFactory.class, loadFrom(plugin, EventSourceFactory.class.getName()));
        assertSame(SourceContext.class, loadFrom(plugin, SourceContext.class.getName()));
        assertSame(Event.class, loadFrom(plugin, Event.class.getName()));
        assertSame(EventSource.class, loadFrom(plugin, EventSource.class.getName()));
        assertEquals(List.of("spi-probe"), plugin.registered(), "its factory implements the host's interface");
        assertTrue(plugin.classLoader().getResource("io/dagscope/spi/EventSourceFactory.class").toString()
                .equals(EventSourceFactory.class.getClassLoader()
                        .getResource("io/dagscope/spi/EventSourceFactory.class").toString()),
                "SPI resources come from the host too");
    }

    @Test
    void theJdkComesFromTheJdkEvenWhenThePluginCarriesACopy() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.jdk", "jdk-probe", "", "\"probe\""));
        Map<String, byte[]> entries = new HashMap<>(PluginJars.services("probe.jdk.ProbeFactory"));
        entries.put("javax/xml/XMLConstants.class", PluginJars.classFile(XMLConstants.class));
        PluginJars.jar(dir.resolve("jdk.jar"), classes, entries);

        LoadedPlugin plugin = PluginLoader.loadInto(dir, hostFactories(), log).get(0);

        assertSame(XMLConstants.class, loadFrom(plugin, XMLConstants.class.getName()));
        assertSame(String.class, loadFrom(plugin, String.class.getName()));
    }

    @Test
    void aClassOnlyTheHostHasIsFoundOnTheHost() throws IOException {
        Path dir = pluginsDir();
        ProbePlugins.jar(tmp, dir.resolve("probe.jar"), "probe.fallback", "fallback");

        LoadedPlugin plugin = PluginLoader.loadInto(dir, hostFactories(), log).get(0);

        assertSame(JsonlSourceFactory.class, loadFrom(plugin, JsonlSourceFactory.class.getName()));
    }

    @Test
    void eachPluginHasItsOwnClassLoader() throws IOException {
        Path dir = pluginsDir();
        ProbePlugins.jar(tmp, dir.resolve("a.jar"), "probe.a", "probe-a");
        ProbePlugins.jar(tmp, dir.resolve("b.jar"), "probe.b", "probe-b");
        SourceFactories factories = hostFactories();

        List<LoadedPlugin> loaded = PluginLoader.loadInto(dir, factories, log);

        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), loaded.stream().map(LoadedPlugin::path)
                .toList());
        assertNotSame(loaded.get(0).classLoader(), loaded.get(1).classLoader());
        assertThrows(ClassNotFoundException.class, () -> loaded.get(0).classLoader().loadClass("probe.b.ProbeFactory"),
                "one plugin does not see another's classes");
    }

    @Test
    void aSubFolderWithJarsAndAClassesFolderIsOnePlugin() throws IOException {
        Path dir = pluginsDir();
        Path plugin = Files.createDirectories(dir.resolve("csv-plugin"));
        Path helperClasses = tmp.resolve("helper");
        PluginJars.compile(helperClasses, Map.of("probe.lib.Helper", """
                package probe.lib;

                public final class Helper {
                    private Helper() {
                    }

                    public static String describe() {
                        return "helper from a jar";
                    }
                }
                """));
        PluginJars.jar(plugin.resolve("helper.jar"), helperClasses, Map.of());
        Path classes = plugin.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.folder", "folder", "\"folder2\"",
                "probe.lib.Helper.describe()"), helperClasses);
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve(PluginJars.SERVICES), "probe.folder.ProbeFactory\n");
        SourceFactories factories = hostFactories();

        List<LoadedPlugin> loaded = PluginLoader.loadInto(dir, factories, log);

        assertEquals(1, loaded.size());
        assertEquals(plugin, loaded.get(0).path());
        assertEquals("helper from a jar", factories.forScheme("folder").description());
        assertSame(factories.forScheme("folder"), factories.forScheme("folder2"));
        assertTrue(log().contains("registered source factory 'folder' (probe.folder.ProbeFactory); aliases: folder2"),
                log());
    }

    @Test
    void pluginCodeRunsWithThePluginsClassLoaderAsContextClassLoader() throws IOException {
        Path dir = pluginsDir();
        ProbePlugins.jar(tmp, dir.resolve("probe.jar"), "probe.ctx", "ctx");
        SourceFactories factories = hostFactories();
        PluginLoader.loadInto(dir, factories, log);
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        EventSource source = factories.create(SourceLocation.parse("ctx://x"), Map.of(),
                new SourceContext("probe", "x", false, 1024, Clock.systemUTC()));
        source.poll(event -> { });

        assertEquals("created in plugin: true, polled in plugin: true", source.status().location());
        assertSame(before, Thread.currentThread().getContextClassLoader(), "the caller's is restored");
    }

    @Test
    void theHostsWrappersPassOnEveryMethodOfTheSpi() {
        for (Class<?>[] pair : new Class<?>[][] {{EventSourceFactory.class, PluginSourceFactory.class},
                {EventSource.class, PluginEventSource.class}}) {
            for (Method m : pair[0].getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                try {
                    Method own = pair[1].getDeclaredMethod(m.getName(), m.getParameterTypes());
                    assertFalse(own.isDefault());
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(pair[1].getSimpleName() + " does not pass on " + m, e);
                }
            }
        }
    }

    @Test
    void theSameFactoryClassInAPluginAndOnTheClasspathIsRegisteredOnce() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.s3like", "s3like", "", "\"probe\""));
        Map<String, byte[]> entries = new HashMap<>(PluginJars.copyOfModule(JsonlSourceFactory.class,
                "io/dagscope/source/jsonl/"));
        entries.put(PluginJars.SERVICES, ("probe.s3like.ProbeFactory\n" + JsonlSourceFactory.class.getName() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        Path jar = PluginJars.jar(dir.resolve("s3like.jar"), classes, entries);
        SourceFactories factories = hostFactories();

        LoadedPlugin plugin = PluginLoader.loadInto(dir, factories, log).get(0);

        assertEquals(List.of("s3like"), plugin.registered());
        assertEquals(List.of("jsonl"), plugin.alreadyRegistered());
        assertSame(JsonlSourceFactory.class, factories.forScheme("jsonl").getClass(), "the classpath's stays");
        assertNotSame(JsonlSourceFactory.class, loadFrom(plugin, JsonlSourceFactory.class.getName()),
                "the plugin does carry its own copy");
        assertTrue(log().contains("dagscope: plugin " + jar + ": source factory 'jsonl' ("
                + JsonlSourceFactory.class.getName() + ") is already registered from the classpath; using that one"),
                log());
    }

    @Test
    void theSameFactoryClassInTwoPluginsIsRegisteredOnce() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.twice", "twice", "", "\"probe\""));
        PluginJars.jar(dir.resolve("a.jar"), classes, PluginJars.services("probe.twice.ProbeFactory"));
        PluginJars.jar(dir.resolve("b.jar"), classes, PluginJars.services("probe.twice.ProbeFactory"));
        SourceFactories factories = hostFactories();

        List<LoadedPlugin> loaded = PluginLoader.loadInto(dir, factories, log);

        assertEquals(List.of("twice"), loaded.get(0).registered());
        assertEquals(List.of("twice"), loaded.get(1).alreadyRegistered());
        assertTrue(log().contains("is already registered from plugin " + dir.resolve("a.jar")), log());
    }

    @Test
    void twoClassesClaimingOneNameIsAnErrorNamingBothClassesAndFiles() throws IOException {
        Path dir = pluginsDir();
        Path a = ProbePlugins.jar(tmp, dir.resolve("a.jar"), "probe.first", "twin");
        Path b = ProbePlugins.jar(tmp, dir.resolve("b.jar"), "probe.second", "twin");

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertEquals("plugin " + b + ": source factory probe.second.ProbeFactory claims the name 'twin', which "
                + "probe.first.ProbeFactory from plugin " + a + " already has; remove one of the two, or give one "
                + "factory another name", e.getMessage());
    }

    @Test
    void aPluginClaimingABuiltInNameIsAnError() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.thief", "local", "\"file\"", "\"probe\""));
        Path jar = PluginJars.jar(dir.resolve("thief.jar"), classes, PluginJars.services("probe.thief.ProbeFactory"));
        SourceFactories factories = hostFactories();

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, factories, log));

        assertTrue(e.getMessage().startsWith("plugin " + jar + ": source factory probe.thief.ProbeFactory claims the "
                + "name 'file', which " + JsonlSourceFactory.class.getName() + " from the classpath already has"),
                e.getMessage());
        assertFalse(factories.schemes().contains("local"), "nothing of the clashing factory is registered");
    }

    @Test
    void aPluginWithoutAFactoryIsAnError() throws IOException {
        Path dir = pluginsDir();
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, ProbePlugins.factory("probe.unlisted", "unlisted", "", "\"probe\""));
        Path jar = PluginJars.jar(dir.resolve("unlisted.jar"), classes, Map.of());

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertTrue(e.getMessage().startsWith("plugin " + jar + ": registers no source factory: it needs a "
                + "META-INF/services/io.dagscope.spi.EventSourceFactory file"), e.getMessage());
    }

    @Test
    void aPluginListingOnlyTheHostsFactoriesRegistersNothingAndIsAnError() throws IOException {
        Path dir = pluginsDir();
        Path jar = PluginJars.jar(dir.resolve("borrowed.jar"), null,
                PluginJars.services(JsonlSourceFactory.class.getName()));

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertTrue(e.getMessage().startsWith("plugin " + jar + ": registers no source factory"), e.getMessage());
    }

    @Test
    void aSubFolderWithNothingToLoadIsAnError() throws IOException {
        Path dir = pluginsDir();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("README.txt"), "not a plugin");

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertEquals("plugin " + empty + ": holds no *.jar and no classes/ folder, so it cannot provide a source "
                + "factory (docs/plugins.md)", e.getMessage());
    }

    @Test
    void aListedClassThatIsMissingIsAnErrorNamingThePlugin() throws IOException {
        Path dir = pluginsDir();
        Path jar = PluginJars.jar(dir.resolve("broken.jar"), null, PluginJars.services("probe.gone.Factory"));

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertTrue(e.getMessage().startsWith("plugin " + jar + ": its source factories cannot be loaded: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("probe.gone.Factory"), e.getMessage());
    }

    @Test
    void aFactoryNameThatCannotBeASchemeIsAnError() throws IOException {
        Path dir = pluginsDir();
        Path jar = ProbePlugins.jar(tmp, dir.resolve("spaced.jar"), "probe.spaced", "my source");

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(dir, hostFactories(), log));

        assertTrue(e.getMessage().startsWith("plugin " + jar + ": source factory probe.spaced.ProbeFactory has the "
                + "name 'my source', which cannot be a location's scheme"), e.getMessage());
    }

    @Test
    void otherFilesAndHiddenEntriesInTheFolderAreNotPlugins() throws IOException {
        Path dir = pluginsDir();
        Files.writeString(dir.resolve("README.md"), "plugins go here");
        Files.createDirectories(dir.resolve(".cache"));
        ProbePlugins.jar(tmp, dir.resolve("probe.jar"), "probe.only", "only");

        List<LoadedPlugin> loaded = PluginLoader.loadInto(dir, hostFactories(), log);

        assertEquals(List.of(dir.resolve("probe.jar")), loaded.stream().map(LoadedPlugin::path).toList());
    }

    @Test
    void aMissingFolderIsAnError() {
        Path missing = tmp.resolve("nope");

        PluginLoadingException e = assertThrows(PluginLoadingException.class,
                () -> PluginLoader.loadInto(missing, hostFactories(), log));

        assertEquals("plugin folder " + missing + ": no such directory", e.getMessage());
        assertTrue(e instanceof SourceConfigurationException, "so the command line exits with status 2");
    }

    @Test
    void aFolderWithoutPluginsLoadsNothing() throws IOException {
        SourceFactories factories = hostFactories();
        List<String> before = new ArrayList<>(factories.schemes());

        assertEquals(List.of(), PluginLoader.loadInto(pluginsDir(), factories, log));
        assertEquals(before, new ArrayList<>(factories.schemes()));
        assertEquals("", log());
    }

    private static Class<?> loadFrom(LoadedPlugin plugin, String name) {
        try {
            return plugin.classLoader().loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
