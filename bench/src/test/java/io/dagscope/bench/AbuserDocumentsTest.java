package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.dagscope.graphql.GraphQlApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The abuser's documents are ones the server's default limits let through: valid, under 1,000 fields and depth 12. */
class AbuserDocumentsTest {

    static final GraphQLSchema SCHEMA = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser()
            .parse(GraphQlApi.schemaSdl()));

    @Test
    void everyDocumentIsValidAndUnderTheDefaultLimitsForFewOrManyTenants() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("tenant-" + i);
        }
        for (List<String> tenants : List.of(List.of("acme-corp"), List.of("acme-corp", "globex", "initech"), many)) {
            Map<String, String> docs = Abuser.documents(tenants);
            assertEquals(List.of("AbuseSeries", "AbuseRuns", "AbuseWide"), List.copyOf(docs.keySet()));
            Abuser abuser = new Abuser(null, docs, Instant.parse("2026-01-06T10:30:45Z"), new CallerStats("x"), 0, 0,
                    42);
            for (Map.Entry<String, String> d : docs.entrySet()) {
                ParseAndValidateResult r = ParseAndValidate.parseAndValidate(SCHEMA, ExecutionInput.newExecutionInput(
                        d.getValue()).variables(abuser.variables()).build());
                assertTrue(!r.isFailure(), d.getKey() + ": " + r.getErrors());
                OperationDefinition op = (OperationDefinition) r.getDocument().getDefinitions().get(0);
                int fields = fields(op.getSelectionSet());
                assertTrue(fields <= 1000 && fields > 100, d.getKey() + " selects " + fields + " fields");
                assertTrue(depth(op.getSelectionSet()) <= 12, d.getKey() + " is too deep");
            }
        }
    }

    @Test
    void eachRequestsWindowIsANewOneSoNoAnswerIsCached() {
        Abuser abuser = new Abuser(null, Map.of(), Instant.parse("2026-01-06T10:30:45Z"), new CallerStats("x"), 0, 0,
                42);
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> v = abuser.variables();
            Instant end = Instant.parse((String) v.get("end"));
            assertTrue(!end.isAfter(Instant.parse("2026-01-06T10:30:00Z")) && end.getEpochSecond() % 60 == 0, "" + v);
            double hours = (Double) v.get("hours");
            assertTrue(hours >= 24 && hours <= 1000, "" + v);
            seen.add(v);
        }
        assertTrue(seen.stream().distinct().count() >= 19, "the variables vary: " + seen);
    }

    static int fields(SelectionSet set) {
        int n = 0;
        if (set != null) {
            for (Selection<?> s : set.getSelections()) {
                Field f = (Field) s;
                n += 1 + fields(f.getSelectionSet());
            }
        }
        return n;
    }

    static int depth(SelectionSet set) {
        int d = 0;
        if (set != null) {
            for (Selection<?> s : set.getSelections()) {
                d = Math.max(d, 1 + depth(((Field) s).getSelectionSet()));
            }
        }
        return d;
    }
}
