package io.dagscope.server.http;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.schema.GraphQLFieldDefinition;
import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.server.config.Flag;
import io.dagscope.server.cli.ServeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The server's docs stay true to the code: the schema they show, an example for each root field, every flag. */
class DocsTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void apiDocsShowTheSchemaAsTheServerRunsItAndAnExampleForEveryRootField() throws IOException {
        String api = Files.readString(DOCS.resolve("api.md"));
        int start = api.indexOf("<!-- schema:start -->\n```graphql\n");
        int end = api.indexOf("```\n<!-- schema:end -->");
        assertTrue(start > 0 && end > start, "api.md marks its copy of the schema");

        assertEquals(GraphQlApi.schemaSdl().strip(), api.substring(start + "<!-- schema:start -->\n```graphql\n"
                .length(), end).strip());
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.systemUTC());
        for (GraphQLFieldDefinition field : new GraphQlApi(GraphQlApi.Ports.of(engine, java.util.List::of)).schema().getQueryType().getFieldDefinitions()) {
            assertTrue(api.contains("### " + field.getName() + "\n"), "api.md has a section for " + field.getName());
        }
        assertTrue(api.contains("graphql-transport-ws") && api.contains("new WebSocket("), "a subscription client");
    }

    @Test
    void serverDocsDescribeEveryFlagOfServe() throws IOException {
        String server = Files.readString(DOCS.resolve("server.md"));

        for (Flag flag : new ServeCommand().flags()) {
            assertTrue(server.contains("`--" + flag.name()), "server.md describes --" + flag.name());
        }
        for (String endpoint : new String[] {"/graphql", "/graphiql", "/health/ready", "/metrics"}) {
            assertTrue(server.contains(endpoint), endpoint);
        }
    }

    @Test
    void securityDocsShowAProxyThatUpgradesWebSockets() throws IOException {
        String security = Files.readString(DOCS.resolve("security.md"));

        assertTrue(security.contains("proxy_set_header   Upgrade") && security.contains("--auth")
                && security.contains("hash-token"));
    }
}
