package io.dagscope.generator;

import io.dagscope.generator.ErrorFamily.Timing;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The errors the simulated workflows raise, by category: the kind of {@code str(e)} the real clients produce
 * (urllib3, psycopg, the OpenAI and Slack clients, boto, {@code KeyError}), some spanning lines with {@code \n} and
 * {@code \t}, with quoted ids and numbers, and one with non-ASCII names.
 */
final class ErrorCatalog {

    private static final String PG_CLOSED = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";
    private static final List<String> VENDORS = List.of("M\u00fcller Logistik GmbH", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale "
            + "Services", "\u00d8rsted Supply A/S", "Z\u00fcrich Freight AG", "Acme Widgets Ltd");

    private final Map<Category, List<ErrorFamily>> byCategory = new EnumMap<>(Category.class);
    private final Map<Category, List<ErrorFamily>> outagesByCategory = new EnumMap<>(Category.class);

    ErrorCatalog() {
        add(Category.CRM, true, false, Timing.QUICK, r -> "HTTPSConnectionPool(host='api.hubapi.com', port=443): "
                + "Max retries exceeded with url: /crm/v3/objects/companies?limit=100&archived=false (Caused by "
                + "NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f" + r.hex(10) + ">: Failed "
                + "to establish a new connection: [Errno 111] Connection refused'))");
        add(Category.CRM, true, false, Timing.TIMEOUT_30, r -> "upstream API did not answer in 30s");
        add(Category.CRM, false, false, Timing.QUICK, r -> "429 Client Error: Too Many Requests for url: "
                + "https://api.hubapi.com/crm/v3/objects/companies/batch/read?archived=false");
        add(Category.CRM, true, false, Timing.QUICK, r -> "502 Server Error: Bad Gateway for url: "
                + "https://api.hubapi.com/crm/v3/objects/contacts/search");

        add(Category.WAREHOUSE, true, false, Timing.QUICK, r -> PG_CLOSED);
        add(Category.WAREHOUSE, true, false, Timing.QUICK, r -> "connection to server at \"warehouse.internal\" "
                + "(10.0." + r.between(0, 9) + "." + r.between(2, 250) + "), port 5432 failed: Connection refused\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n");
        add(Category.WAREHOUSE, false, false, Timing.QUICK, r -> {
            int p1 = r.between(10_000, 99_999);
            int p2 = r.between(10_000, 99_999);
            long tx = r.between(10_000_000, 99_999_999);
            return "deadlock detected\nDETAIL:  Process " + p1 + " waits for ShareLock on transaction " + tx
                    + "; blocked by process " + p2 + ".\nProcess " + p2 + " waits for ShareLock on transaction "
                    + (tx + r.between(1, 40)) + "; blocked by process " + p1 + ".\nHINT:  See server log for query "
                    + "details.\nCONTEXT:  while updating tuple (" + r.between(0, 9000) + "," + r.between(1, 60)
                    + ") in relation \"crm_companies\"\n";
        });
        add(Category.WAREHOUSE, false, false, Timing.TIMEOUT_30, r -> "canceling statement due to statement timeout\n");
        add(Category.WAREHOUSE, false, true, Timing.QUICK, r -> "duplicate key value violates unique constraint "
                + "\"crm_companies_pkey\"\nDETAIL:  Key (id)=(" + r.between(1000, 999_999) + ") already exists.\n");
        add(Category.WAREHOUSE, false, false, Timing.QUICK, r -> "could not serialize access due to concurrent update\n");

        add(Category.LLM, true, false, Timing.QUICK, r -> {
            int used = r.between(27_000, 29_990);
            return "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-"
                    + r.hex(12) + " on tokens per min (TPM): Limit 30000, Used " + used + ", Requested "
                    + r.between(400, 6000) + ". Please try again in " + r.between(1, 9) + "." + r.between(100, 999)
                    + "s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', "
                    + "'param': None, 'code': 'rate_limit_exceeded'}}";
        });
        add(Category.LLM, false, true, Timing.QUICK, r -> "Error code: 400 - {'error': {'message': \"This model's "
                + "maximum context length is 128000 tokens. However, your messages resulted in "
                + r.between(128_001, 190_000) + " tokens. Please reduce the length of the messages.\", 'type': "
                + "'invalid_request_error', 'param': 'messages', 'code': 'context_length_exceeded'}}");
        add(Category.LLM, true, false, Timing.TIMEOUT_60, r -> "Request timed out.");
        add(Category.LLM, true, false, Timing.QUICK, r -> "Error code: 503 - {'error': {'message': 'The engine is "
                + "currently overloaded, please try again later', 'type': 'server_error', 'param': None, 'code': "
                + "None}}");

        add(Category.GRAPH, true, false, Timing.TIMEOUT_60, r -> "HTTPSConnectionPool(host='graph.microsoft.com', "
                + "port=443): Read timed out. (read timeout=60)");
        add(Category.GRAPH, false, true, Timing.QUICK, r -> "403 Forbidden: access token expired for scope "
                + "https://www.googleapis.com/auth/drive.readonly");
        add(Category.GRAPH, false, false, Timing.QUICK, r -> "429 Too Many Requests: Application is over its "
                + "MailboxConcurrency limit. Retry-After: " + r.between(2, 30));
        add(Category.GRAPH, false, true, Timing.QUICK, r -> "'@odata.nextLink'");

        add(Category.ENRICHMENT, true, false, Timing.QUICK, r -> "429 Too Many Requests: enrichment quota exceeded "
                + "for key 'cb_live_" + r.hex(4) + "'; retry after " + r.between(5, 60) + "s");
        add(Category.ENRICHMENT, false, true, Timing.QUICK, r -> "'domain'");
        add(Category.ENRICHMENT, true, false, Timing.TIMEOUT_30, r -> "upstream API did not answer in 30s");

        add(Category.MESSAGING, true, false, Timing.QUICK, r -> "The request to the Slack API failed. (url: "
                + "https://www.slack.com/api/chat.postMessage)\nThe server responded with: {'ok': False, 'error': "
                + "'ratelimited'}");
        add(Category.MESSAGING, false, true, Timing.QUICK, r -> "The request to the Slack API failed. (url: "
                + "https://www.slack.com/api/chat.postMessage)\nThe server responded with: {'ok': False, 'error': "
                + "'channel_not_found'}");
        add(Category.MESSAGING, true, false, Timing.QUICK, r -> "(421, b'4.7.0 Try again later, closing connection. "
                + "(EHLO) " + r.hex(8) + "si" + r.between(100_000, 999_999) + ".12 - gsmtp')");
        add(Category.MESSAGING, false, false, Timing.QUICK, r -> "Connection unexpectedly closed");

        add(Category.STORAGE, true, false, Timing.QUICK, r -> "An error occurred (SlowDown) when calling the PutObject "
                + "operation (reached max retries: 4): Please reduce your request rate.");
        add(Category.STORAGE, true, false, Timing.TIMEOUT_60, r -> "Could not connect to the endpoint URL: "
                + "\"https://s3.us-east-1.amazonaws.com/metrics-exports/part-"
                + zeros(5, r.between(0, 99_999)) + ".parquet\"");
        add(Category.STORAGE, false, true, Timing.QUICK, r -> "[Errno 28] No space left on device: '/tmp/export-"
                + r.between(1000, 99_999) + ".parquet'");

        add(Category.PAYMENTS, false, true, Timing.QUICK, r -> "409 Conflict: payout batch 'PB-"
                + r.between(2024, 2029) + zeros(2, r.between(1, 12)) + zeros(2, r.between(1, 28)) + "-"
                + zeros(4, r.between(1, 9999))
                + "' is already being processed");
        add(Category.PAYMENTS, false, true, Timing.QUICK, r -> "Invalid vendor bank account for '" + r.pick(VENDORS)
                + "' (IBAN DE89 **** " + zeros(4, r.between(0, 9999)) + ")");
        add(Category.PAYMENTS, true, false, Timing.QUICK, r -> "[Errno 104] Connection reset by peer");
        add(Category.PAYMENTS, true, false, Timing.TIMEOUT_30, r -> "upstream API did not answer in 30s");

        add(Category.ERP, true, false, Timing.QUICK, r -> "[Errno 104] Connection reset by peer");
        add(Category.ERP, true, false, Timing.TIMEOUT_30, r -> "HTTPSConnectionPool(host='erp.internal', port=8443): "
                + "Read timed out. (read timeout=30)");
        add(Category.ERP, false, true, Timing.QUICK, r -> "'invoice_id'");

        add(Category.SOURCE, true, false, Timing.TIMEOUT_30, r -> "upstream API did not answer in 30s");
        add(Category.SOURCE, true, false, Timing.TIMEOUT_30, r -> "HTTPSConnectionPool(host='api.stripe.com', "
                + "port=443): Read timed out. (read timeout=30)");
        add(Category.SOURCE, false, false, Timing.QUICK, r -> "429 Client Error: Too Many Requests for url: "
                + "https://support.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=" + r.hex(16));
        add(Category.SOURCE, false, false, Timing.QUICK, r -> "Expecting value: line 1 column 1 (char 0)");

        add(Category.COMPUTE, false, true, Timing.QUICK, r -> r.chance(0.5) ? "'thread_id'" : "'account_id'");
        add(Category.COMPUTE, false, true, Timing.QUICK, r -> r.chance(0.5) ? "could not convert string to float: 'N/A'"
                : "could not convert string to float: '" + r.between(1, 99) + "\u00a0" + r.between(100, 999) + ","
                + r.between(10, 99) + "'");
        add(Category.COMPUTE, false, true, Timing.QUICK, r -> "division by zero");
        add(Category.COMPUTE, false, false, Timing.QUICK, r -> "Unable to allocate " + r.between(1, 9) + "."
                + r.between(10, 99) + " GiB for an array with shape (" + r.between(100_000, 999_999) + ", 1000) and "
                + "data type float64");
    }

    /** Zero-padded digits, without String.format, whose digits would follow the default locale. */
    private static String zeros(int width, int value) {
        String digits = Integer.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    private void add(Category category, boolean outage, boolean sticky, Timing timing, Function<Rng, String> text) {
        ErrorFamily family = new ErrorFamily(category, outage, sticky, timing, text);
        byCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(family);
        if (outage) {
            outagesByCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(family);
        }
    }

    /**
     * @param category what failed
     * @param duringIncident whether an incident hits that category now: then it fails the way outages do
     * @param rng the run's random numbers
     * @return how it failed
     */
    ErrorFamily pick(Category category, boolean duringIncident, Rng rng) {
        List<ErrorFamily> outages = outagesByCategory.get(category);
        if (duringIncident && outages != null) {
            return rng.pick(outages);
        }
        return rng.pick(byCategory.get(category));
    }
}
