//! Synthetic postmortems and queries for `hindsight bench`.
//!
//! Everything here is deterministic for a given seed: a small SplitMix64
//! generator drives the choice of one of 25 failure modes (connection-pool
//! exhaustion, DNS failures, an expired certificate, ...) and fills its
//! sentence templates with services, teams, versions, hosts, ids and
//! numbers, so that documents of the same mode share their vocabulary and
//! still differ in wording and detail. The records are ordinary
//! [`IncidentInput`]s that pass [`IncidentInput::validate`], as an import
//! file would hold them.
//!
//! The query generators produce what people paste into the search box: an
//! alert as it fired (about 500 characters, with labels and a couple of log
//! lines) and a paste of 50 log lines (mostly repeats with changing
//! timestamps, request ids and addresses, a few distinct errors, noise).

use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Evidence, Hypothesis, Learning, Link, MitigationAttempt,
    TimelineEntry,
};
use kb_domain::IncidentInput;

// ---------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`; equal seeds give equal sequences.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct elements in their original order.
    fn some<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in (1..idx.len()).rev() {
            let j = self.below(i + 1);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k.min(items.len())).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i]).collect()
    }

    /// `n` lowercase hex digits.
    fn hex(&mut self, n: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..n)
            .map(|_| DIGITS[self.below(16)] as char)
            .collect::<String>()
    }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/// Application services (60).
pub const SERVICES: &[&str] = &[
    "payments-api",
    "checkout",
    "inventory-sync",
    "auth-gateway",
    "cart-service",
    "order-service",
    "pricing-engine",
    "search-api",
    "recommendations",
    "notification-service",
    "email-sender",
    "sms-gateway",
    "user-profile",
    "account-service",
    "billing-worker",
    "invoice-generator",
    "shipping-calculator",
    "warehouse-api",
    "fulfillment-router",
    "returns-service",
    "fraud-detector",
    "risk-scoring",
    "ledger-service",
    "wallet-api",
    "loyalty-points",
    "coupon-service",
    "catalog-api",
    "product-images",
    "media-transcoder",
    "upload-service",
    "session-service",
    "token-issuer",
    "identity-provider",
    "admin-portal",
    "merchant-dashboard",
    "partner-api",
    "webhook-dispatcher",
    "event-ingest",
    "analytics-collector",
    "reporting-api",
    "export-worker",
    "scheduler",
    "feature-flags",
    "config-service",
    "geo-lookup",
    "address-validator",
    "tax-service",
    "currency-rates",
    "subscription-manager",
    "chat-backend",
    "support-desk",
    "mobile-bff",
    "web-frontend",
    "graphql-gateway",
    "api-gateway",
    "rate-limiter",
    "audit-log",
    "document-store-api",
    "kyc-verifier",
    "payout-service",
];

/// Datastores and queues the services depend on.
const DATASTORES: &[&str] = &[
    "orders-db",
    "users-db",
    "payments-db",
    "inventory-db",
    "ledger-db",
    "catalog-db",
    "sessions-db",
    "analytics-warehouse",
    "postgres-main",
    "mysql-legacy",
    "cassandra-events",
    "mongo-profiles",
    "elasticsearch-search",
    "kafka-main",
    "rabbitmq-jobs",
];

/// Shared infrastructure.
const INFRA: &[&str] = &[
    "edge-lb",
    "public-alb",
    "internal-nlb",
    "istio-ingress",
    "nginx-ingress",
    "envoy-edge",
    "haproxy-front",
    "cdn-edge",
];

const CACHES: &[&str] = &[
    "redis-cache",
    "redis-sessions",
    "memcached-catalog",
    "product-cache",
    "price-cache",
    "edge-cache",
];

const TEAMS: &[&str] = &[
    "payments",
    "platform",
    "sre",
    "data-infra",
    "identity",
    "storefront",
    "search",
    "logistics",
    "messaging",
    "mobile",
    "observability",
    "networking",
    "billing",
    "growth",
    "security",
    "merchant-tools",
];

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
];

const PROVIDERS: &[&str] = &[
    "Stripe",
    "Adyen",
    "Twilio",
    "SendGrid",
    "Auth0",
    "Cloudflare",
    "Fastly",
    "Akamai",
    "PayPal",
    "Braintree",
    "Segment",
    "Google Maps API",
    "Mailgun",
    "Okta",
    "Shippo",
];

const TABLES: &[&str] = &[
    "orders",
    "order_items",
    "payments",
    "users",
    "sessions",
    "inventory_levels",
    "shipments",
    "invoices",
    "carts",
    "events",
    "audit_log",
    "refunds",
    "subscriptions",
];

const TOPICS: &[&str] = &[
    "order-events",
    "payment-events",
    "inventory-updates",
    "notifications",
    "audit-trail",
    "clickstream",
    "email-outbound",
    "webhook-deliveries",
];

const FLAGS: &[&str] = &[
    "new_checkout_flow",
    "async_inventory_reservation",
    "pricing_v2",
    "recs_ranker_v3",
    "batch_webhooks",
    "lazy_session_refresh",
    "split_tender_payments",
    "graphql_cart",
];

const ACTION_NOUNS: &[&str] = &[
    "checkout",
    "logins",
    "search",
    "order history",
    "payments",
    "sign-ups",
    "password resets",
    "order tracking",
];

const USER_ACTIONS: &[&str] = &[
    "check out",
    "log in",
    "place orders",
    "track their shipments",
    "pay invoices",
    "search the catalogue",
    "receive password-reset emails",
    "upload documents",
    "view their dashboards",
    "top up their balance",
    "redeem coupons",
    "update their payment method",
];

const FIRST: &[&str] = &[
    "Priya",
    "Marcus",
    "Ana",
    "Tomasz",
    "Keiko",
    "Oluwaseun",
    "Lena",
    "Diego",
    "Fatima",
    "Jonas",
    "Mei",
    "Rahul",
    "Sofia",
    "Kwame",
    "Ingrid",
    "Mateo",
    "Yuki",
    "Hannah",
    "Arjun",
    "Chloe",
    "Emeka",
    "Noor",
    "Lucas",
    "Aiko",
    "Farah",
    "Pavel",
    "Grace",
    "Omar",
    "Elif",
    "Sam",
];

const LAST: &[&str] = &[
    "Raman", "Feld", "Oliveira", "Nowak", "Tanaka", "Adeyemi", "Schmidt", "Alvarez", "Haddad",
    "Berg", "Chen", "Mehta", "Rossi", "Mensah", "Larsen", "Garcia", "Sato", "Fischer", "Iyer",
    "Martin", "Okafor", "Khan", "Dubois", "Mori", "Aziz", "Volkov", "Kim", "Farouk", "Yilmaz",
    "Baker",
];

const EFFECTS: &[&str] = &[
    "returned errors to most callers",
    "timed out on a large share of requests",
    "stopped processing work",
    "served slow and partial responses",
    "failed health checks in several zones",
    "answered with 503s at the edge",
];

const PERIODS: &[&str] = &[
    "morning",
    "evening",
    "lunchtime",
    "overnight batch",
    "end-of-month",
    "Black Friday",
];

const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const WEEKDAYS: &[&str] = &[
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Generic tags added beside a mode's own.
const EXTRA_TAGS: &[&str] = &[
    "customer-facing",
    "rollback",
    "on-call",
    "automation",
    "human-error",
    "monitoring-gap",
    "weekend",
    "cascading-failure",
];

// ---------------------------------------------------------------------------
// Failure modes
// ---------------------------------------------------------------------------

/// One kind of failure, with the sentence templates a postmortem about it is
/// written from. Templates name placeholders in braces (`{svc}`, `{ms}`);
/// see `Ctx::put`.
pub struct Mode {
    /// Short stable key (`conn-pool`), carried in external ids and queries.
    pub key: &'static str,
    /// Whether a datastore (`{dep}`) is among the services involved.
    store: bool,
    /// Pattern names.
    names: &'static [&'static str],
    tags: &'static [&'static str],
    /// Clauses saying what happened ("the pool ran dry").
    what: &'static [&'static str],
    titles: &'static [&'static str],
    symptoms: &'static [&'static str],
    causes: &'static [&'static str],
    triggers: &'static [&'static str],
    fixes: &'static [&'static str],
    detection: &'static [&'static str],
    actions: &'static [&'static str],
    /// Alert name and description.
    alerts: &'static [(&'static str, &'static str)],
    /// Log level and message.
    logs: &'static [(&'static str, &'static str)],
    /// Hypotheses that turn out right.
    hyp: &'static [&'static str],
    /// Hypotheses that turn out wrong.
    wrong: &'static [&'static str],
}

/// The 25 failure modes.
pub const MODES: &[Mode] = &[
    Mode {
        key: "conn-pool",
        store: true,
        names: &["Connection pool exhaustion", "Database connection pool starvation", "Pool exhaustion behind a slow dependency"],
        tags: &["database", "capacity", "connection-pool", "latency", "timeouts"],
        what: &["the {dep} connection pool ran dry", "every {svc} thread ended up waiting for a {dep} connection", "connections to {dep} were held for seconds and the pool was exhausted"],
        titles: &["{svc} timeouts as the {dep} connection pool is exhausted", "Connection pool exhaustion on {dep} stalls {svc}", "{svc} requests hang waiting for {dep} connections", "{action_noun} errors: {svc} pool at {size}/{size} connections"],
        symptoms: &["Requests to {svc} started timing out while CPU on {dep} stayed low.", "The {dep} pool sat at {size}/{size} connections in use with hundreds of waiters, and p99 latency climbed above {sec} seconds.", "Errors read `timeout acquiring connection from pool` and upstream callers answered 504.", "Threads piled up in `getConnection()` and health checks began to fail one pod after another."],
        causes: &["Each request held its {dep} connection for the whole call to {svc2}, which had slowed to several seconds, so the pool of {size} connections drained within a minute.", "A code change in {ver} opened a transaction before an outbound HTTP call; when that call slowed, connections were held for seconds instead of milliseconds.", "The pool was sized at {size} connections for a single instance, but autoscaling added pods that shared the same database limit, and a timeout path skipped `close()` so leaked connections were never returned."],
        triggers: &["Traffic rose {pct}% above the daily peak during a marketing campaign.", "A slow dependency ({svc2}) turned every request into a long-held connection.", "Release {ver} changed the connection handling on the error path."],
        fixes: &["Restarted {svc} pods in batches to release the held connections and temporarily raised the pool size from {size} to {n2}.", "Rolled {svc} back from {ver} to {prev}; the pool drained to normal within two minutes.", "Shed load at the gateway and set a 2 s timeout on calls to {svc2} so connections were returned quickly."],
        detection: &["Alert on pool utilisation above 80% and on the number of threads waiting for a connection, not only on error rate.", "Watch the ratio of connection hold time to query time; a jump means work outside the database is holding connections."],
        actions: &["Move the outbound call to {svc2} outside the database transaction", "Add an alert on {dep} pool waiters", "Set the connection acquisition timeout to 1 s in {svc}", "Load-test {svc} with a slow dependency injected"],
        alerts: &[("DBConnectionPoolExhausted", "pool {dep} in_use={size} size={size} waiters={n2} max_wait={sec}s"), ("HikariPoolPendingThreadsHigh", "{svc}: {n2} threads pending on pool {dep} for more than 2 minutes")],
        logs: &[("ERROR", "acquire failed: connection pool exhausted (size={size} in_use={size} waiting={n2})"), ("WARN", "slow acquire: waited {ms}ms for a connection to {host}"), ("ERROR", "HikariPool-1 - Connection is not available, request timed out after {ms}ms."), ("ERROR", "upstream request timeout status=504 path=/api/v1/orders upstream={svc}")],
        hyp: &["The pool exhaustion on {dep} is downstream of slow calls to {svc2}.", "Connections are held across an outbound call since {ver}."],
        wrong: &["The {dep} primary is overloaded and needs a bigger instance.", "A network partition between {svc} and {dep}."],
    },
    Mode {
        key: "dns",
        store: false,
        names: &["DNS resolution failures", "Resolver overload", "Stale DNS after a record change"],
        tags: &["dns", "network", "config", "kubernetes"],
        what: &["lookups for internal names started failing with SERVFAIL", "the cluster resolver stopped answering for {svc2}.internal", "a DNS record for {svc2} pointed at decommissioned addresses"],
        titles: &["Intermittent DNS resolution failures break {svc} calls to {svc2}", "{svc} outage: NXDOMAIN for internal service names", "CoreDNS overload causes lookup timeouts across {cluster}", "Stale DNS record sends {svc} traffic to retired hosts"],
        symptoms: &["Calls from {svc} failed with `no such host` and `i/o timeout` on lookups, while the target hosts were healthy.", "Error rates rose in bursts every few seconds, matching the resolver's cache expiry.", "Only pods on some nodes were affected; curl by IP worked while curl by name hung for {sec} seconds."],
        causes: &["The CoreDNS deployment ran two replicas sized years ago; a new sidecar doubled the query rate with `ndots:5` search expansion, and the resolvers hit their CPU limit and dropped queries.", "A Terraform change removed the private hosted zone association for {region}, so internal names returned NXDOMAIN until the zone was re-attached.", "The DNS record for {svc2} was updated during a migration, but clients cached the old address for the full {mins}-minute TTL and the old hosts had already been shut down."],
        triggers: &["A routine node pool upgrade rescheduled both CoreDNS replicas onto the same node.", "Query volume grew {pct}% after a new batch job started resolving external names for every request.", "An infrastructure change applied to {region} at the start of the incident."],
        fixes: &["Scaled CoreDNS from 2 to {n} replicas, enabled NodeLocal DNSCache and lowered `ndots` to 2 for {svc}.", "Re-attached the private zone and flushed resolver caches; lookups recovered within a minute.", "Pointed the record back at live hosts and restarted clients that pinned the stale address."],
        detection: &["Alert on resolver SERVFAIL rate and on lookup latency from a probe pod in every node pool.", "Synthetic checks that resolve internal names, not just hit IPs, catch this within a minute."],
        actions: &["Autoscale CoreDNS on query rate", "Set ndots:2 in the default pod DNS config", "Add a DNS lookup probe per node pool", "Lower the TTL before any record migration"],
        alerts: &[("CoreDNSErrorsHigh", "coredns SERVFAIL rate {pct}% over 5m in {cluster}"), ("ServiceLookupFailures", "{svc}: {n2} failed lookups for {svc2}.internal in 1m")],
        logs: &[("ERROR", "dial tcp: lookup {svc2}.svc.cluster.local on 10.96.0.10:53: read udp {ip}:{port}->10.96.0.10:53: i/o timeout"), ("ERROR", "getaddrinfo ENOTFOUND {svc2}.internal"), ("WARN", "plugin/errors: 2 {svc2}.internal. A: read udp {ip}:{port}->10.0.0.2:53: i/o timeout"), ("ERROR", "java.net.UnknownHostException: {svc2}.internal: Name or service not known")],
        hyp: &["CoreDNS is dropping queries because it is CPU-throttled.", "Internal names stopped resolving after an infrastructure change."],
        wrong: &["{svc2} itself is down.", "A security group change is blocking traffic to {svc2}."],
    },
    Mode {
        key: "tls-expiry",
        store: false,
        names: &["Expired TLS certificate", "Certificate expiry outage", "Missed certificate renewal"],
        tags: &["certificates", "security", "tls", "automation"],
        what: &["the TLS certificate for {svc}.example.com expired", "an intermediate certificate in the chain served by {infra} expired", "the client certificate {svc} uses for mutual TLS to {provider} expired"],
        titles: &["Expired TLS certificate takes down {svc}", "{svc} handshake failures after certificate expiry", "mTLS to {provider} fails: client certificate expired", "Certificate renewal job silently failing for {n} weeks"],
        symptoms: &["Clients failed with `x509: certificate has expired or is not yet valid` and browsers showed a full-page security warning.", "All HTTPS requests to {svc} failed at the handshake while the service itself was healthy and idle.", "Mobile apps with pinned certificates failed first; the error budget of {svc} burned in minutes."],
        causes: &["The certificate was renewed by a cron job on a host that had been decommissioned; nobody noticed the job had stopped running.", "cert-manager failed its ACME HTTP-01 challenge for {n} weeks because a new ingress rule redirected `/.well-known/` to the app, and the only warning went to an unmonitored mailbox.", "The certificate was uploaded by hand years ago and the expiry reminder went to an engineer who had left the company."],
        triggers: &["The certificate reached its notAfter time at {clock} UTC.", "A load balancer restart picked up the expired certificate from its store.", "{provider} began enforcing certificate validity on its side."],
        fixes: &["Issued a new certificate manually, deployed it to {infra} and reloaded the listeners.", "Fixed the ACME challenge route, forced cert-manager to re-issue, and restarted the ingress controllers.", "Rotated the client certificate with {provider} support on a bridge call."],
        detection: &["Alert on any certificate within 21 days of expiry, from an external probe, not from the renewal job itself.", "Track certificate expiry as a metric scraped from every endpoint and mTLS client."],
        actions: &["Inventory every certificate and its owner", "Alert 21 days before certificate expiry", "Move {svc} certificates to cert-manager", "Monitor ACME renewal failures"],
        alerts: &[("SSLCertExpiringSoon", "certificate for {svc}.example.com expires in 0 days"), ("HTTPSProbeFailed", "blackbox probe https://{svc}.example.com failed: x509 certificate expired")],
        logs: &[("ERROR", "tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {day}T{clock}:00Z is after {day}T00:00:00Z"), ("ERROR", "SSL routines:ssl3_read_bytes:sslv3 alert certificate expired"), ("WARN", "http: TLS handshake error from {ip}:{port}: remote error: tls: bad certificate"), ("ERROR", "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: validity check failed")],
        hyp: &["The certificate served by {infra} has expired.", "The renewal automation has not run for weeks."],
        wrong: &["A bad deploy of {svc} broke HTTPS.", "{provider} is having an outage."],
    },
    Mode {
        key: "disk-full",
        store: true,
        names: &["Disk full", "Volume out of space", "Log volume exhaustion"],
        tags: &["storage", "capacity", "database", "logging"],
        what: &["the data volume on {host} filled to 100%", "{dep} ran out of disk space", "verbose logging filled the root volume on the {svc} hosts"],
        titles: &["{dep} stops accepting writes: disk full on {host}", "{svc} crash-loops after the root volume fills with logs", "No space left on device halts {svc} writes", "WAL archive fills the {dep} data volume"],
        symptoms: &["Writes failed with `No space left on device` while reads kept working.", "{svc} pods crash-looped because they could not write temporary files.", "The database switched to read-only and every insert from {svc} returned an error."],
        causes: &["WAL archiving to object storage had been failing for {n} days because of an expired credential, so WAL segments accumulated locally until the {gb} GB volume was full.", "A debug log level left on after an investigation wrote {gb} GB a day to the root volume, which has no log rotation.", "A replication slot for a decommissioned consumer kept {dep} from recycling WAL, growing the volume by {n} GB an hour."],
        triggers: &["A bulk backfill job generated ten times the usual write volume.", "Log volume spiked with an error loop in {svc2}.", "Weekly compaction needed temporary space the volume no longer had."],
        fixes: &["Dropped the stale replication slot, expanded the volume by {gb} GB online and restarted archiving.", "Deleted rotated logs, set the log level back to INFO and added logrotate for /var/log/{svc}.", "Moved the temp directory to a separate volume and restarted {svc}."],
        detection: &["Alert on predicted time-to-full (linear fit over 6 h), not just on a percentage.", "Alert when WAL archiving fails or a replication slot is inactive for more than an hour."],
        actions: &["Alert on disk time-to-full under 24 h", "Add log rotation to all {svc} hosts", "Alert on inactive replication slots", "Separate data and log volumes on {dep}"],
        alerts: &[("NodeFilesystemAlmostFull", "{host}:/var/lib/data 99.{n}% used, {n} MB free"), ("DiskWillFillIn4Hours", "filesystem on {host} predicted to fill within 4 hours")],
        logs: &[("ERROR", "could not write to file \"pg_wal/xlogtemp.{pid}\": No space left on device"), ("ERROR", "write /var/log/{svc}/app.log: no space left on device"), ("FATAL", "could not extend file \"base/16384/{big}\": No space left on device"), ("WARN", "archive command failed with exit code 1: upload of segment failed: AccessDenied")],
        hyp: &["The data volume on {host} is full.", "WAL is not being recycled on {dep}."],
        wrong: &["Disk I/O is saturated by a noisy neighbour.", "Data corruption on the {dep} primary."],
    },
    Mode {
        key: "oom",
        store: false,
        names: &["OOM kills", "Memory limit too low", "Memory leak under load"],
        tags: &["memory", "kubernetes", "capacity", "deploy"],
        what: &["{svc} pods were OOM-killed over and over", "a memory leak in {svc} exhausted the container limit", "the kernel OOM killer took down {svc} workers"],
        titles: &["{svc} pods OOMKilled in a loop after {ver}", "Memory leak in {svc} causes rolling restarts", "OOM kills on {svc} during the {period} peak", "{svc} workers killed by the kernel OOM killer"],
        symptoms: &["Pods restarted every {mins} minutes with exit code 137 and reason OOMKilled.", "Memory climbed linearly after each restart until the container limit, then the pod vanished mid-request.", "Clients saw connection resets and 502s in waves matching the restarts."],
        causes: &["Release {ver} added an in-process cache with no size bound; under production key cardinality it grew by {n} MB a minute.", "The JVM heap was set to 90% of the container limit, leaving no room for metaspace, thread stacks and direct buffers.", "A request with a huge payload was parsed fully into memory; a client retried it in a loop, and each attempt allocated {gb} GB."],
        triggers: &["Traffic reached its weekly peak.", "A partner started sending batch uploads larger than any seen before.", "Deploy of {ver} at {clock} UTC."],
        fixes: &["Rolled back to {prev} and raised the memory limit while the leak was fixed.", "Capped the cache at {n2} entries and redeployed.", "Blocked the oversized requests at the gateway and added a body size limit."],
        detection: &["Alert on container restarts with reason OOMKilled and on memory working set above 85% of the limit.", "Compare memory growth per request across versions in canary analysis."],
        actions: &["Bound the in-process cache in {svc}", "Alert on OOMKilled restarts", "Set -XX:MaxRAMPercentage=70 for JVM services", "Add request body size limits at the gateway"],
        alerts: &[("KubePodCrashLooping", "pod {pod} is restarting {n} times / 10 minutes (OOMKilled)"), ("ContainerMemoryNearLimit", "{svc} working set at 97% of limit")],
        logs: &[("WARN", "Memory cgroup out of memory: Killed process {pid} (java) total-vm:{big}kB, anon-rss:{big}kB"), ("ERROR", "java.lang.OutOfMemoryError: Java heap space"), ("INFO", "Container {svc} terminated: reason=OOMKilled exitCode=137 restartCount={n}"), ("ERROR", "upstream connect error or disconnect/reset before headers. reset reason: connection termination")],
        hyp: &["{svc} leaks memory since {ver}.", "The container memory limit is too low for the heap settings."],
        wrong: &["A faulty node is killing pods.", "Bot traffic is overloading {svc}."],
    },
    Mode {
        key: "bad-deploy",
        store: false,
        names: &["Bad deploy", "Broken release rolled out everywhere", "Deploy without a canary"],
        tags: &["deploy", "rollback", "testing", "human-error"],
        what: &["release {ver} of {svc} shipped a bug that failed most requests", "a broken build of {svc} went to every region at once", "{ver} of {svc} changed an API response that {svc2} could not parse"],
        titles: &["{svc} {ver} release breaks {action_noun}", "Bad deploy of {svc} causes {pct}% errors", "Rollback of {svc} {ver} after null pointer exceptions", "{svc2} fails to parse responses from {svc} {ver}"],
        symptoms: &["The error rate jumped from 0.1% to {pct}% within two minutes of the deploy finishing.", "Logs filled with NullPointerException in a handler that had not changed in months.", "{svc2} began failing to deserialize responses, with `unknown field` and `missing field` errors."],
        causes: &["A refactor in {ver} changed a field from optional to required; older clients omitted it and every such request threw.", "The release contained a code path that assumed a column a pending migration had not created yet.", "The deploy pipeline skipped the canary stage because a flag meant for a hotfix was left on."],
        triggers: &["Deploy of {ver} started at {clock} UTC.", "The pipeline promoted the release to all regions in one step.", "A late Friday merge went out with the Monday train."],
        fixes: &["Rolled back to {prev}; errors returned to baseline within {n} minutes.", "Paused the pipeline, reverted the commit and redeployed.", "Hotfixed the parser in {svc2} to accept both shapes, then rolled {svc} back."],
        detection: &["Roll back automatically when the canary's error rate exceeds the baseline by 2x over 5 minutes.", "Contract tests between {svc} and {svc2} in CI."],
        actions: &["Make the canary stage mandatory", "Add contract tests between {svc} and {svc2}", "Automate rollback on error-rate regression", "Block deploys after 16:00 on Fridays"],
        alerts: &[("HighErrorRate", "{svc} 5xx ratio {pct}% over 5m (threshold 2%)"), ("DeployErrorBudgetBurn", "{svc} burning error budget 14x after deploy {ver}")],
        logs: &[("ERROR", "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"request.locale\" is null"), ("ERROR", "panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation]"), ("ERROR", "failed to decode response from {svc}: missing field `currency` at line 1 column {n2}"), ("INFO", "deployment {svc} rolled out revision {ver} to {n} pods")],
        hyp: &["Release {ver} of {svc} introduced the errors.", "The new response format of {svc} breaks {svc2}."],
        wrong: &["A slow database behind {svc}.", "An infrastructure change in the same window."],
    },
    Mode {
        key: "config-push",
        store: false,
        names: &["Bad config push", "Global configuration change", "Config change without validation"],
        tags: &["config", "deploy", "human-error", "automation"],
        what: &["a configuration push set an invalid value for {svc}", "a global config change disabled routing for {svc}", "a typo in a YAML config took {svc} out of the load balancer pool"],
        titles: &["Config push breaks {svc} in all regions", "Invalid {svc} configuration rolled out globally", "Timeout misconfiguration in {svc} config causes cascading errors", "{svc} rejects traffic after a config change"],
        symptoms: &["All {svc} instances reloaded configuration within seconds of each other and began rejecting requests.", "Errors appeared in every region in the same minute, ruling out a regional problem.", "Latency jumped because every call to {svc2} now timed out after {n} ms."],
        causes: &["The config system pushes to every instance at once, and the new value (`timeout_ms: {n}`) was a typo that no schema check caught.", "A YAML indentation error turned a nested allowlist into an empty list, so all traffic was denied.", "The change was reviewed as text, but the config was templated and the rendered value differed from what the reviewer saw."],
        triggers: &["A config change merged at {clock} UTC.", "An automated sync job propagated the change to all regions.", "An engineer edited the config by hand during an earlier incident."],
        fixes: &["Reverted the config commit; instances picked up the old value within a minute.", "Pinned the previous config version in the control plane and paused sync.", "Restarted {svc} with the last known good config from the release bundle."],
        detection: &["Validate rendered configuration against a schema before the push, and roll config out region by region with health gates.", "Alert on a sudden change in error rate correlated with a config version change."],
        actions: &["Stage config pushes by region with health checks", "Schema-validate rendered config in CI", "Show rendered diffs in config reviews", "Record the config version as a metric label"],
        alerts: &[("ConfigReloadErrors", "{svc}: config version {sha} rejected by {n} instances"), ("AllRegionsErrorSpike", "5xx above 20% in {n} regions simultaneously for {svc}")],
        logs: &[("ERROR", "config reload failed: yaml: line {n}: did not find expected key"), ("WARN", "loaded config version {sha}: upstream.timeout_ms={n}"), ("ERROR", "request denied by policy: source {ip} not in allowlist (allowlist is empty)"), ("ERROR", "context deadline exceeded calling {svc2} after {n}ms")],
        hyp: &["The config version {sha} pushed at {clock} broke {svc}.", "The rendered allowlist is empty."],
        wrong: &["A DDoS against {svc}.", "A bad code deploy of {svc}."],
    },
    Mode {
        key: "cache-stampede",
        store: true,
        names: &["Cache stampede", "Thundering herd on cache expiry", "Cold cache after a flush"],
        tags: &["cache", "database", "capacity", "latency"],
        what: &["a mass cache expiry sent every request to {dep}", "the {cache} cache was flushed and the herd overwhelmed {dep}", "hot keys expired together and {svc} stampeded {dep}"],
        titles: &["Cache stampede on {cache} overloads {dep}", "{svc} latency spike after a {cache} flush", "Thundering herd on hot keys takes down {dep}", "Cold cache after failover stalls {svc}"],
        symptoms: &["The cache hit ratio fell from 98% to {pct}% and {dep} CPU went to 100% within a minute.", "Thousands of identical queries for the same key hit the database at once.", "{svc} latency went from 40 ms to {sec} s while the cache cluster itself looked healthy."],
        causes: &["All product keys were written by a nightly job with the same TTL, so they expired in the same second and every miss went to {dep} with no request coalescing.", "A {cache} failover started an empty replica; without warm-up, the full read load landed on {dep}.", "An engineer ran FLUSHALL on what they believed was the staging cluster."],
        triggers: &["The nightly TTL expiry at {clock} UTC.", "A {cache} node was replaced during maintenance.", "A manual flush while debugging."],
        fixes: &["Collapsed cache misses per key (single flight), served stale values, and let the cache refill.", "Warmed the cache from a snapshot and temporarily raised {dep} read replicas to {n}.", "Blocked traffic to the heaviest endpoints at the gateway until the hit ratio recovered."],
        detection: &["Alert on cache hit ratio drops, not just on cache availability.", "Watch for duplicate identical queries per second on {dep}."],
        actions: &["Add jitter to cache TTLs", "Coalesce concurrent cache misses", "Require confirmation for FLUSHALL in production", "Warm replacement cache nodes before serving"],
        alerts: &[("CacheHitRatioLow", "{cache} hit ratio {pct}% (baseline 98%)"), ("DatabaseCPUHigh", "{dep} CPU 99% for 5m, active queries {n2}")],
        logs: &[("WARN", "cache miss key=product:{big} fallback=db latency_ms={ms}"), ("ERROR", "redis: connection pool timeout after {ms}ms"), ("WARN", "slow query: SELECT * FROM products WHERE id = $1 duration={ms}ms"), ("ERROR", "FATAL: sorry, too many clients already")],
        hyp: &["The cache hit ratio collapsed and the misses overload {dep}.", "Keys with identical TTLs expired together."],
        wrong: &["{dep} has a hardware fault.", "A slow query introduced by the last deploy of {svc}."],
    },
    Mode {
        key: "retry-storm",
        store: false,
        names: &["Retry storm", "Retry amplification", "Cascading retries"],
        tags: &["retries", "capacity", "cascading-failure", "latency"],
        what: &["retries from {svc} amplified a small slowdown in {svc2} into an outage", "clients retried without backoff and multiplied the load on {svc2}", "a retry storm kept {svc2} overloaded after the original fault was gone"],
        titles: &["Retry storm from {svc} keeps {svc2} down", "Cascading retries turn a {svc2} blip into an outage", "{svc2} overloaded by {n}x retry amplification", "Retries without backoff overwhelm {svc2}"],
        symptoms: &["{svc2} received {n}x its normal request rate although user traffic was flat.", "The original error cleared after a minute but {svc2} stayed saturated for {mins} minutes.", "Every layer retried three times, so a single user request became up to 27 calls."],
        causes: &["Three layers ({svc}, the gateway and the mobile client) each retried three times with no backoff or jitter and no retry budget.", "The client library retried on timeouts as well as on connection errors, so slow responses doubled the load.", "A circuit breaker was configured but its threshold was never reached because errors were spread across {n} hosts."],
        triggers: &["A short GC pause in {svc2}.", "A network blip of a few seconds in {region}.", "A brief spike in traffic after a push notification."],
        fixes: &["Disabled retries in {svc} with a feature flag and shed load at the gateway until {svc2} recovered.", "Scaled {svc2} to {n2} pods and enabled the circuit breaker.", "Blocked the retrying client version at the edge."],
        detection: &["Alert when the ratio of upstream calls to incoming requests rises above 1.5.", "Expose retry counts as metrics per client."],
        actions: &["Add exponential backoff with jitter to {svc} clients", "Introduce retry budgets at the gateway", "Retry at one layer only", "Alert on the call amplification ratio"],
        alerts: &[("UpstreamRequestRateAnomaly", "{svc2} request rate {n}x baseline with flat ingress"), ("ServiceOverloaded", "{svc2} p99 {sec}s, queue depth {n2}")],
        logs: &[("WARN", "retrying request to {svc2} attempt={n}/3 after error: context deadline exceeded"), ("ERROR", "upstream {svc2} returned 503 Service Unavailable, retrying"), ("WARN", "circuit breaker {svc2} state=HALF_OPEN"), ("ERROR", "request failed after 3 attempts: 503 Service Unavailable")],
        hyp: &["Retries, not user traffic, are keeping {svc2} overloaded.", "Retries at several layers multiply each request."],
        wrong: &["A traffic surge from a marketing campaign.", "{svc2} has a memory leak."],
    },
    Mode {
        key: "replication-lag",
        store: true,
        names: &["Replication lag", "Replica lag causes stale reads", "Read-after-write inconsistency"],
        tags: &["database", "replication", "data-consistency", "latency"],
        what: &["replication lag on {dep} reached {mins} minutes", "read replicas of {dep} fell far behind the primary", "stale reads from lagging replicas confused {svc}"],
        titles: &["Replication lag on {dep} shows users stale data", "{svc} reads stale {table} from a lagging replica", "{dep} replica {mins} minutes behind after a bulk update", "Read-after-write failures in {svc} due to replica lag"],
        symptoms: &["Users saw orders disappear right after placing them, then reappear minutes later.", "Seconds_Behind_Master climbed steadily to {big} while replica CPU was idle.", "Support tickets reported that password changes did not take effect."],
        causes: &["A single-threaded replica applied one huge transaction from a backfill job that updated {big} rows at once.", "{svc} reads from replicas right after writing, with no read-your-writes routing, so any lag shows up as missing data.", "The replica ran on a smaller instance type with a third of the primary's IOPS."],
        triggers: &["A data migration job started at {clock} UTC.", "End-of-month batch processing.", "A schema change on a large table replicated row by row."],
        fixes: &["Routed {svc} reads to the primary temporarily and paused the backfill job.", "Split the backfill into batches of {n2} rows with pauses.", "Upgraded the replica storage and enabled parallel replication workers."],
        detection: &["Alert on replica lag above 30 seconds, and show the lag on the {svc} dashboard.", "Canary write-then-read checks against the replicas."],
        actions: &["Batch large updates in backfill jobs", "Route read-after-write traffic to the primary", "Enable parallel replication", "Alert on replica lag over 30 s"],
        alerts: &[("MySQLReplicationLag", "{dep} replica lag {big}s"), ("PostgresReplicaLagHigh", "{dep}-replica-{n} replay lag {sec} minutes")],
        logs: &[("WARN", "replica {dep}-replica-{n} lag {sec}s exceeds threshold, still routing reads"), ("ERROR", "order {big} not found after create (read from replica)"), ("INFO", "Slave_SQL_Running_State: Reading event from the relay log, Seconds_Behind_Master: {big}"), ("WARN", "stale read detected: version {n} < expected {n2}")],
        hyp: &["The {dep} replicas are minutes behind the primary.", "One huge transaction is blocking the replica's apply thread."],
        wrong: &["Writes from {svc} are failing silently.", "A caching bug in {svc}."],
    },
    Mode {
        key: "clock-skew",
        store: false,
        names: &["Clock skew", "NTP drift breaks token validation", "Time drift on hosts"],
        tags: &["time", "ntp", "authentication", "infrastructure"],
        what: &["the clocks of several {svc} hosts drifted by {sec} seconds", "NTP stopped syncing on a group of hosts", "clock skew made valid tokens look expired"],
        titles: &["Clock skew on {svc} hosts rejects valid tokens", "NTP failure causes authentication errors in {svc}", "Time drift breaks signature validation for {provider} webhooks", "{svc} JWT validation fails: tokens used before issued"],
        symptoms: &["A fraction of logins failed with `token used before issued` or `token expired`, always from the same hosts.", "Signed requests to {provider} were rejected with `RequestTimeTooSkewed`.", "Distributed traces showed child spans starting before their parents."],
        causes: &["A firewall change blocked UDP 123 to the internal NTP servers, and chrony on the affected hosts drifted by {sec} seconds over a week.", "A new base image shipped without chrony enabled; hosts created from it never synced.", "The hypervisor paused the VMs during live migration and the guests' clocks jumped."],
        triggers: &["The drift passed the 30-second leeway of the token validator.", "Hosts were rebuilt from the new image.", "A maintenance window on the hypervisor fleet."],
        fixes: &["Restored NTP access and forced a clock step with `chronyc makestep`.", "Drained the skewed hosts from the pool and replaced them.", "Raised the token validation leeway to 120 s temporarily."],
        detection: &["Alert on node clock offset above 1 second from the NTP exporter.", "Include clock offset in host health checks."],
        actions: &["Alert on NTP offset over 1 s", "Check chrony in the base image tests", "Allow NTP in the default firewall policy", "Log clock offset on token validation failures"],
        alerts: &[("NodeClockSkewDetected", "{node} clock offset {sec}s from NTP"), ("AuthFailuresSpike", "{svc}: invalid token errors {pct}% of logins")],
        logs: &[("ERROR", "jwt validation failed: token used before issued (iat in the future by {sec}s)"), ("ERROR", "RequestTimeTooSkewed: The difference between the request time and the current time is too large."), ("WARN", "chronyd: no selectable sources, system clock offset {sec}.{n} seconds"), ("ERROR", "signature expired: request timestamp outside of allowed window")],
        hyp: &["Some hosts' clocks are off by tens of seconds.", "NTP traffic is blocked for part of the fleet."],
        wrong: &["{provider} rotated its signing keys.", "A bad deploy of {svc} broke token parsing."],
    },
    Mode {
        key: "provider-rate-limit",
        store: false,
        names: &["Provider rate limiting", "Third-party API throttling", "Exceeded provider rate limit"],
        tags: &["third-party", "rate-limiting", "capacity", "external-dependency"],
        what: &["{provider} started rate-limiting calls from {svc}", "{svc} hit the {provider} API rate limit", "{provider} throttled our account after a burst of requests"],
        titles: &["{provider} rate limits {svc}: HTTP 429 on most calls", "{svc} blocked by {provider} API throttling", "Burst of calls exceeds the {provider} rate limit", "Notifications delayed: {provider} returns 429 Too Many Requests"],
        symptoms: &["Calls to {provider} returned 429 Too Many Requests with a Retry-After header of {sec} seconds.", "Outgoing messages queued up and delivery latency grew to {mins} minutes.", "Payments stayed pending because authorisation calls were throttled."],
        causes: &["A re-sync job sent every customer record to {provider} at once, using the same API key as production traffic, and exhausted the account's limit of {n2} requests per second.", "Our client ignored Retry-After and retried immediately, so {provider} extended the throttle.", "{provider} lowered our tier's limit after a contract change that nobody on the engineering side knew about."],
        triggers: &["A bulk job started at {clock} UTC.", "A marketing campaign sent {big} messages in ten minutes.", "{provider} applied new limits at the start of the month."],
        fixes: &["Paused the bulk job, moved it to a separate API key, and honoured Retry-After.", "Asked {provider} support to raise the limit temporarily.", "Queued the outgoing calls and drained them at {n2} per second."],
        detection: &["Alert on the rate of 429 responses per provider and on remaining-quota headers.", "Track provider calls per API key and per job."],
        actions: &["Use separate API keys for batch jobs", "Honour Retry-After in the {provider} client", "Add a client-side rate limiter", "Track provider quota headers as metrics"],
        alerts: &[("ThirdPartyThrottled", "{provider} 429 responses {pct}% of calls from {svc}"), ("OutboundQueueBacklog", "{svc} outbound queue {big} messages, oldest {mins}m")],
        logs: &[("WARN", "{provider} API responded 429 Too Many Requests, retry-after={sec}"), ("ERROR", "rate limit exceeded for key sk_live_...{hex4}: {n2} req/s"), ("ERROR", "giving up on request {req} to {provider} after 5 attempts: 429"), ("INFO", "X-RateLimit-Remaining: 0 X-RateLimit-Reset: {big}")],
        hyp: &["{provider} is throttling our API key.", "The bulk job shares the production API key."],
        wrong: &["{provider} is down.", "Our egress NAT is dropping connections."],
    },
    Mode {
        key: "queue-backlog",
        store: true,
        names: &["Queue backlog", "Consumer lag", "Stalled consumers"],
        tags: &["queue", "kafka", "capacity", "async-processing"],
        what: &["consumer lag on {topic} grew to {big} messages", "the {svc} consumers stalled and the {topic} queue backed up", "a poison message blocked the {topic} consumer group"],
        titles: &["{topic} consumer lag delays {svc} by hours", "Poison message stalls {svc} consumers on {topic}", "Queue backlog on {dep} delays order confirmations", "{svc} workers fall behind: {big} messages in backlog"],
        symptoms: &["Order confirmation emails arrived hours late while the web tier looked healthy.", "Consumer lag on {topic} grew linearly; the consumers were up but committed no offsets.", "The same message was redelivered thousands of times and the dead-letter queue stayed empty."],
        causes: &["A message with an unexpected null field made the consumer throw; with no dead-letter handling it was retried forever and blocked its partition.", "A rebalance storm: consumers took longer than `max.poll.interval.ms` to process a batch, were kicked out of the group, and the group rebalanced continuously.", "The consumer autoscaler scaled on CPU, but the consumers were I/O bound on {dep} and stayed at {n} replicas."],
        triggers: &["A producer deploy started emitting a new event version.", "Batch sizes grew after a partner onboarded.", "A slow {dep} made each message take {ms} ms."],
        fixes: &["Skipped the poison message by advancing the offset and added a dead-letter topic.", "Lowered max.poll.records to {n} and scaled the consumers to {n2}.", "Scaled the consumer group on lag instead of CPU and drained the backlog in {mins} minutes."],
        detection: &["Alert on consumer lag growth and on time since the last committed offset.", "Alert on dead-letter queue growth and on redelivery counts."],
        actions: &["Add a dead-letter topic for {topic}", "Scale consumers on lag", "Alert on consumer group rebalances", "Validate event schemas at the producer"],
        alerts: &[("KafkaConsumerLagHigh", "group {svc}-consumer lag {big} on {topic}"), ("SQSOldestMessageAge", "{topic} oldest message {mins} minutes")],
        logs: &[("ERROR", "failed to process message offset={big} partition={n}: NullPointerException, will retry"), ("WARN", "consumer poll timeout has expired; leaving group: max.poll.interval.ms exceeded"), ("INFO", "[Consumer clientId={svc}-{n}, groupId={svc}-consumer] Revoke previously assigned partitions {topic}-{n}"), ("WARN", "message {req} redelivered {n2} times")],
        hyp: &["One message is blocking a partition of {topic}.", "The consumer group keeps rebalancing."],
        wrong: &["The producer stopped publishing.", "The broker disks are full."],
    },
    Mode {
        key: "noisy-neighbour",
        store: true,
        names: &["Noisy neighbour", "Shared resource contention", "Co-tenant saturation"],
        tags: &["capacity", "multi-tenancy", "infrastructure", "latency"],
        what: &["a batch job on the same nodes starved {svc} of CPU", "a noisy neighbour saturated the shared {dep} cluster", "another tenant's workload exhausted I/O on the shared hosts"],
        titles: &["Noisy neighbour on shared nodes slows {svc}", "{svc} latency spikes caused by a co-located batch job", "Shared {dep} cluster saturated by analytics queries", "CPU throttling of {svc} during the nightly ETL"],
        symptoms: &["p99 latency of {svc} tripled every night between 01:00 and 03:00 with no change in its own traffic.", "CPU throttling on {svc} containers rose to {pct}% while their CPU usage stayed under the request.", "Queries from {svc} to the shared {dep} were slow, but only when the analytics team's reports ran."],
        causes: &["The ETL job had no CPU limit and was scheduled on the same node pool as latency-sensitive services.", "The shared {dep} cluster had no per-tenant resource limits; one tenant's unindexed query consumed all I/O.", "The instance type uses burstable CPU credits, which the neighbour drained."],
        triggers: &["The nightly ETL schedule.", "A new analytics dashboard refreshing every minute.", "Consolidation of node pools to cut costs."],
        fixes: &["Moved the batch job to a dedicated node pool with taints.", "Killed the runaway queries and put the analytics tenant in a resource group with a cap.", "Moved {svc} to non-burstable instances."],
        detection: &["Alert on CPU throttling and steal time, not just CPU usage.", "Per-tenant resource dashboards for shared clusters."],
        actions: &["Isolate batch workloads on their own node pool", "Set resource limits for every tenant of {dep}", "Alert on CPU steal and throttling", "Review the node pool consolidation plan"],
        alerts: &[("CPUThrottlingHigh", "{pct}% throttling of container {svc} in pod {pod}"), ("NodeCPUStealHigh", "{node} steal time {pct}%")],
        logs: &[("WARN", "request took {ms}ms (budget 200ms) path=/api/v1/search"), ("WARN", "event loop lag {ms}ms"), ("INFO", "query by tenant analytics running {mins} minutes, read {gb} GB"), ("WARN", "cpu.stat nr_throttled={big} throttled_time={big}")],
        hyp: &["Another workload on the same nodes takes the CPU {svc} needs.", "One tenant saturates the shared {dep}."],
        wrong: &["A regression in {svc}'s own code.", "More user traffic than forecast."],
    },
    Mode {
        key: "leader-flapping",
        store: true,
        names: &["Leader election flapping", "Unstable leadership", "Consensus churn"],
        tags: &["consensus", "etcd", "availability", "network"],
        what: &["the {dep} cluster kept electing a new leader every few seconds", "leader election flapped in {svc} and no instance held the lock", "{dep} lost quorum repeatedly under load"],
        titles: &["Leader election flapping in {dep} stalls writes", "{svc} scheduler without a stable leader for {mins} minutes", "etcd leader changes every few seconds in {cluster}", "Unstable leadership in {svc} causes duplicate jobs"],
        symptoms: &["The leader changed {n2} times in an hour; writes failed with `leader changed` and `no leader` errors.", "Scheduled jobs ran twice because two instances each believed they held the lease.", "The Kubernetes API server became slow and kubectl commands timed out."],
        causes: &["Disk fsync latency on the etcd members exceeded the heartbeat interval because they shared disks with a log shipper, so followers timed out and started elections.", "The lease TTL was 5 seconds but GC pauses in {svc} lasted up to 8 seconds, so the leader lost its lease while still working.", "Packet loss between availability zones made heartbeats miss the election timeout."],
        triggers: &["A log shipper upgrade increased disk writes on the control plane nodes.", "Heap growth after a traffic increase lengthened GC pauses.", "A network maintenance in {region}."],
        fixes: &["Moved etcd to dedicated SSDs and raised the election timeout to 2500 ms.", "Increased the lease TTL and added fencing tokens so a stale leader cannot write.", "Moved the members into one zone temporarily until the network was fixed."],
        detection: &["Alert on leader changes per hour and on fsync duration p99.", "Track lease renewals that arrive late."],
        actions: &["Give etcd dedicated disks", "Add fencing tokens to the {svc} lease", "Alert on leader changes", "Tune election timeouts to measured latency"],
        alerts: &[("EtcdHighNumberOfLeaderChanges", "etcd cluster {cluster}: {n} leader changes in the last 15 minutes"), ("EtcdHighFsyncDurations", "etcd WAL fsync p99 {ms}ms")],
        logs: &[("WARN", "raft: {hex8} is starting a new election at term {big}"), ("WARN", "etcdserver: failed to send out heartbeat on time (exceeded the 100ms timeout for {ms}ms)"), ("ERROR", "lost leadership: lease expired, stopping scheduler loop"), ("ERROR", "etcdserver: leader changed")],
        hyp: &["Slow fsyncs make followers time out and start elections.", "The leader loses its lease during long pauses."],
        wrong: &["A bug in the new {svc} release.", "Clock skew between members."],
    },
    Mode {
        key: "migration-lock",
        store: true,
        names: &["Schema migration lock", "DDL lock blocks traffic", "Table lock during a migration"],
        tags: &["database", "migration", "deploy", "locking"],
        what: &["a schema migration took an exclusive lock on the {table} table", "an ALTER TABLE on {table} blocked every query behind it", "a migration waited for a lock and queued all reads of {table}"],
        titles: &["Migration locks the {table} table and stalls {svc}", "ALTER TABLE on {table} blocks {svc} for {mins} minutes", "Schema change on {dep} causes a lock queue pile-up", "{svc} outage during the {table} index migration"],
        symptoms: &["Every query touching {table} hung; active connections on {dep} climbed to the limit.", "pg_stat_activity showed hundreds of sessions waiting on a lock held by the migration.", "The deploy stalled at the migration step while the site returned 504s."],
        causes: &["The migration ran `ALTER TABLE {table} ADD COLUMN ... DEFAULT`, which rewrote the table under an ACCESS EXCLUSIVE lock on this database version.", "The ALTER waited behind a long-running analytics query; while waiting, its lock request blocked every new query on the table.", "An index was created without CONCURRENTLY on a table with {big} rows."],
        triggers: &["The deploy of {ver} ran migrations automatically at {clock} UTC.", "A long report query was running when the migration started.", "The table had grown tenfold since the migration was tested."],
        fixes: &["Cancelled the migration with pg_cancel_backend; traffic recovered immediately.", "Killed the long-running query so the migration could finish, then re-ran it off-peak.", "Re-ran the index creation with CONCURRENTLY."],
        detection: &["Set lock_timeout for migrations so they fail fast instead of queueing traffic.", "Alert on sessions waiting on locks for more than 10 seconds."],
        actions: &["Set lock_timeout=5s for all migrations", "Lint migrations for non-concurrent index builds", "Run large migrations outside the deploy pipeline", "Alert on lock waits"],
        alerts: &[("PostgresLockWaits", "{dep}: {n2} sessions waiting on locks for more than 30s"), ("DBConnectionsNearMax", "{dep} connections {n2} of {n2}")],
        logs: &[("ERROR", "canceling statement due to lock timeout"), ("LOG", "process {pid} still waiting for AccessExclusiveLock on relation {big} of database {n} after {ms}.{n} ms"), ("ERROR", "deadlock detected: Process {pid} waits for ShareLock on transaction {big}"), ("INFO", "running migration {big}_add_column_to_{table}")],
        hyp: &["The migration holds or waits for an exclusive lock on {table}.", "A long query blocks the migration, which blocks everyone else."],
        wrong: &["{dep} is out of connections because of a leak.", "Disk I/O on {dep} is saturated."],
    },
    Mode {
        key: "threadpool-starvation",
        store: false,
        names: &["Thread pool starvation", "Blocking calls on the event loop", "Worker pool exhaustion"],
        tags: &["concurrency", "latency", "capacity", "code-change"],
        what: &["blocking calls exhausted the {svc} worker thread pool", "the request thread pool of {svc} was starved by slow calls to {svc2}", "synchronous I/O on the event loop froze {svc}"],
        titles: &["Thread pool starvation in {svc} after a {svc2} slowdown", "{svc} stops responding: all worker threads blocked", "Event loop blocked in {svc} by synchronous file I/O", "{svc} health checks fail as request threads are exhausted"],
        symptoms: &["{svc} accepted connections but never answered; CPU was near zero.", "Thread dumps showed all {n2} worker threads blocked in socket reads to {svc2}.", "Health checks timed out, so the load balancer removed healthy-but-busy instances one by one."],
        causes: &["Calls to {svc2} ran on the shared request pool without a timeout; when {svc2} slowed, every thread waited on it.", "A new code path did synchronous DNS and file I/O on the async runtime's worker threads.", "The health check endpoint shared the same pool, so it failed whenever the pool was busy."],
        triggers: &["{svc2} latency rose to {sec} seconds.", "Deploy of {ver} added the blocking call.", "The traffic peak at {clock} UTC."],
        fixes: &["Added a bulkhead: a separate pool of {n} threads for {svc2} calls with a 1 s timeout.", "Moved the blocking calls to a blocking thread pool and redeployed.", "Restarted instances and served the health check from a dedicated thread."],
        detection: &["Alert on active threads close to the pool size and on queue wait time.", "Monitor event loop lag."],
        actions: &["Add timeouts to all calls to {svc2}", "Separate health checks from the request pool", "Bulkhead each downstream dependency", "Alert on event loop lag"],
        alerts: &[("ThreadPoolSaturated", "{svc} executor active={n2} max={n2} queued={big}"), ("EventLoopLagHigh", "{svc} event loop lag {ms}ms")],
        logs: &[("WARN", "Thread pool is EXHAUSTED! Thread Name: DubboServerHandler-{ip}:{port}, Pool Size: {n2} (active: {n2})"), ("ERROR", "java.util.concurrent.RejectedExecutionException: Task rejected from ThreadPoolExecutor[Running, pool size = {n2}]"), ("WARN", "Thread vert.x-eventloop-thread-{n} has been blocked for {ms} ms, time limit is 2000 ms"), ("ERROR", "health check /healthz timed out after 5s")],
        hyp: &["All worker threads of {svc} are blocked on {svc2}.", "Blocking I/O runs on the event loop since {ver}."],
        wrong: &["{svc} is CPU-bound.", "A network problem between the load balancer and {svc}."],
    },
    Mode {
        key: "gc-pauses",
        store: false,
        names: &["Long GC pauses", "Stop-the-world garbage collection", "Heap pressure"],
        tags: &["jvm", "memory", "latency", "gc"],
        what: &["long stop-the-world GC pauses froze {svc}", "heap pressure in {svc} led to back-to-back full GCs", "garbage collection pauses of several seconds hit {svc}"],
        titles: &["Full GC pauses of {sec}s make {svc} unresponsive", "{svc} latency spikes from stop-the-world garbage collection", "Heap pressure in {svc} after {ver}", "GC thrashing in {svc} under peak load"],
        symptoms: &["p99 latency spiked to {sec} seconds at regular, sawtooth intervals.", "GC logs showed back-to-back full collections reclaiming almost nothing.", "Instances dropped out of the cluster during pauses and rejoined, causing rebalances."],
        causes: &["The heap was sized at {gb} GB with the parallel collector; a larger in-memory index from {ver} pushed live data above 70% of the heap.", "A query result cache retained large objects, promoting them to the old generation.", "Humongous allocations from large JSON responses fragmented the G1 heap."],
        triggers: &["Traffic growth of {pct}% month over month.", "Deploy of {ver}.", "A batch export requested very large pages."],
        fixes: &["Switched to G1 with a pause target of 200 ms and raised the heap.", "Rolled back {ver}, then reduced the cache size.", "Paginated the large responses."],
        detection: &["Alert on GC pause time per minute and on old-generation occupancy after collection.", "Canary analysis on GC metrics, not only on latency."],
        actions: &["Enable GC logs and pause alerts for {svc}", "Right-size the heap of {svc}", "Paginate large export responses", "Load-test with the production heap size"],
        alerts: &[("JVMGCPauseHigh", "{svc} GC pause {ms}ms (p99 over 5m)"), ("JVMOldGenHigh", "{svc} old gen {pct}% after GC")],
        logs: &[("WARN", "[gc] Pause Full (Allocation Failure) {n2}M->{n2}M({big}M) {ms}.{n}ms"), ("WARN", "Detected pause in JVM or host machine (eg GC): pause of approximately {ms}ms"), ("INFO", "[gc,heap] GC({big}) Humongous regions: {n2}->{n2}"), ("WARN", "member {ip}:{port} suspected, no heartbeat for {sec}s")],
        hyp: &["Full GCs stop {svc} for seconds at a time.", "Live data no longer fits the heap since {ver}."],
        wrong: &["The network drops packets between members.", "A slow downstream dependency."],
    },
    Mode {
        key: "lb-healthcheck",
        store: false,
        names: &["Load balancer health check misconfiguration", "All targets unhealthy", "Health check path mismatch"],
        tags: &["load-balancer", "network", "config", "availability"],
        what: &["the load balancer marked every {svc} target unhealthy", "a health check pointing at the wrong path drained all {svc} instances", "a health check timeout shorter than a dependency call removed {svc} from service"],
        titles: &["Load balancer marks all {svc} targets unhealthy", "{svc} returns 503: no healthy upstream", "Health check path change takes {svc} out of rotation", "{infra} health check misconfiguration causes a {svc} outage"],
        symptoms: &["The load balancer answered 503 `no healthy upstream` while all instances were running and passing their own checks.", "Targets cycled between healthy and unhealthy every {sec} seconds.", "Traffic shifted to one zone and overloaded it after the others were marked unhealthy."],
        causes: &["The health check path was changed from `/health` to `/healthz` in the app but not in the load balancer's target group.", "The health check timeout was 2 seconds but the endpoint called {svc2} synchronously, which took longer under load, so a slow dependency made every instance fail.", "A new security group blocked the load balancer's health check port."],
        triggers: &["Deploy of {ver} at {clock} UTC.", "Rising latency in {svc2}.", "A Terraform apply that recreated the security group."],
        fixes: &["Updated the target group's health check path and waited for targets to turn healthy.", "Made the health check shallow (no dependency calls) and redeployed.", "Restored the security group rule for the health check port."],
        detection: &["Alert on healthy host count per target group and per zone.", "Keep health check settings in the same repository as the service."],
        actions: &["Make health checks shallow", "Alert on healthy host count", "Manage target groups with the service's deploy", "Fail open when all targets are unhealthy"],
        alerts: &[("UnHealthyHostCount", "target group {svc}-tg: healthy hosts 0 of {n}"), ("ELB5XXHigh", "{infra} HTTPCode_ELB_503_Count {big} in 5m")],
        logs: &[("WARN", "health check failed for target {ip}:{port}: HTTP 404"), ("ERROR", "no healthy upstream"), ("WARN", "Target.Timeout: request timed out after 2000ms ({ip}:{port})"), ("INFO", "target {ip}:{port} state changed healthy -> unhealthy reason=Target.ResponseCodeMismatch")],
        hyp: &["The load balancer's health check does not match the service.", "Health checks fail because they call a slow dependency."],
        wrong: &["All {svc} instances crashed.", "A DDoS against {infra}."],
    },
    Mode {
        key: "cdn-purge",
        store: false,
        names: &["CDN purge overload", "Cache purge sends traffic to origin", "Origin overload after CDN invalidation"],
        tags: &["cdn", "cache", "capacity", "third-party"],
        what: &["a full CDN purge sent all traffic to the {svc} origin", "invalidating the CDN cache overloaded {svc}", "the CDN served errors after a wildcard purge"],
        titles: &["CDN wildcard purge overloads the {svc} origin", "{provider} purge sends {pct}% of traffic to origin", "Static assets fail after a full CDN invalidation", "{svc} origin saturated after a cache purge"],
        symptoms: &["Origin request rate went from {n2} to {big} per second within a minute, and the CDN hit ratio fell to near zero.", "Users saw broken images and missing stylesheets; the CDN returned 503 from the origin shield.", "Origin egress bandwidth hit the instance limit."],
        causes: &["A deploy script purged `/*` instead of the changed asset paths, and the origin was sized for a 95% hit ratio.", "Cache keys included a query parameter added by the new frontend, so every request was a miss.", "The origin shield was disabled during a migration, so every edge fetched from origin."],
        triggers: &["The frontend deploy at {clock} UTC.", "A marketing push during peak traffic.", "A change in the CDN configuration."],
        fixes: &["Enabled the origin shield, scaled the origin to {n} instances and served stale content on error.", "Removed the query parameter from the cache key.", "Limited purges in the deploy script to changed paths."],
        detection: &["Alert on CDN hit ratio and on origin request rate.", "Dry-run purges in the deploy pipeline."],
        actions: &["Purge only changed paths", "Enable stale-if-error on the CDN", "Alert on a CDN hit ratio below 80%", "Load-test the origin at a 50% hit ratio"],
        alerts: &[("CDNCacheHitRatioLow", "{provider} hit ratio {pct}%"), ("OriginRequestRateHigh", "{svc} origin {big} req/s")],
        logs: &[("WARN", "origin fetch timeout for /static/js/app.{hex8}.js after {ms}ms"), ("ERROR", "503 first byte timeout from origin {svc}.origin.example.com"), ("INFO", "purge request accepted: path=/* id={req}"), ("WARN", "X-Cache: MISS, X-Served-By: cache-{region}-{n}")],
        hyp: &["The purge sent every request to origin.", "The cache key changed and nothing hits any more."],
        wrong: &["{provider} is having an outage.", "The origin deploy is broken."],
    },
    Mode {
        key: "feature-flag",
        store: true,
        names: &["Feature flag misfire", "Flag enabled for everyone", "Stale feature flag removed"],
        tags: &["feature-flag", "config", "deploy", "human-error"],
        what: &["a feature flag meant for {pct}% of users was turned on for everyone", "flipping the {flag} flag enabled an untested code path in {svc}", "an old feature flag was deleted and {svc} fell back to removed behaviour"],
        titles: &["{flag} flag enabled for all users breaks {svc}", "Feature flag misfire in {svc} exposes an unfinished feature", "Flag cleanup reverts {svc} behaviour", "{svc} errors after the {flag} rollout to 100%"],
        symptoms: &["Errors started the minute the flag changed, with no deploy in the same window.", "Only users in the new cohort saw failures; staff were unaffected because they had been in the cohort for weeks.", "The new code path issued {n}x more queries to {dep}."],
        causes: &["The flag's targeting rule was edited to 100% instead of 10%; the flag UI has no confirmation for production.", "The new path in {svc} had only been tested with the flag on in staging, where {dep} has a tiny dataset.", "A flag that had been on for a year was deleted, so the SDK returned the default `false` and the old code path ran against the new schema."],
        triggers: &["A flag change at {clock} UTC.", "A flag cleanup ticket closed by a script.", "A scheduled rollout step."],
        fixes: &["Turned the flag off; errors stopped within seconds.", "Restored the deleted flag with its last value.", "Limited the flag to internal users and fixed the query pattern."],
        detection: &["Annotate dashboards with flag changes, and alert on error-rate shifts correlated with flag updates.", "Require approval for flag changes above 50% in production."],
        actions: &["Annotate dashboards with flag changes", "Require approval for production flag changes", "Test both flag states in CI", "Make flag defaults safe"],
        alerts: &[("ErrorRateAfterFlagChange", "{svc} errors {pct}% within 5m of flag {flag} update"), ("HighErrorRate", "{svc} 5xx {pct}%")],
        logs: &[("INFO", "flag {flag} evaluated true for user {big} (rule: rollout 100%)"), ("ERROR", "unhandled exception in {flag} path: KeyError: 'legacy_price'"), ("WARN", "flag {flag} not found, using default false"), ("ERROR", "query count per request {n2} exceeds budget")],
        hyp: &["The {flag} change at {clock} caused the errors.", "The code behind {flag} was never tested at production scale."],
        wrong: &["A deploy of {svc}.", "{dep} is degraded."],
    },
    Mode {
        key: "quota-exhaustion",
        store: false,
        names: &["Cloud quota exhaustion", "Resource limit reached", "Account limit hit during scale-up"],
        tags: &["quota", "capacity", "cloud", "scaling"],
        what: &["autoscaling of {svc} hit the cloud account's instance quota", "{svc} ran out of IP addresses in its subnet", "the account exhausted its cloud API request quota"],
        titles: &["{svc} cannot scale out: instance quota reached in {region}", "Subnet IP exhaustion blocks new {svc} pods", "Cloud API quota exceeded during the {svc} scale-up", "{svc} stuck at {n} replicas: vCPU limit reached"],
        symptoms: &["The autoscaler requested more instances but launches failed with `VcpuLimitExceeded`; the service stayed under-provisioned during the peak.", "New pods stayed Pending with `failed to assign an IP address to container`.", "Calls to the cloud API failed with `RequestLimitExceeded` and deployments hung."],
        causes: &["The regional vCPU quota had not been raised since the account was created, and the new instance type has twice the vCPUs.", "The /24 subnet for the node group had {n2} usable addresses and each node reserves IPs for pods up front.", "A controller polled the cloud API in a tight loop after an error, consuming the account's request quota."],
        triggers: &["The traffic peak at {clock} UTC.", "Migration to a larger instance type.", "A controller upgrade."],
        fixes: &["Requested a quota increase (granted in {mins} minutes) and shed low-priority traffic meanwhile.", "Added a secondary CIDR to the VPC and a new subnet for pods.", "Rolled back the controller and added backoff."],
        detection: &["Alert on quota usage above 80% for each quota autoscaling depends on.", "Alert on pods Pending for more than 5 minutes."],
        actions: &["Monitor cloud quotas", "Raise the regional vCPU quota", "Plan subnet capacity for pods", "Alert on Pending pods"],
        alerts: &[("AutoscalerScaleUpFailed", "{svc}: scale-up failed: VcpuLimitExceeded in {region}"), ("KubePodPending", "{n2} pods pending for more than 5m in {cluster}")],
        logs: &[("ERROR", "Failed to launch instance: VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of {n2} allows"), ("WARN", "failed to assign an IP address to container: no available IP addresses in subnet"), ("ERROR", "RequestLimitExceeded: Request limit exceeded. (Service: Ec2, Status Code: 503, Request ID: {uuid})"), ("INFO", "scale up: setting group {svc}-asg size to {n2} (max {n2})")],
        hyp: &["The account's quota blocks the scale-up.", "The subnet has no free addresses left."],
        wrong: &["The autoscaler is misconfigured.", "A bad AMI fails to boot."],
    },
    Mode {
        key: "split-brain",
        store: true,
        names: &["Split brain", "Two primaries after a partition", "Failover without fencing"],
        tags: &["database", "consensus", "network", "data-consistency", "failover"],
        what: &["a network partition left {dep} with two primaries", "automatic failover promoted a replica while the old primary kept accepting writes", "the cluster split into two halves that both accepted writes"],
        titles: &["Split brain in {dep} after a network partition", "Two primaries accept writes: {dep} failover without fencing", "Data divergence in {dep} after automatic failover", "{svc} writes lost after the {dep} split brain"],
        symptoms: &["Some writes from {svc} disappeared after the partition healed.", "Both nodes reported themselves as primary for {mins} minutes.", "Order ids were issued twice and reconciliation found {big} conflicting rows."],
        causes: &["The failover manager promoted a replica when it lost contact with the primary, but the old primary was still reachable by some application hosts and kept accepting writes; nothing fenced it off.", "A two-node cluster without a witness cannot tell a dead peer from a partition, and both nodes promoted themselves.", "Client connection strings listed both nodes and used whichever answered writes."],
        triggers: &["A switch failure partitioned the racks in {region}.", "A maintenance reboot of the network gear.", "A long GC pause on the primary looked like a failure."],
        fixes: &["Stopped writes, chose the new primary, and replayed the divergent writes from the old primary's WAL by hand.", "Fenced the old primary, rebuilt it as a replica and reconciled the orders.", "Added a witness node and restarted the cluster."],
        detection: &["Alert when more than one node reports the primary role.", "Require write acknowledgement from a majority before reporting success."],
        actions: &["Add fencing to {dep} failover", "Add a witness node for quorum", "Alert on multiple primaries", "Write a runbook for divergent-write reconciliation"],
        alerts: &[("MultiplePrimariesDetected", "{dep}: 2 nodes report role=primary"), ("ReplicationBroken", "{dep} replica not streaming from primary")],
        logs: &[("WARN", "promoting standby {dep}-{n} to primary: primary unreachable for {sec}s"), ("ERROR", "requested timeline {n} is not a child of this server's history"), ("ERROR", "duplicate key value violates unique constraint \"{table}_pkey\""), ("WARN", "old primary {host} still accepting connections from {ip}")],
        hyp: &["Both {dep} nodes accepted writes during the partition.", "Failover happened without fencing the old primary."],
        wrong: &["An application bug dropped writes.", "Backups overwrote recent data."],
    },
    Mode {
        key: "fd-exhaustion",
        store: false,
        names: &["File descriptor exhaustion", "Too many open files", "Socket leak"],
        tags: &["limits", "network", "resource-leak", "capacity"],
        what: &["{svc} ran out of file descriptors", "a socket leak in {svc} hit the open files limit", "`too many open files` errors stopped {svc} from accepting connections"],
        titles: &["{svc} fails with `too many open files`", "Socket leak exhausts file descriptors in {svc}", "{svc} stops accepting connections: ulimit reached", "File descriptor exhaustion on {svc} after {ver}"],
        symptoms: &["New connections were refused with `accept: too many open files` while existing ones kept working.", "Open file descriptors grew steadily after each deploy until the limit of {big}.", "lsof showed thousands of sockets in CLOSE_WAIT to {svc2}."],
        causes: &["HTTP response bodies from {svc2} were not closed on the error path, so each failed call leaked a socket.", "The systemd unit set LimitNOFILE to 1024 after a base image change.", "A new client created a connection pool per request instead of sharing one."],
        triggers: &["{svc2} began returning errors, exercising the leaky error path.", "Hosts were rebuilt from the new base image.", "Deploy of {ver}."],
        fixes: &["Restarted {svc} to release descriptors, then fixed the missing close and deployed a patch.", "Raised LimitNOFILE to 65536.", "Shared one client across requests."],
        detection: &["Alert on open file descriptors above 80% of the limit.", "Track sockets in CLOSE_WAIT."],
        actions: &["Alert on FD usage over 80%", "Close response bodies on all paths", "Set LimitNOFILE in the base image", "Lint for per-request HTTP clients"],
        alerts: &[("ProcessFDsNearLimit", "{svc} open fds {big} of {big}"), ("TooManyCloseWait", "{host}: {big} sockets in CLOSE_WAIT")],
        logs: &[("ERROR", "http: Accept error: accept tcp [::]:{port}: accept4: too many open files; retrying in 1s"), ("ERROR", "java.io.IOException: Too many open files"), ("WARN", "dial tcp {ip}:{port}: socket: too many open files"), ("ERROR", "EMFILE: too many open files, open '/etc/ssl/certs/ca-certificates.crt'")],
        hyp: &["{svc} leaks sockets on the error path.", "The open files limit is far too low."],
        wrong: &["A SYN flood against {svc}.", "Kernel connection tracking table is full."],
    },
    Mode {
        key: "index-drop",
        store: true,
        names: &["Slow query after an index drop", "Missing index", "Query plan regression"],
        tags: &["database", "performance", "migration", "query-plan"],
        what: &["a dropped index turned a hot query on {table} into a full table scan", "the query planner switched the main query of {svc} to a sequential scan", "a migration removed the index that {svc} relied on"],
        titles: &["Dropped index on {table} makes {svc} queries time out", "Full table scans on {table} after a migration", "Query plan regression in {dep} slows {svc}", "{svc} latency up 50x: missing index on {table}"],
        symptoms: &["A query that took 2 ms started taking {sec} seconds; {dep} CPU and read IOPS hit their limits.", "The slow query log filled with the same statement doing sequential scans over {big} rows.", "Timeouts in {svc} began right after a migration and grew with traffic."],
        causes: &["A cleanup migration dropped an index it considered unused, based on statistics from a replica that does not serve that query.", "Table statistics went stale after a bulk load, so the planner chose a sequential scan over the index.", "A new composite index replaced an old one with the columns in the wrong order for the hot query."],
        triggers: &["Migration {big} ran during the deploy of {ver}.", "A bulk import of {big} rows.", "Traffic reached the daily peak."],
        fixes: &["Recreated the index concurrently; latency returned to normal as soon as it was valid.", "Ran ANALYZE on {table} and pinned the plan.", "Reverted the migration."],
        detection: &["Alert on query latency per statement fingerprint, and check index drops against usage on all replicas.", "Run EXPLAIN for the top queries in CI against a production-sized snapshot."],
        actions: &["Check index usage on every replica before dropping", "Alert on per-query latency regressions", "Analyze tables after bulk loads", "Review composite index column order"],
        alerts: &[("SlowQueriesHigh", "{dep}: {n2} queries over 1s per minute"), ("DBCPUHigh", "{dep} CPU {pct}%, read IOPS at limit")],
        logs: &[("LOG", "duration: {ms}.{n} ms  statement: SELECT * FROM {table} WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20"), ("INFO", "Seq Scan on {table}  (cost=0.00..{big}.00 rows={big} width={n2})"), ("ERROR", "canceling statement due to statement timeout"), ("INFO", "migration {big}: DROP INDEX IF EXISTS idx_{table}_customer_id")],
        hyp: &["The hot query on {table} does a sequential scan since the migration.", "The planner lost the index it used."],
        wrong: &["{dep} needs a bigger instance.", "Lock contention on {table}."],
    },
];

// ---------------------------------------------------------------------------
// Shared sentence templates
// ---------------------------------------------------------------------------

const OPENINGS: &[&str] = &[
    "At {clock} UTC on {day}, {what}, and {svc} {effect}.",
    "On {weekday} {day} {what}. For about {mins} minutes {svc} {effect}.",
    "Shortly after {clock} UTC the {team} on-call was paged: {what}.",
    "{svc} was degraded on {day} because {what}.",
    "During the {period} peak on {day}, {what}; {svc} {effect}.",
    "This incident began at {clock} UTC when {what}.",
];

const IMPACTS: &[&str] = &[
    "About {users} users could not {user_action} for roughly {mins} minutes; the error rate peaked at {pct}%.",
    "{requests} requests failed. Customers in {region} were unable to {user_action} for {mins} minutes.",
    "No data was lost, but {users} customers saw degraded {action_noun} and support received {n2} tickets.",
    "Internal only: {team} pipelines were delayed by {mins} minutes and no customer-facing traffic failed.",
    "- {users} users affected\n- {requests} failed requests\n- p99 latency up to {sec} s in {region}",
    "Roughly {pct}% of requests to {svc} failed for {mins} minutes; partners were unable to {user_action}.",
];

const CONTRIBUTING: &[&str] = &[
    "There was no alert on this condition until customers noticed.",
    "The runbook for {svc} described an architecture that no longer exists.",
    "The change skipped staging because it was labelled low risk.",
    "Dashboards for {svc} were owned by a team that had since been reorganised.",
    "Retries without jitter amplified the load while the fault lasted.",
    "On-call had no access to the {provider} console.",
    "Capacity tests had not been run since {svc} was split out of the monolith.",
    "The same failure was seen in staging weeks earlier and dismissed as flaky.",
    "Alerts fired in three channels and nobody knew which one was authoritative.",
];

const SYSTEMIC: &[&str] = &[
    "Ownership of shared infrastructure between {team} and the platform team is unclear.",
    "The release process treats config changes as lower risk than code changes.",
    "Reliability work keeps losing to feature work in quarterly planning.",
    "Services are added faster than the on-call rotation grows.",
];

const FAILED_ATTEMPTS: &[(&str, &str)] = &[
    ("Restarted the {svc} pods", "failed"),
    ("Scaled {svc} out from {n} to {n2} replicas", "partial"),
    ("Failed over to the standby in {region}", "failed"),
    ("Flushed {cache}", "failed"),
    ("Raised the request timeout in {svc}", "partial"),
];

const LESSONS: &[(&str, &str, &str)] = &[
    ("process", "Declare incidents early", "We waited {mins} minutes before declaring; a declared incident gets help sooner and costs nothing."),
    ("diagnostic", "Check recent changes first", "The change log of {svc} had the answer; it should be the first dashboard on-call opens."),
    ("process", "Keep the runbook next to the alert", "Every page should link the runbook for that alert."),
    ("diagnostic", "Symptoms downstream are not causes", "{svc2} looked broken but was only a victim; tracing the first error in time found the source."),
    ("cultural", "Ask for help without waiting", "The on-call engineer worked alone for {mins} minutes before paging a second person."),
];

const ALERT_SOURCES: &[&str] = &[
    "PagerDuty",
    "Alertmanager",
    "Datadog monitor",
    "Grafana alert",
    "Opsgenie",
];

const NOISE_LOGS: &[(&str, &str)] = &[
    ("INFO", "GET /healthz 200 {n}ms"),
    (
        "INFO",
        "request completed method=GET path=/api/v1/items status=200 duration_ms={n}",
    ),
    ("INFO", "POST /api/v1/events 202 {n}ms bytes={n2}"),
    ("DEBUG", "cache hit key=session:{hex8}"),
    ("INFO", "kafka consumer heartbeat ok group={svc}-consumer"),
    ("INFO", "metrics flushed: {n2} series"),
    ("WARN", "slow request path=/api/v1/search duration_ms={n2}"),
    ("INFO", "connection established to {ip}:{port}"),
];

const OTHER_ERRORS: &[(&str, &str)] = &[
    (
        "WARN",
        "deprecated config key `server.tomcat.max-threads`, use `server.tomcat.threads.max`",
    ),
    (
        "ERROR",
        "failed to send span batch to collector: context deadline exceeded",
    ),
    ("WARN", "certificate for internal-ca rotates in 12 days"),
    ("ERROR", "invalid JWT from client {ip}: signature mismatch"),
];

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn date_of(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn hms(secs: i64) -> (i64, i64, i64) {
    let s = secs.rem_euclid(86_400);
    (s / 3600, (s / 60) % 60, s % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ`
fn iso(secs: i64) -> String {
    let (h, mi, s) = hms(secs);
    format!("{}T{h:02}:{mi:02}:{s:02}Z", date_of(secs))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`
fn iso_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (h, mi, s) = hms(secs);
    format!(
        "{}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        date_of(secs),
        ms.rem_euclid(1000)
    )
}

/// `Mar 14 09:32:15`
fn syslog_time(secs: i64) -> String {
    let (_, m, d) = civil_from_days(secs.div_euclid(86_400));
    let (h, mi, s) = hms(secs);
    format!("{} {d:2} {h:02}:{mi:02}:{s:02}", MONTHS[(m - 1) as usize])
}

fn first_day() -> i64 {
    days_from_civil(2019, 1, 1)
}

fn last_day() -> i64 {
    days_from_civil(2026, 11, 20)
}

// ---------------------------------------------------------------------------
// Filling templates
// ---------------------------------------------------------------------------

/// The names and numbers one incident (or one query) is about: fixed for
/// the whole document, so its sentences agree with each other.
struct Ctx {
    svc: &'static str,
    svc2: &'static str,
    dep: &'static str,
    infra: &'static str,
    cache: &'static str,
    team: &'static str,
    region: &'static str,
    provider: &'static str,
    table: &'static str,
    topic: &'static str,
    flag: &'static str,
    action_noun: &'static str,
    ver: String,
    prev: String,
    host: String,
    cluster: String,
    node: String,
    day: String,
    weekday: &'static str,
    clock: String,
    size: i64,
    what: String,
}

impl Ctx {
    fn new(r: &mut Rng, start: i64) -> Ctx {
        let svc = r.pick(SERVICES);
        let mut svc2 = r.pick(SERVICES);
        while svc2 == svc {
            svc2 = r.pick(SERVICES);
        }
        let region = r.pick(REGIONS);
        let dep = r.pick(DATASTORES);
        let major = r.range(1, 9);
        let minor = r.range(0, 40);
        let patch = r.range(1, 12);
        let (h, mi, _) = hms(start);
        Ctx {
            svc,
            svc2,
            dep,
            infra: r.pick(INFRA),
            cache: r.pick(CACHES),
            team: r.pick(TEAMS),
            region,
            provider: r.pick(PROVIDERS),
            table: r.pick(TABLES),
            topic: r.pick(TOPICS),
            flag: r.pick(FLAGS),
            action_noun: r.pick(ACTION_NOUNS),
            ver: format!("v{major}.{minor}.{patch}"),
            prev: format!("v{major}.{minor}.{}", patch - 1),
            host: format!("{dep}-{}.{region}.internal", r.range(1, 6)),
            cluster: format!(
                "k8s-{region}-{}",
                r.pick(&["prod", "prod-2", "main", "shared"])
            ),
            node: format!(
                "ip-10-{}-{}-{}",
                r.range(0, 31),
                r.range(0, 255),
                r.range(1, 254)
            ),
            day: date_of(start),
            weekday: WEEKDAYS[((start.div_euclid(86_400) + 4).rem_euclid(7)) as usize],
            clock: format!("{h:02}:{mi:02}"),
            size: r.pick(&[20, 32, 50, 64, 100, 128]),
            what: String::new(),
        }
    }

    /// Appends the value of placeholder `key`; numbers and ids are drawn
    /// afresh at each use.
    fn put(&self, key: &str, r: &mut Rng, out: &mut String) {
        use std::fmt::Write;
        let _ = match key {
            "svc" => write!(out, "{}", self.svc),
            "svc2" => write!(out, "{}", self.svc2),
            "dep" => write!(out, "{}", self.dep),
            "infra" => write!(out, "{}", self.infra),
            "cache" => write!(out, "{}", self.cache),
            "team" => write!(out, "{}", self.team),
            "region" => write!(out, "{}", self.region),
            "provider" => write!(out, "{}", self.provider),
            "table" => write!(out, "{}", self.table),
            "topic" => write!(out, "{}", self.topic),
            "flag" => write!(out, "{}", self.flag),
            "action_noun" => write!(out, "{}", self.action_noun),
            "ver" => write!(out, "{}", self.ver),
            "prev" => write!(out, "{}", self.prev),
            "host" => write!(out, "{}", self.host),
            "cluster" => write!(out, "{}", self.cluster),
            "node" => write!(out, "{}", self.node),
            "day" => write!(out, "{}", self.day),
            "weekday" => write!(out, "{}", self.weekday),
            "clock" => write!(out, "{}", self.clock),
            "size" => write!(out, "{}", self.size),
            "what" => write!(out, "{}", self.what),
            "n" => write!(out, "{}", r.range(2, 40)),
            "n2" => write!(out, "{}", r.range(40, 900)),
            "big" => write!(out, "{}", r.range(1_000, 999_999)),
            "pct" => write!(out, "{}", r.range(5, 99)),
            "ms" => write!(out, "{}", r.range(120, 30_000)),
            "sec" => write!(out, "{}", r.range(2, 90)),
            "mins" => write!(out, "{}", r.range(4, 240)),
            "gb" => write!(out, "{}", r.range(2, 900)),
            "users" => write!(out, "{}", r.range(2, 400) * 250),
            "requests" => write!(out, "{}", r.range(1_000, 2_000_000)),
            "ip" => write!(
                out,
                "10.{}.{}.{}",
                r.range(0, 31),
                r.range(0, 255),
                r.range(1, 254)
            ),
            "port" => write!(out, "{}", r.range(1_024, 65_000)),
            "pid" => write!(out, "{}", r.range(300, 99_999)),
            "req" => write!(out, "{}", r.hex(12)),
            "uuid" => write!(
                out,
                "{}-{}-4{}-a{}-{}",
                r.hex(8),
                r.hex(4),
                r.hex(3),
                r.hex(3),
                r.hex(12)
            ),
            "sha" => write!(out, "{}", r.hex(7)),
            "hex4" => write!(out, "{}", r.hex(4)),
            "hex8" => write!(out, "{}", r.hex(8)),
            "pod" => write!(out, "{}-{}-{}", self.svc, r.hex(9), r.hex(5)),
            "effect" => write!(out, "{}", r.pick(EFFECTS)),
            "period" => write!(out, "{}", r.pick(PERIODS)),
            "user_action" => write!(out, "{}", r.pick(USER_ACTIONS)),
            other => write!(out, "{{{other}}}"),
        };
    }

    /// `template` with its placeholders filled.
    fn fill(&self, template: &str, r: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 48);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            self.put(&after[..close], r, &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// One of `templates`, filled.
    fn any(&self, templates: &[&str], r: &mut Rng) -> String {
        let t = r.pick(templates);
        self.fill(t, r)
    }
}

fn person(r: &mut Rng) -> String {
    format!("{} {}", r.pick(FIRST), r.pick(LAST))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Log lines and alerts
// ---------------------------------------------------------------------------

/// How a batch of log lines is formatted.
#[derive(Clone, Copy)]
enum LogStyle {
    /// `2025-03-14T09:32:15.208Z ERROR svc [req=..] msg`
    Plain,
    /// `Mar 14 09:32:15 ip-10-0-3-17 svc[2211]: ERROR msg`
    Syslog,
    /// One JSON object per line.
    Json,
    /// `level=error ts=... msg="..."`
    Logfmt,
}

const STYLES: &[LogStyle] = &[
    LogStyle::Plain,
    LogStyle::Syslog,
    LogStyle::Json,
    LogStyle::Logfmt,
];

fn log_line(
    style: LogStyle,
    c: &Ctx,
    r: &mut Rng,
    ms: i64,
    svc: &str,
    pid: i64,
    (level, template): (&str, &str),
) -> String {
    let msg = c.fill(template, r);
    match style {
        LogStyle::Plain => format!(
            "{} {:<5} {svc} [req={}] {msg}",
            iso_ms(ms),
            level,
            r.hex(12)
        ),
        LogStyle::Syslog => format!(
            "{} {} {svc}[{pid}]: {level} {msg}",
            syslog_time(ms / 1000),
            c.node
        ),
        LogStyle::Json => {
            let escaped = msg.replace('\\', "\\\\").replace('"', "\\\"");
            let ip = c.fill("{ip}", r);
            format!(
                "{{\"ts\":\"{}\",\"level\":\"{}\",\"service\":\"{svc}\",\"request_id\":\"{}\",\"client_ip\":\"{ip}\",\"msg\":\"{escaped}\"}}",
                iso_ms(ms),
                level.to_ascii_lowercase(),
                c.fill("{uuid}", r)
            )
        }
        LogStyle::Logfmt => {
            let escaped = msg.replace('"', "\\\"");
            format!(
                "level={} ts={} svc={svc} trace_id={} msg=\"{escaped}\"",
                level.to_ascii_lowercase(),
                iso_ms(ms),
                r.hex(16)
            )
        }
    }
}

/// A few log lines of `mode` around `start_ms`.
fn log_excerpt(m: &Mode, c: &Ctx, r: &mut Rng, start_ms: i64, lines: usize) -> String {
    let style = r.pick(STYLES);
    let pid = r.range(300, 99_999);
    let svc = if r.chance(0.7) { c.svc } else { c.svc2 };
    let mut at = start_ms;
    let mut out = Vec::with_capacity(lines);
    for _ in 0..lines {
        at += r.range(3, 2_500);
        let line = if r.chance(0.8) {
            r.pick(m.logs)
        } else {
            r.pick(NOISE_LOGS)
        };
        out.push(log_line(style, c, r, at, svc, pid, line));
    }
    out.join("\n")
}

/// An alert as a pager or chat channel shows it, without log lines.
fn alert_text(m: &Mode, (name, desc): (&str, &str), c: &Ctx, r: &mut Rng, at_ms: i64) -> String {
    let desc = c.fill(desc, r);
    match r.below(4) {
        0 => {
            let pod = c.fill("{pod}", r);
            let inst = c.fill("{ip}:{port}", r);
            let symptom = c.any(m.symptoms, r);
            format!(
                "[FIRING:{}] {name} ({svc} {region} critical)\nLabels: alertname={name} service={svc} severity=critical env=production pod={pod} instance={inst}\nSummary: {desc}\nDescription: {symptom}\nStarted: {}",
                r.range(1, 12),
                iso_ms(at_ms),
                svc = c.svc,
                region = c.region,
            )
        }
        1 => format!(
            "[PagerDuty] #{} TRIGGERED  {}  {}  {name}\n    {desc}\n    urgency=high service={} region={} escalation=primary-{}",
            r.range(10_000, 99_999),
            iso_ms(at_ms),
            c.svc,
            c.svc,
            c.region,
            c.team
        ),
        2 => {
            let symptom = c.any(m.symptoms, r);
            format!(
                "[Triggered on {host}] {name}\n{desc}\n{symptom}\nenv:production service:{svc} region:{region}\n@pagerduty-{team} @slack-{team}-alerts\nTriggered at {}",
                iso(at_ms / 1000),
                host = c.node,
                svc = c.svc,
                region = c.region,
                team = c.team
            )
        }
        _ => format!(
            "Opsgenie alert P1: {name} on {svc}\nMessage: {desc}\nTags: env=prod, region={region}, team={team}\nSource: Grafana ({}), first seen {}",
            c.cluster,
            iso(at_ms / 1000),
            svc = c.svc,
            region = c.region,
            team = c.team
        ),
    }
}

// ---------------------------------------------------------------------------
// Postmortems
// ---------------------------------------------------------------------------

/// Makes postmortems, one after another, from one seed.
pub struct Generator {
    rng: Rng,
    seed: u64,
    made: usize,
    /// The external id of the latest postmortem of each mode, for links.
    last_of_mode: Vec<Option<String>>,
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            seed,
            made: 0,
            last_of_mode: vec![None; MODES.len()],
        }
    }

    /// The failure mode of a postmortem made by this module, from its
    /// external id (`synth-SEED-NNNNNN-MODE`).
    pub fn mode_of(external_id: &str) -> Option<&str> {
        let mut parts = external_id.splitn(4, '-');
        (parts.next()? == "synth").then_some(())?;
        parts.next()?;
        parts.next()?;
        parts.next()
    }

    /// The next postmortem.
    pub fn next_incident(&mut self) -> IncidentInput {
        let n = self.made;
        self.made += 1;
        let r = &mut self.rng;
        let mode_ix = r.below(MODES.len());
        let m = &MODES[mode_ix];

        let day = r.range(first_day(), last_day());
        let start = day * 86_400 + r.range(0, 86_399);
        let mut c = Ctx::new(r, start);
        c.what = c.any(m.what, r);

        let detected = start + r.range(30, 20 * 60);
        let mitigated = detected + r.range(4 * 60, 150 * 60);
        let resolved = mitigated + r.range(0, 240 * 60);
        let mclock = {
            let (h, mi, _) = hms(mitigated);
            format!("{h:02}:{mi:02}")
        };

        let severity = match r.below(10) {
            0 => "SEV1",
            1..=3 => "SEV2",
            4..=7 => "SEV3",
            _ => "SEV4",
        };
        let status = match r.below(20) {
            0..=3 => "draft",
            4..=6 => "in_review",
            _ => "published",
        };

        let title = capitalize(&c.any(m.titles, r));

        // Summary: what happened and what it looked like, then the fix.
        let opening = capitalize(&c.any(OPENINGS, r));
        let how_many = if r.chance(0.5) { 1 } else { 2 };
        let symptoms = r.some(m.symptoms, how_many);
        let symptom_text: Vec<String> = symptoms.iter().map(|s| c.fill(s, r)).collect();
        let fix = c.any(m.fixes, r);
        let lead = r.pick(&[
            "Mitigated at {mclock} UTC: ",
            "Impact ended at {mclock} UTC. ",
            "",
            "The fix: ",
        ]);
        let summary = format!(
            "{opening} {}\n\n{}{fix}",
            symptom_text.join(" "),
            lead.replace("{mclock}", &mclock)
        );
        let impact = c.any(IMPACTS, r);
        let cause = c.any(m.causes, r);
        let trigger = c.any(m.triggers, r);
        let root_cause = match r.below(3) {
            0 => format!("{cause}\n\nTrigger: {trigger}"),
            1 => format!("{cause} {trigger}"),
            _ => format!("**Trigger.** {trigger}\n\n**Cause.** {cause}"),
        };
        let mitigation = if r.chance(0.5) {
            format!("{fix} Full recovery was confirmed at {}.", iso(resolved))
        } else {
            fix.clone()
        };

        // Services, teams, tags.
        let mut services = vec![c.svc.to_string()];
        if m.store {
            services.push(c.dep.to_string());
        }
        if r.chance(0.5) {
            services.push(c.svc2.to_string());
        }
        let mut teams = vec![c.team.to_string()];
        if r.chance(0.4) {
            teams.push(r.pick(TEAMS).to_string());
        }
        let k = r.range(2, 4) as usize;
        let mut labels: Vec<String> = r.some(m.tags, k).iter().map(|t| t.to_string()).collect();
        if r.chance(0.4) {
            labels.push(r.pick(EXTRA_TAGS).to_string());
        }
        let on_call = person(r);
        let mut authors = vec![on_call.clone()];
        if r.chance(0.5) {
            authors.push(person(r));
        }

        // Timeline: alert, then a subset of the story, then the fix and the end.
        let alert = r.pick(m.alerts);
        let alert_name = alert.0;
        let source = r.pick(ALERT_SOURCES);
        let wrong = c.any(m.wrong, r);
        let story: Vec<(&str, String, String)> = vec![
            (
                "communication",
                format!(
                    "Incident declared as {severity} in #inc-{}-{}; {on_call} is incident commander.",
                    c.day.replace('-', ""),
                    c.svc
                ),
                on_call.clone(),
            ),
            ("observation", symptom_text[0].clone(), on_call.clone()),
            (
                "decision",
                format!("Suspected first: {wrong} Checked dashboards to rule it in or out."),
                on_call.clone(),
            ),
            ("observation", format!("Found the cause: {}", c.what), person(r)),
            (
                "communication",
                format!(
                    "Status page updated: degraded {} in {}.",
                    c.action_noun, c.region
                ),
                "support".to_string(),
            ),
        ];
        let keep = r.range(1, 5) as usize;
        let middle = r.some(&[0usize, 1, 2, 3, 4], keep);
        let mut timeline = vec![TimelineEntry {
            at: iso(detected),
            kind: "alert".into(),
            text: format!("{alert_name} fired for {}.", c.svc),
            who: source.to_string(),
        }];
        let span = (mitigated - detected).max(60);
        for (i, ix) in middle.iter().enumerate() {
            let (kind, text, who) = &story[*ix];
            let t = detected + span * (i as i64 + 1) / (keep as i64 + 2);
            let at = if r.chance(0.3) {
                kb_domain::record::format_relative(t - start)
            } else {
                iso(t)
            };
            timeline.push(TimelineEntry {
                at,
                kind: kind.to_string(),
                text: text.clone(),
                who: who.clone(),
            });
        }
        timeline.push(TimelineEntry {
            at: iso(mitigated - 30),
            kind: "action".into(),
            text: fix.clone(),
            who: person(r),
        });
        if r.chance(0.6) {
            timeline.push(TimelineEntry {
                at: iso(resolved),
                kind: "observation".into(),
                text: "Metrics back to baseline; incident resolved.".into(),
                who: on_call.clone(),
            });
        }

        // Evidence: the alert, log lines, maybe a second excerpt.
        let alert_ms = detected * 1000 + r.range(0, 999);
        let mut evidence = vec![Evidence {
            kind: "alert".into(),
            caption: format!("The {alert_name} page that opened the incident"),
            body: alert_text(m, alert, &c, r, alert_ms),
        }];
        let n_ev = r.range(1, 3);
        for i in 1..n_ev {
            let lines = r.range(2, 5) as usize;
            let from_ms = start * 1000 + r.range(0, 60_000);
            evidence.push(Evidence {
                kind: "log".into(),
                caption: if i == 1 {
                    format!("{} logs around {} UTC", c.svc, c.clock)
                } else {
                    "More log lines from the same minute".into()
                },
                body: log_excerpt(m, &c, r, from_ms, lines),
            });
        }

        // Hypotheses: one that held, one that did not.
        let hyp = c.any(m.hyp, r);
        let first = r.range(40, 75);
        let mut hypotheses = vec![Hypothesis {
            statement: hyp,
            confidence: vec![
                ConfidenceStep {
                    value: first,
                    note: "Timing matches the first errors.".into(),
                },
                ConfidenceStep {
                    value: r.range(90, 99),
                    note: "Confirmed by the fix.".into(),
                },
            ],
            evidence_for: symptom_text.last().cloned().unwrap_or_default(),
            evidence_against: String::new(),
            outcome: "confirmed".into(),
        }];
        if r.chance(0.7) {
            hypotheses.insert(
                0,
                Hypothesis {
                    statement: wrong,
                    confidence: vec![ConfidenceStep {
                        value: r.range(10, 50),
                        note: "First idea on the bridge.".into(),
                    }],
                    evidence_for: String::new(),
                    evidence_against: format!("Dashboards for {} were normal throughout.", c.svc2),
                    outcome: "refuted".into(),
                },
            );
        }

        // Causes.
        let mut causes = vec![Cause {
            level: "immediate".into(),
            statement: cause.clone(),
            confidence: Some(r.range(70, 100)),
            evidence: String::new(),
        }];
        if r.chance(0.7) {
            causes.push(Cause {
                level: "contributing".into(),
                statement: c.any(CONTRIBUTING, r),
                confidence: None,
                evidence: String::new(),
            });
        }
        if r.chance(0.3) {
            causes.push(Cause {
                level: "systemic".into(),
                statement: c.any(SYSTEMIC, r),
                confidence: None,
                evidence: String::new(),
            });
        }

        // What was tried.
        let mut mitigations = Vec::new();
        if r.chance(0.4) {
            let (action, result) = r.pick(FAILED_ATTEMPTS);
            mitigations.push(MitigationAttempt {
                action: c.fill(action, r),
                result: result.into(),
                note: String::new(),
            });
        }
        mitigations.push(MitigationAttempt {
            action: fix.clone(),
            result: "worked".into(),
            note: String::new(),
        });

        // Learnings: a named pattern for about a third.
        let mut learnings = Vec::new();
        if r.below(3) == 0 {
            let sym = r.some(m.symptoms, 2);
            learnings.push(Learning {
                kind: "pattern".into(),
                title: r.pick(m.names).to_string(),
                text: String::new(),
                symptoms: sym
                    .iter()
                    .map(|s| c.fill(s, r))
                    .collect::<Vec<_>>()
                    .join(" "),
                root_cause: c.any(m.causes, r),
                detection: c.any(m.detection, r),
                resolution: c.any(m.fixes, r),
            });
        } else if r.chance(0.5) {
            let (kind, title, text) = r.pick(LESSONS);
            learnings.push(Learning {
                kind: kind.into(),
                title: title.into(),
                text: c.fill(text, r),
                ..Learning::default()
            });
        }

        // Follow-ups.
        let n_items = r.range(1, 3) as usize;
        let action_items = r
            .some(m.actions, n_items)
            .into_iter()
            .map(|a| ActionItem {
                id: None,
                title: c.fill(a, r),
                owner: person(r),
                due: Some(date_of((day + r.range(14, 90)) * 86_400)),
                priority: r.pick(&["high", "medium", "low"]).into(),
                status: r
                    .pick(&["open", "in_progress", "done", "done", "wont_do"])
                    .into(),
                kind: r.pick(&["prevent", "detect", "mitigate", "process"]).into(),
                tracker: format!(
                    "{}-{}",
                    r.pick(&["OPS", "SRE", "PLAT", "INC"]),
                    r.range(100, 9_999)
                ),
                expected_effect: String::new(),
            })
            .collect();

        // A link to an earlier postmortem of the same kind, sometimes.
        let external_id = format!("synth-{}-{n:06}-{}", self.seed, m.key);
        let mut links = Vec::new();
        if let Some(earlier) = &self.last_of_mode[mode_ix] {
            if r.chance(0.1) {
                links.push(Link {
                    target: earlier.clone(),
                    kind: "earlier_occurrence".into(),
                    note: "Same failure mode.".into(),
                });
            }
        }
        self.last_of_mode[mode_ix] = Some(external_id.clone());

        let narrative = if r.chance(0.5) {
            format!(
                "{on_call} was on call for {}. The first theory was: {} It did not fit the evidence, and attention moved to {}.",
                c.team,
                hypotheses[0].statement,
                c.svc
            )
        } else {
            String::new()
        };

        let money = r.chance(0.3).then(|| r.range(100, 250_000));
        IncidentInput {
            external_id: Some(external_id),
            title,
            severity: Some(severity.into()),
            date: Some(c.day.clone()),
            summary,
            impact,
            root_cause,
            mitigation,
            services,
            labels,
            url: r
                .chance(0.4)
                .then(|| format!("https://wiki.example.com/postmortems/{}-{n}", c.day)),
            parts: kb_domain::record::Parts {
                status: status.into(),
                teams,
                authors,
                started_at: Some(iso(start)),
                detected_at: Some(iso(detected)),
                mitigated_at: Some(iso(mitigated)),
                resolved_at: Some(iso(resolved)),
                users_affected: r.chance(0.6).then(|| r.range(10, 500_000)),
                requests_failed: r.chance(0.5).then(|| r.range(100, 5_000_000)),
                money_lost: money,
                currency: money.map(|_| "USD".to_string()),
                narrative,
                timeline,
                evidence,
                hypotheses,
                whys: Vec::new(),
                causes,
                mitigations,
                learnings,
                action_items,
                links,
                access: Default::default(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

/// One synthetic search, with the failure mode it was made from.
#[derive(Debug, Clone)]
pub struct Query {
    /// [`Mode::key`] of the failure it describes.
    pub mode: &'static str,
    /// What is pasted into the search box.
    pub text: String,
}

fn query_ctx(r: &mut Rng) -> (usize, Ctx, i64) {
    let mode_ix = r.below(MODES.len());
    let day = r.range(first_day(), last_day());
    let start = day * 86_400 + r.range(0, 86_399);
    let mut c = Ctx::new(r, start);
    c.what = c.any(MODES[mode_ix].what, r);
    (mode_ix, c, start * 1000 + r.range(0, 999))
}

/// `n` alert blocks of about 500 characters: an alert as it fired, and a
/// couple of log lines under it.
pub fn alert_blocks(seed: u64, n: usize) -> Vec<Query> {
    let mut r = Rng::new(seed ^ 0xA1E7);
    (0..n)
        .map(|_| {
            let (ix, c, at) = query_ctx(&mut r);
            let m = &MODES[ix];
            let alert = r.pick(m.alerts);
            let mut text = alert_text(m, alert, &c, &mut r, at);
            let lines = r.range(1, 2) as usize;
            let style = r.pick(STYLES);
            let pid = r.range(300, 99_999);
            let mut t = at;
            for _ in 0..lines {
                t += r.range(5, 900);
                let line = r.pick(m.logs);
                text.push('\n');
                text.push_str(&log_line(style, &c, &mut r, t, c.svc, pid, line));
            }
            Query { mode: m.key, text }
        })
        .collect()
}

/// `n` pastes of 50 log lines: a few distinct errors of one failure mode
/// repeated with new timestamps and ids, routine noise, one unrelated error.
pub fn log_pastes(seed: u64, n: usize) -> Vec<Query> {
    let mut r = Rng::new(seed ^ 0x1065);
    (0..n)
        .map(|_| {
            let (ix, c, at) = query_ctx(&mut r);
            let m = &MODES[ix];
            let distinct = r.range(2, 3) as usize;
            let errors = r.some(m.logs, distinct);
            let noise = r.some(NOISE_LOGS, 3);
            let other = r.pick(OTHER_ERRORS);
            let style = r.pick(STYLES);
            let pid = r.range(300, 99_999);
            let mut t = at;
            let mut lines = Vec::with_capacity(50);
            for _ in 0..50 {
                t += r.range(1, 400);
                let roll = r.below(100);
                let line = if roll < 55 {
                    r.pick(&errors)
                } else if roll < 95 {
                    r.pick(&noise)
                } else {
                    other
                };
                lines.push(log_line(style, &c, &mut r, t, c.svc, pid, line));
            }
            Query {
                mode: m.key,
                text: lines.join("\n"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(i: &IncidentInput) -> String {
        serde_json::to_string(i).unwrap()
    }

    #[test]
    fn dates_round_trip() {
        for d in [first_day(), last_day(), days_from_civil(2024, 2, 29)] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(date_of(days_from_civil(2024, 2, 29) * 86_400), "2024-02-29");
        assert_eq!(iso(86_400 + 3_661), "1970-01-02T01:01:01Z");
    }

    #[test]
    fn postmortems_validate_and_are_deterministic() {
        let mut a = Generator::new(7);
        let mut b = Generator::new(7);
        let mut sizes = Vec::new();
        for _ in 0..600 {
            let x = a.next_incident();
            assert_eq!(x, b.next_incident());
            let new = x.validate().unwrap_or_else(|e| panic!("{e}\n{x:#?}"));
            assert!(new.date.as_deref().unwrap() >= "2019-01-01");
            let json = text_of(&x);
            for key in ["{svc", "{dep", "{n}", "{ms}", "{ip}"] {
                assert!(!json.contains(key), "unfilled {key} in {json}");
            }
            let mode = Generator::mode_of(x.external_id.as_deref().unwrap()).unwrap();
            assert!(MODES.iter().any(|m| m.key == mode));
            let timeline = &x.parts.timeline;
            assert!((3..=8).contains(&timeline.len()), "{}", timeline.len());
            assert!((1..=3).contains(&x.parts.evidence.len()));
            sizes.push(x.symptom_text().len() + x.root_cause.len() + x.mitigation.len());
        }
        let avg = sizes.iter().sum::<usize>() / sizes.len();
        assert!((800..4_000).contains(&avg), "average {avg}");
    }

    #[test]
    fn every_template_fills() {
        let mut r = Rng::new(1);
        let c = Ctx::new(&mut r, 1_700_000_000);
        for m in MODES {
            let all = m
                .names
                .iter()
                .chain(m.what)
                .chain(m.titles)
                .chain(m.symptoms)
                .chain(m.causes)
                .chain(m.triggers)
                .chain(m.fixes)
                .chain(m.detection)
                .chain(m.actions)
                .chain(m.hyp)
                .chain(m.wrong)
                .copied()
                .chain(m.alerts.iter().map(|a| a.1))
                .chain(m.logs.iter().map(|l| l.1));
            for t in all {
                let filled = c.fill(t, &mut r);
                assert!(!filled.contains('{'), "{}: {filled}", m.key);
            }
        }
        assert_eq!(MODES.len(), 25);
        assert_eq!(SERVICES.len(), 60);
    }

    #[test]
    fn queries_have_the_asked_shape() {
        let alerts = alert_blocks(3, 100);
        let avg = alerts.iter().map(|q| q.text.len()).sum::<usize>() / alerts.len();
        assert!(
            (300..900).contains(&avg),
            "alert blocks average {avg} chars"
        );
        for q in log_pastes(3, 20) {
            assert_eq!(q.text.lines().count(), 50);
        }
        assert_eq!(alert_blocks(3, 5)[4].text, alerts[4].text);
    }
}
