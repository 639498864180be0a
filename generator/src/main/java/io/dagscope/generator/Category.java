package io.dagscope.generator;

/** What a workflow talks to, and so how it fails and which incidents hit it. */
enum Category {
    /** A CRM's HTTP API (HubSpot-shaped errors). */
    CRM,
    /** The Postgres warehouse (psycopg-shaped errors). */
    WAREHOUSE,
    /** An LLM API (OpenAI-client-shaped errors). */
    LLM,
    /** Microsoft Graph and Google Drive. */
    GRAPH,
    /** A contact-enrichment API. */
    ENRICHMENT,
    /** Slack and SMTP. */
    MESSAGING,
    /** S3 and local disk. */
    STORAGE,
    /** The payout rail. */
    PAYMENTS,
    /** The ERP's API. */
    ERP,
    /** Third-party source APIs (Segment, Zendesk, Stripe, ad networks, DocuSign). */
    SOURCE,
    /** In-process transformations: they fail on bad data, not on outages. */
    COMPUTE
}
