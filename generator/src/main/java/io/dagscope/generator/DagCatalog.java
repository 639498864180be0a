package io.dagscope.generator;

import io.dagscope.generator.DagTemplate.Cadence;
import io.dagscope.generator.DagTemplate.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DAGs and workflows the simulated orchestrator runs: the ones of the real samples (ops_sync, data_digest,
 * nightly_rollup, weekly_ops_chain, crm_sync and the checkpoint DAG invoice_payout_with_approval) and more of the
 * same kind, 2 to 8 tasks each.
 */
final class DagCatalog {

    /** The checkpoint DAG's name. */
    static final String CHECKPOINT_DAG = "invoice_payout_with_approval";

    private final Map<String, Workflow> workflows = new HashMap<>();
    private final List<DagTemplate> all = new ArrayList<>();

    DagCatalog() {
        workflow("crm_fetch", Category.CRM, 3.5, 0.9, 0.03);
        workflow("dedupe_records", Category.COMPUTE, 1.5, 0.7, 0.01);
        workflow("enrich_contacts", Category.ENRICHMENT, 4, 1.0, 0.03);
        workflow("warehouse_load", Category.WAREHOUSE, 6, 1.0, 0.02);
        workflow("notify_slack", Category.MESSAGING, 1.0, 0.6, 0.01);
        workflow("extract_events", Category.SOURCE, 5, 1.0, 0.02);
        workflow("extract_tickets", Category.SOURCE, 6, 1.0, 0.03);
        workflow("extract_billing", Category.SOURCE, 3, 0.9, 0.02);
        workflow("normalize_records", Category.COMPUTE, 2, 0.8, 0.005);
        workflow("join_datasets", Category.WAREHOUSE, 8, 1.0, 0.01);
        workflow("llm_summarize", Category.LLM, 12, 0.8, 0.04);
        workflow("render_report", Category.COMPUTE, 1.2, 0.6, 0.005);
        workflow("send_email", Category.MESSAGING, 1.5, 0.7, 0.01);
        workflow("db_snapshot", Category.WAREHOUSE, 20, 0.8, 0.02);
        workflow("compact_partitions", Category.WAREHOUSE, 15, 0.9, 0.03);
        workflow("rollup_metrics", Category.WAREHOUSE, 10, 0.9, 0.02);
        workflow("db_vacuum", Category.WAREHOUSE, 12, 0.8, 0.01);
        workflow("publish_rollup", Category.STORAGE, 3, 0.8, 0.02);
        workflow("inbox_drive_sweep", Category.GRAPH, 4, 1.0, 0.04);
        workflow("weekly_report_pack", Category.COMPUTE, 8, 1.0, 0.02);
        workflow("meeting_transcript_brief", Category.LLM, 6, 1.0, 0.04);
        workflow("erp_fetch_invoices", Category.ERP, 5, 0.9, 0.03);
        workflow("reconcile_ledger", Category.WAREHOUSE, 6, 0.8, 0.02);
        workflow("payout_execute", Category.PAYMENTS, 4, 0.8, 0.02);
        workflow("stripe_export", Category.SOURCE, 7, 1.0, 0.02);
        workflow("fx_convert", Category.COMPUTE, 1.0, 0.6, 0.005);
        workflow("parquet_write", Category.STORAGE, 4, 0.9, 0.01);
        workflow("s3_upload", Category.STORAGE, 3, 1.0, 0.02);
        workflow("zendesk_fetch", Category.SOURCE, 4, 1.0, 0.03);
        workflow("llm_classify", Category.LLM, 5, 0.9, 0.05);
        workflow("route_tickets", Category.COMPUTE, 0.8, 0.5, 0.005);
        workflow("events_fetch", Category.SOURCE, 6, 1.0, 0.02);
        workflow("sessionize", Category.COMPUTE, 9, 0.9, 0.01);
        workflow("compute_features", Category.COMPUTE, 15, 1.0, 0.02);
        workflow("validate_schema", Category.COMPUTE, 1, 0.5, 0.01);
        workflow("feature_store_write", Category.STORAGE, 6, 0.9, 0.02);
        workflow("model_drift_check", Category.COMPUTE, 5, 0.8, 0.01);
        workflow("publish_metrics", Category.STORAGE, 1.5, 0.6, 0.01);
        workflow("ads_fetch", Category.SOURCE, 5, 1.0, 0.06);
        workflow("attribution_model", Category.COMPUTE, 20, 0.9, 0.02);
        workflow("publish_report", Category.STORAGE, 2, 0.7, 0.01);
        workflow("erp_fetch_inventory", Category.ERP, 6, 1.0, 0.03);
        workflow("diff_snapshots", Category.COMPUTE, 3, 0.8, 0.005);
        workflow("jira_create", Category.SOURCE, 2, 0.8, 0.02);
        workflow("graph_calendar_fetch", Category.GRAPH, 2.5, 0.9, 0.03);
        workflow("db_upsert", Category.WAREHOUSE, 2, 0.8, 0.01);
        workflow("docusign_fetch", Category.SOURCE, 4, 0.9, 0.02);
        workflow("drive_upload", Category.GRAPH, 2, 0.8, 0.02);

        dag("ops_sync", "CRM ops sync (5 tasks: fan-out after fetch, fan-in at load)", Cadence.FREQUENT, true,
                task("fetch_accounts", "crm_fetch", 1, deps(), "object: companies", "since_minutes: 5"),
                task("dedupe", "dedupe_records", 0, deps("fetch_accounts"), "match_on: [domain, name]"),
                task("enrich", "enrich_contacts", 2, deps("fetch_accounts"), "provider: clearbit"),
                task("load_warehouse", "warehouse_load", 1, deps("dedupe", "enrich"), "table: crm_companies",
                        "mode: upsert"),
                task("notify", "notify_slack", 0, deps("load_warehouse"), "channel: \"#crm-sync\""));
        dag("data_digest", "Hourly product/support/billing digest (8 tasks: 3-way fan-in, then a chain)",
                Cadence.HOURLY, false,
                task("pull_events", "extract_events", 1, deps(), "source: segment", "window_minutes: 60"),
                task("pull_tickets", "extract_tickets", 1, deps(), "source: zendesk", "status: [new, open, pending]"),
                task("pull_billing", "extract_billing", 0, deps(), "source: stripe"),
                task("normalize", "normalize_records", 0, deps("pull_events", "pull_tickets", "pull_billing"),
                        "timezone: UTC"),
                task("join_metrics", "join_datasets", 0, deps("normalize"), "keys: [account_id, day]"),
                task("summarize", "llm_summarize", 2, deps("join_metrics"), "model: gpt-4o", "max_tokens: 800"),
                task("render_digest", "render_report", 0, deps("summarize"), "template: hourly_digest.md"),
                task("email_digest", "send_email", 1, deps("render_digest"), "to: ops-digest@example.com"));
        dag("nightly_rollup", "Nightly metrics rollup (6-task chain)", Cadence.DAILY, false,
                task("snapshot_db", "db_snapshot", 1, deps(), "database: analytics"),
                task("compact", "compact_partitions", 2, deps("snapshot_db"), "older_than_days: 2"),
                task("rollup_daily", "rollup_metrics", 2, deps("compact"), "grain: day"),
                task("rollup_weekly", "rollup_metrics", 2, deps("rollup_daily"), "grain: week"),
                task("vacuum", "db_vacuum", 0, deps("rollup_weekly"), "analyze: true"),
                task("publish", "publish_rollup", 1, deps("vacuum"), "destination: s3://metrics/rollups/"));
        all.add(new DagTemplate(CHECKPOINT_DAG, "Vendor payout with a human-in-the-loop checkpoint (run by an "
                + "external cron through run_dag_min.py; the scheduler's loader ignores `type`)", Cadence.HOURLY, true,
                List.of(task("pull_invoices", "erp_fetch_invoices", 1, deps(), "status: approved_for_payment"),
                        task("reconcile", "reconcile_ledger", 0, deps("pull_invoices"), "ledger: accounts_payable"),
                        new Task("finance_signoff", null, 0, deps("reconcile"), List.of()),
                        task("execute_payout", "payout_execute", 2, deps("finance_signoff"), "rail: ach"),
                        task("notify_vendors", "send_email", 1, deps("execute_payout"),
                                "template: remittance_advice"))));
        dag("weekly_ops_chain", "weekly_ops_chain: three tasks in a row, each retried once.", Cadence.FREQUENT,
                false,
                task("sweep", "inbox_drive_sweep", 1, deps()),
                task("weekly_report", "weekly_report_pack", 1, deps("sweep")),
                task("meeting_brief", "meeting_transcript_brief", 1, deps("weekly_report")));
        dag("crm_sync", "CRM -> warehouse incremental sync (2 tasks)", Cadence.FREQUENT, false,
                task("fetch_accounts", "crm_fetch", 2, deps(), "object: companies", "since_minutes: 30",
                        "page_size: 100"),
                task("load_warehouse", "warehouse_load", 1, deps("fetch_accounts"), "table: crm_companies",
                        "mode: upsert"));
        dag("billing_export", "Hourly billing export to the lake (4-task chain)", Cadence.HOURLY, true,
                task("extract_invoices", "stripe_export", 1, deps(), "object: invoices", "since_minutes: 60"),
                task("convert_currency", "fx_convert", 0, deps("extract_invoices"), "target: USD"),
                task("write_parquet", "parquet_write", 0, deps("convert_currency"), "compression: zstd"),
                task("upload", "s3_upload", 2, deps("write_parquet"), "bucket: billing-lake"));
        dag("support_triage", "Support ticket triage with an LLM classifier (4 tasks)", Cadence.FREQUENT, true,
                task("fetch_tickets", "zendesk_fetch", 1, deps(), "status: new"),
                task("classify", "llm_classify", 2, deps("fetch_tickets"), "model: gpt-4o-mini",
                        "labels: [billing, bug, how_to, churn_risk]"),
                task("route", "route_tickets", 0, deps("classify"), "rules: routing_v3"),
                task("notify", "notify_slack", 0, deps("route"), "channel: \"#support-triage\""));
        dag("ml_feature_refresh", "Feature store refresh (7 tasks: chain with a validation gate)", Cadence.HOURLY,
                false,
                task("load_events", "events_fetch", 1, deps(), "window_hours: 1"),
                task("sessionize", "sessionize", 0, deps("load_events"), "gap_minutes: 30"),
                task("compute_features", "compute_features", 1, deps("sessionize"), "feature_set: churn_v4"),
                task("validate", "validate_schema", 0, deps("compute_features"), "schema: churn_v4.json"),
                task("write_store", "feature_store_write", 2, deps("validate"), "store: online"),
                task("drift_check", "model_drift_check", 0, deps("write_store"), "threshold: 0.15"),
                task("publish", "publish_metrics", 1, deps("drift_check")));
        dag("marketing_attribution", "Daily marketing attribution (5 tasks: 2-way fan-in)", Cadence.DAILY, false,
                task("pull_ad_spend", "ads_fetch", 2, deps(), "networks: [google, meta, linkedin]"),
                task("pull_conversions", "events_fetch", 1, deps(), "event: signup_completed"),
                task("attribute", "attribution_model", 0, deps("pull_ad_spend", "pull_conversions"),
                        "model: time_decay"),
                task("reconcile_spend", "reconcile_ledger", 0, deps("attribute"), "ledger: marketing"),
                task("publish", "publish_report", 1, deps("reconcile_spend"), "dashboard: attribution"));
        dag("inventory_reconcile", "ERP inventory reconciliation (4 tasks)", Cadence.FREQUENT, true,
                task("fetch_inventory", "erp_fetch_inventory", 2, deps(), "warehouse: all"),
                task("diff", "diff_snapshots", 0, deps("fetch_inventory"), "tolerance: 0.01"),
                task("open_tickets", "jira_create", 1, deps("diff"), "project: OPS"),
                task("notify", "send_email", 1, deps("open_tickets"), "to: inventory@example.com"));
        dag("calendar_sync", "Calendar sync into the CRM (2 tasks)", Cadence.FREQUENT, false,
                task("fetch_events", "graph_calendar_fetch", 2, deps(), "calendars: shared"),
                task("upsert_events", "db_upsert", 1, deps("fetch_events"), "table: meetings"));
        dag("contract_review", "Contract summaries (3 tasks)", Cadence.HOURLY, false,
                task("fetch_contracts", "docusign_fetch", 1, deps(), "status: completed"),
                task("summarize", "llm_summarize", 2, deps("fetch_contracts"), "model: gpt-4o", "max_tokens: 1200"),
                task("file_summary", "drive_upload", 1, deps("summarize"), "folder: Contracts/Summaries"));
    }

    /**
     * @param count how many DAGs
     * @param withCheckpoint whether the checkpoint DAG may be among them (the new format)
     * @return that many DAGs, in catalog order, then the catalog again with numbered names ({@code ops_sync_2})
     */
    List<DagTemplate> pick(int count, boolean withCheckpoint) {
        List<DagTemplate> usable = new ArrayList<>();
        for (DagTemplate d : all) {
            if (withCheckpoint || d.checkpointIndex().isEmpty()) {
                usable.add(d);
            }
        }
        List<DagTemplate> repeatable = usable.stream().filter(d -> d.checkpointIndex().isEmpty()).toList();
        List<DagTemplate> out = new ArrayList<>(usable.subList(0, Math.min(count, usable.size())));
        for (int i = 0; out.size() < count; i++) {
            DagTemplate base = repeatable.get(i % repeatable.size());
            out.add(base.renamed(base.name() + "_" + (2 + i / repeatable.size())));
        }
        return out;
    }

    private void workflow(String ref, Category category, double median, double sigma, double failProbability) {
        workflows.put(ref, new Workflow(ref, category, median, sigma, failProbability));
    }

    private void dag(String name, String comment, Cadence cadence, boolean typed, Task... tasks) {
        all.add(new DagTemplate(name, comment, cadence, typed, Arrays.asList(tasks)));
    }

    private Task task(String id, String workflowRef, int retries, List<String> dependsOn, String... params) {
        Workflow w = workflows.get(workflowRef);
        if (w == null) {
            throw new IllegalStateException("no workflow " + workflowRef);
        }
        return new Task(id, w, retries, dependsOn, Arrays.asList(params));
    }

    private static List<String> deps(String... ids) {
        return Arrays.asList(ids);
    }
}
