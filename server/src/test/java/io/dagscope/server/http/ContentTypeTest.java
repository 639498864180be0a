package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /graphql} reads its body as JSON when the media type is {@code application/json}, and only then. */
class ContentTypeTest {

    private static final String QUERY = "{\"query\": \"{ windowOf { end } }\"}";
    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Http.Response post(String contentType) {
        return fixture.http.send(HttpRequest.newBuilder(fixture.http.uri("/graphql")).header("Content-Type",
                contentType).POST(HttpRequest.BodyPublishers.ofString(QUERY)));
    }

    @Test
    void applicationJsonWithOrWithoutParametersAndAUtf8CharsetIsRead() {
        for (String type : List.of("application/json", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "Application/JSON", "application/json; charset=\"utf-8\"",
                "application/json ; charset=utf-8", "application/json;charset=utf8", "application/json; v=1")) {
            Http.Response response = post(type);

            assertEquals(200, response.status(), type + ": " + response.body());
            assertNull(response.json().get("errors"), type);
        }
    }

    @Test
    void aTypeThatOnlyStartsLikeJsonOrAnotherCharsetIsRefusedWith415() {
        for (String type : List.of("application/jsonp", "application/json-foo", "application/json+x",
                "application/json-seq", "application/graphql-response+json", "application/graphql", "text/json",
                "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
                "application/json; charset=\"utf-16\"", "application/json; charset=no-such-charset",
                "application/json;;", "application/json; charset", "application /json", "application/json, text/plain",
                "application/json; charset=utf-8; charset=latin1", "application/x-www-form-urlencoded", "*/*")) {
            Http.Response response = post(type);

            assertEquals(415, response.status(), type + ": " + response.body());
            assertEquals("UNSUPPORTED_MEDIA_TYPE", classification(response));
            assertTrue(message(response).contains("Content-Type: application/json"), message(response));
        }
    }

    @Test
    void parsingTheMediaTypeFollowsItsGrammar() {
        assertTrue(GraphQlRoutes.isJson("application/json; a=\"x;charset=latin1\""));
        assertTrue(!GraphQlRoutes.isJson(null));
        assertTrue(!GraphQlRoutes.isJson(""));
        assertTrue(!GraphQlRoutes.isJson("application/json; a=\"unterminated"));
    }
}
