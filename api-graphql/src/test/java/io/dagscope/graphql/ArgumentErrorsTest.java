package io.dagscope.graphql;

import static io.dagscope.graphql.Paths.at;
import static io.dagscope.graphql.Paths.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.in.TenantScope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A wrong argument is a GraphQL error that says what is wrong and where, and reaches no port. */
class ArgumentErrorsTest {

    private final FakeEngine engine = new FakeEngine();
    private final GraphQlApi api = GraphQlApi.of(engine);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "taskSummary(window: {hours: 0}) { windowEnd }     | taskSummary | 0",
        "tenantLoad(window: {hours: -1}) { tenant }        | tenantLoad  | -1",
        "schedules(window: {hours: 1000000}) { id }        | schedules   | 1000000",
        "windowOf(window: {hours: 876000.5}) { end }       | windowOf    | 876000.5",
    })
    void aWindowThatIsNotPositiveOrLongerThanAHundredYearsIsRejectedNamingWindowHours(String field, String name,
            String got) {
        Map<String, Object> result = api.execute("{ " + field + " }", null, null, TenantScope.ALL);

        Map<String, Object> error = onlyError(result);
        assertEquals("window.hours must be a positive number of hours, at most 876000 (100 years); got " + got,
                error.get("message"));
        assertEquals(List.of(name), error.get("path"));
        assertEquals(Map.of("classification", "BAD_USER_INPUT", "argument", "window.hours"), error.get("extensions"));
        assertEquals(List.of(Map.of("line", 1, "column", 3)), error.get("locations"));
        assertNull(result.get("data"), "a non-null root field that fails nulls the data");
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void aNotANumberWindowFromAJavaCallerIsRejected() {
        Map<String, Object> result = api.execute("query($w: WindowInput) { windowOf(window: $w) { end } }",
                Map.of("w", Map.of("hours", Double.NaN)), null, TenantScope.ALL);

        String message = (String) onlyError(result).get("message");
        assertTrue(message.startsWith("Variable 'w' has an invalid value"), message);
        assertTrue(message.contains("'Float'"), message);
    }

    @Test
    void aMalformedEndLiteralIsRejectedShowingTheValueAndTheExpectedFormat() {
        Map<String, Object> result = api.execute("{ taskSummary(window: {end: \"yesterday\"}) { windowEnd } }", null,
                null, TenantScope.ALL);

        String message = (String) onlyError(result).get("message");
        assertTrue(message.contains("Invalid DateTime 'yesterday': expected an ISO-8601 date-time with a UTC offset "
                + "or Z, such as 2025-10-21T18:00:00Z or 2025-10-21T18:00:00+02:00"), message);
        assertTrue(message.contains("window.end"), message);
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void aMalformedEndVariableIsRejectedShowingTheValueAndTheExpectedFormat() {
        Map<String, Object> result = api.execute("query($w: WindowInput) { tenantLoad(window: $w) { tenant } }",
                Map.of("w", Map.of("end", "21/10/2025 18:00")), null, TenantScope.ALL);

        String message = (String) onlyError(result).get("message");
        assertTrue(message.startsWith("Variable 'w' has an invalid value: Invalid DateTime '21/10/2025 18:00': "
                + "expected an ISO-8601 date-time"), message);
        assertTrue(engine.requests.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"-1", "1001", "2147483647"})
    void aPageSizeOutsideZeroToAThousandIsRejectedNamingFirst(int first) {
        Map<String, Object> result = api.execute("{ dagRuns(first: " + first + ") { totalCount } }", null, null,
                TenantScope.ALL);

        Map<String, Object> error = onlyError(result);
        assertEquals("first must be between 0 and 1000, got " + first, error.get("message"));
        assertEquals(List.of("dagRuns"), error.get("path"));
        assertEquals(Map.of("classification", "BAD_USER_INPUT", "argument", "first"), error.get("extensions"));
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void aCursorThePortDoesNotKnowIsAnErrorNamingAfterThatDoesNotRepeatTheCursor() {
        Map<String, Object> result = api.execute("{ dagRuns(after: \"garbage\") { totalCount } }", null, null,
                TenantScope.ALL);

        Map<String, Object> error = onlyError(result);
        assertEquals("Invalid cursor in after: not a cursor from a page of dagRuns; pass an endCursor or an edge's "
                + "cursor as it was given", error.get("message"));
        assertEquals(List.of("dagRuns"), error.get("path"));
        assertEquals(Map.of("classification", "BAD_USER_INPUT", "argument", "after"), error.get("extensions"));
    }

    @Test
    void aHugeOrHostileCursorIsNotEchoedBack() {
        for (String cursor : List.of("x".repeat(100_000), "<script>alert(1)</script>", "garbage\u0000\n")) {
            Map<String, Object> result = api.execute("query P($a: String) { dagRuns(after: $a) { totalCount } }",
                    Map.of("a", cursor), "P", TenantScope.ALL);

            String message = (String) onlyError(result).get("message");
            assertTrue(message.length() < 200, message.length() + " characters");
            assertFalse(message.contains("xxxx") || message.contains("script") || message.contains("garbage"), message);
        }
    }

    @Test
    void aBadArgumentOfANonNullRootFieldNullsTheWholeDataAsGraphQlPrescribes() {
        Map<String, Object> result = api.execute("{ run: dagRun(id: \"run-1\") { id } "
                + "page: dagRuns(first: -5) { totalCount } }", null, null, TenantScope.ALL);

        assertEquals("first must be between 0 and 1000, got -5", onlyError(result).get("message"));
        assertEquals(List.of("page"), onlyError(result).get("path"));
        assertTrue(result.containsKey("data"));
        assertNull(result.get("data"));
    }

    @Test
    void aMissingRequiredArgumentIsAValidationError() {
        Map<String, Object> result = api.execute("{ dagRun { id } }", null, null, TenantScope.ALL);

        String message = (String) onlyError(result).get("message");
        assertTrue(message.contains("dagRun") && message.contains("id"), message);
        assertEquals("ValidationError", at(result, "errors[0].extensions.classification"));
    }
}
