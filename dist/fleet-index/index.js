#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/log/redact.ts
/**
 * Replaces every occurrence of each secret in `text` with `marker`. Values shorter than four characters are
 * left alone: masking them would shred ordinary words and numbers without protecting anything.
 */
function maskSecrets(text, secrets, marker = '***') {
    let out = text;
    for (const secret of secrets)
        if (secret && secret.length >= 4)
            out = out.split(secret).join(marker);
    return out;
}

;// CONCATENATED MODULE: ./src/log/logger.ts

/** A logger that writes lines to a stream and masks every registered secret itself. */
function streamLogger(write, options = {}) {
    const secrets = new Set();
    const mask = (message) => maskSecrets(message, secrets);
    return {
        info: (m) => write(mask(m)),
        warning: (m) => write(`warning: ${mask(m)}`),
        error: (m) => write(`error: ${mask(m)}`),
        debug: (m) => {
            if (options.debug)
                write(`debug: ${mask(m)}`);
        },
        setSecret: (v) => {
            if (v)
                secrets.add(v);
        },
    };
}
/** A logger that keeps every line, for tests. */
function memoryLogger() {
    const lines = [];
    const logger = streamLogger((line) => lines.push(line), { debug: true });
    return Object.assign(logger, { lines });
}

;// CONCATENATED MODULE: ./src/sinks/github-commit.ts
class github_commit_CommitError extends Error {
    kind;
    attempts;
    constructor(message, kind, attempts) {
        super(message);
        this.kind = kind;
        this.attempts = attempts;
        this.name = 'CommitError';
    }
}
const STALE = /expected branch to point to|expectedHeadOid/i;
const isStale = (errors) => errors.some((e) => e.type === 'STALE_DATA' || STALE.test(e.message ?? ''));
/** Errors a retry can fix: network failures, 5xx, secondary rate limits. */
class Transient extends Error {
}
function graphqlClient(options) {
    const url = options.apiUrl ?? process.env.GITHUB_GRAPHQL_URL ?? 'https://api.github.com/graphql';
    const doFetch = options.fetch ?? fetch;
    return {
        url,
        async query(query, variables) {
            let response;
            try {
                response = await doFetch(url, {
                    method: 'POST',
                    headers: {
                        authorization: `bearer ${options.token}`,
                        'content-type': 'application/json',
                        accept: 'application/json',
                        'user-agent': 'restore-proof',
                    },
                    body: JSON.stringify({ query, variables }),
                });
            }
            catch (error) {
                throw new Transient(`GitHub API unreachable at ${url}: ${error instanceof Error ? error.message : String(error)}`);
            }
            const text = await response.text();
            if (response.status === 401 || response.status === 403) {
                const limited = response.headers.get('retry-after') || /rate limit/i.test(text);
                if (limited)
                    throw new Transient(`GitHub API rate limit (HTTP ${response.status})`);
                throw new github_commit_CommitError(`GitHub API refused the token (HTTP ${response.status}); github-token needs contents: write`, 'auth', 0);
            }
            if (response.status >= 500 || response.status === 429)
                throw new Transient(`GitHub API HTTP ${response.status}`);
            let body;
            try {
                body = JSON.parse(text);
            }
            catch {
                throw new github_commit_CommitError(`GitHub API HTTP ${response.status} returned no JSON`, 'graphql', 0);
            }
            if (body.errors && body.errors.length > 0)
                throw new GraphqlErrors(body.errors);
            if (!response.ok || body.data === undefined) {
                throw new github_commit_CommitError(`GitHub API HTTP ${response.status} without data`, 'graphql', 0);
            }
            return body.data;
        },
    };
}
class GraphqlErrors extends Error {
    errors;
    constructor(errors) {
        super(errors.map((e) => e.message ?? e.type ?? 'unknown error').join('; '));
        this.errors = errors;
    }
}
const HEAD_QUERY = `query($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $ref) { target { oid } } }
}`;
const COMMIT_MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;
async function readHeadOid(client, repository, branch) {
    const [owner, name] = repository.split('/');
    const data = await client.query(HEAD_QUERY, {
        owner,
        name,
        ref: `refs/heads/${branch}`,
    });
    const oid = data.repository?.ref?.target.oid;
    if (!oid)
        throw new github_commit_CommitError(`branch ${branch} not found in ${repository}`, 'not-found', 0);
    return oid;
}
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function github_commit_commitFiles(input) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(input.repository)) {
        throw new github_commit_CommitError(`repository ${JSON.stringify(input.repository)} is not owner/name`, 'not-found', 0);
    }
    const client = graphqlClient({ token: input.token, apiUrl: input.apiUrl, fetch: input.fetch });
    const sleep = input.sleep ?? defaultSleep;
    const maxAttempts = Math.max(1, input.maxAttempts ?? 5);
    const baseDelay = input.baseDelayMs ?? 1000;
    const additions = input.files.map((f) => ({
        path: f.path,
        contents: Buffer.from(f.contents).toString('base64'),
    }));
    let head = input.expectedHeadOid;
    let lastError = '';
    let lastKind = 'stale';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
            if (head === undefined) {
                head = await readHeadOid(client, input.repository, input.branch);
                if (head !== input.expectedHeadOid)
                    await input.checkHead?.(head, client);
            }
            const data = await client.query(COMMIT_MUTATION, {
                input: {
                    branch: { repositoryNameWithOwner: input.repository, branchName: input.branch },
                    message: input.message,
                    expectedHeadOid: head,
                    fileChanges: { additions },
                },
            });
            const commit = data.createCommitOnBranch?.commit;
            if (!commit)
                throw new github_commit_CommitError('createCommitOnBranch returned no commit', 'graphql', attempt);
            input.logger?.info(`commit: ${commit.oid} on ${input.branch} (${additions.length} files, attempt ${attempt})`);
            return { oid: commit.oid, url: commit.url, attempts: attempt };
        }
        catch (error) {
            if (error instanceof github_commit_CommitError)
                throw new github_commit_CommitError(error.message, error.kind, attempt);
            if (error instanceof GraphqlErrors && isStale(error.errors)) {
                lastKind = 'stale';
                lastError = `${input.branch} moved past ${head?.slice(0, 12)} (${error.message})`;
                head = undefined;
            }
            else if (error instanceof Transient) {
                lastKind = 'network';
                lastError = error.message;
            }
            else if (error instanceof GraphqlErrors) {
                throw new github_commit_CommitError(`createCommitOnBranch failed: ${error.message}`, 'graphql', attempt);
            }
            else {
                throw error;
            }
        }
        if (attempt < maxAttempts) {
            const delay = baseDelay * 2 ** (attempt - 1);
            input.logger?.info(`commit: ${lastError}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
            await sleep(delay);
        }
    }
    throw new github_commit_CommitError(`commit failed after ${maxAttempts} attempts: ${lastError}`, lastKind, maxAttempts);
}

;// CONCATENATED MODULE: ./src/drill/cost.ts
/**
 * Aurora PostgreSQL, Aurora Standard storage configuration, on-demand, us-east-1, USD per instance-hour.
 * Figures as of 2025-06 (AWS Aurora pricing page). Third-party tables quote some classes up to ~15% higher;
 * check https://aws.amazon.com/rds/aurora/pricing/ before relying on a figure, and update PRICES_AS_OF with them.
 */
const PRICES_AS_OF = '2025-06';
const cost_PRICING_REGION = 'us-east-1';
const AURORA_POSTGRESQL_HOURLY_USD = {
    'db.t3.medium': 0.082,
    'db.t3.large': 0.164,
    'db.t4g.medium': 0.073,
    'db.t4g.large': 0.146,
    'db.r5.large': 0.29,
    'db.r5.xlarge': 0.58,
    'db.r5.2xlarge': 1.16,
    'db.r5.4xlarge': 2.32,
    'db.r5.8xlarge': 4.64,
    'db.r6g.large': 0.26,
    'db.r6g.xlarge': 0.519,
    'db.r6g.2xlarge': 1.038,
    'db.r6g.4xlarge': 2.076,
    'db.r6g.8xlarge': 4.152,
    'db.r6i.large': 0.29,
    'db.r6i.xlarge': 0.58,
    'db.r6i.2xlarge': 1.16,
    'db.r6i.4xlarge': 2.32,
    'db.r7g.large': 0.276,
    'db.r7g.xlarge': 0.553,
    'db.r7g.2xlarge': 1.106,
    'db.r7g.4xlarge': 2.211,
};
/** Aurora Standard storage, USD per GB-month (billed pro rata); I/O per million requests; inter-region transfer per GB. */
const STORAGE_USD_PER_GB_MONTH = 0.1;
const IO_USD_PER_MILLION = 0.2;
const INTER_REGION_USD_PER_GB = 0.02;
/** Aurora instances: billed in 1-second increments with a 10-minute minimum. */
const MINIMUM_BILLED_SECONDS = 600;
const HOURS_PER_MONTH = 730;
const money = (usd) => Math.round(usd * 10_000) / 10_000;
/** Seconds the copy's instance existed: from its create request (after restore-request) to the end of cleanup. */
function instanceSeconds(outcome) {
    const phases = outcome.restore.phases;
    const requested = phases.find((p) => p.copyExists);
    if (!requested)
        return 0;
    const end = phases.find((p) => p.name === 'cleanup')?.endedAt ?? outcome.finishedAt;
    return Math.max(0, (Date.parse(end) - Date.parse(requested.endedAt)) / 1000);
}
/** The estimate for one drill, or undefined for a provider that creates nothing billable (local-pitr). */
function estimateDrillCost(input) {
    const { outcome, plan } = input;
    if (outcome.provider !== 'aurora')
        return undefined;
    const items = [];
    const notes = [];
    const region = plan.targetRegion ?? plan.awsRegion;
    if (region && region !== cost_PRICING_REGION) {
        notes.push(`${cost_PRICING_REGION} prices; ${region} list prices differ`);
    }
    const createdInstance = outcome.cleanup.resources.some((r) => r.kind === 'instance');
    const instanceClass = plan.instanceClass ?? input.instanceClass;
    const seconds = createdInstance ? instanceSeconds(outcome) : 0;
    const billed = createdInstance ? Math.max(MINIMUM_BILLED_SECONDS, Math.ceil(seconds)) : 0;
    const hours = billed / 3600;
    const rate = instanceClass ? AURORA_POSTGRESQL_HOURLY_USD[instanceClass] : undefined;
    if (!createdInstance) {
        items.push({ item: 'instance', detail: 'no instance was created', usd: 0 });
    }
    else if (rate === undefined) {
        items.push({
            item: 'instance',
            detail: `${instanceClass ?? 'unknown class'} for ${billedText(seconds, billed)}: no price on record for this class`,
            usd: null,
        });
    }
    else {
        items.push({
            item: 'instance',
            detail: `${instanceClass} at $${rate}/h for ${billedText(seconds, billed)}`,
            usd: money(rate * hours),
        });
    }
    if (outcome.cleanup.status === 'kept' || outcome.cleanup.status === 'failed') {
        notes.push(`the copy was ${outcome.cleanup.status === 'kept' ? 'kept' : 'not deleted'}: it costs until deleted`);
    }
    const storageHours = Math.max(hours, seconds / 3600);
    if (input.storageGb !== undefined && createdInstance) {
        items.push({
            item: 'storage',
            detail: `${input.storageGb} GB for ${storageHours.toFixed(2)} h at $${STORAGE_USD_PER_GB_MONTH.toFixed(2)}/GB-month`,
            usd: money((input.storageGb * STORAGE_USD_PER_GB_MONTH * storageHours) / HOURS_PER_MONTH),
        });
    }
    else {
        items.push({
            item: 'storage',
            detail: `restored volume size unknown ($${STORAGE_USD_PER_GB_MONTH.toFixed(2)}/GB-month pro rata; about $${((100 * STORAGE_USD_PER_GB_MONTH) / HOURS_PER_MONTH).toFixed(4)} per 100 GB-hour)`,
            usd: null,
        });
    }
    items.push({
        item: 'io',
        detail: `validation reads not metered by the drill ($${IO_USD_PER_MILLION.toFixed(2)} per million I/Os on Aurora Standard; none on I/O-Optimized)`,
        usd: null,
    });
    if (plan.targetRegion) {
        items.push(input.storageGb !== undefined
            ? {
                item: 'transfer',
                detail: `snapshot copy ${plan.awsRegion ?? 'source'} to ${plan.targetRegion}, ${input.storageGb} GB at $${INTER_REGION_USD_PER_GB.toFixed(2)}/GB`,
                usd: money(input.storageGb * INTER_REGION_USD_PER_GB),
            }
            : {
                item: 'transfer',
                detail: `snapshot copy to ${plan.targetRegion}: size unknown ($${INTER_REGION_USD_PER_GB.toFixed(2)}/GB)`,
                usd: null,
            });
    }
    const instance = items[0];
    const totalUsd = instance.usd === null ? null : money(items.reduce((sum, i) => sum + (i.usd ?? 0), 0));
    return {
        currency: 'USD',
        totalUsd,
        complete: items.every((i) => i.usd !== null),
        pricesAsOf: PRICES_AS_OF,
        items,
        notes,
    };
}
function billedText(seconds, billed) {
    const minutes = (s) => `${Math.round(s / 6) / 10} min`;
    return billed > Math.ceil(seconds)
        ? `${minutes(seconds)} (billed the 10-minute minimum)`
        : `${minutes(billed)} (per-second billing)`;
}
/** A cost as text: `$1.23`, `<$0.01`, or `unknown`. */
function cost_usd(value) {
    if (value === null || value === undefined)
        return 'unknown';
    if (value > 0 && value < 0.01)
        return '<$0.01';
    return `$${value.toFixed(2)}`;
}

;// CONCATENATED MODULE: ./src/report/hipaa.ts
/** The HIPAA Security Rule clauses a restore drill produces evidence for. */
const hipaa_HIPAA_CLAUSES = {
    '164.308(a)(7)(ii)(A)': 'Data backup plan: retrievable exact copies of ePHI',
    '164.308(a)(7)(ii)(B)': 'Disaster recovery plan: restore any loss of data',
    '164.308(a)(7)(ii)(C)': 'Emergency mode operation: protect ePHI while operating from a recovered copy',
    '164.308(a)(7)(ii)(D)': 'Testing and revision: periodic testing of contingency plans',
    '164.312(a)(2)(iv)': 'Encryption and decryption of ePHI at rest',
};
/**
 * Which clause each family of checks serves (justified in docs/verifying-reports.md). Every drill as a
 * whole is also evidence for (D), testing; the mapping below names what each check adds beyond that.
 */
const HIPAA_BY_CATEGORY = {
    posture: ['164.308(a)(7)(ii)(A)'],
    encryption: ['164.312(a)(2)(iv)'],
    access: ['164.308(a)(7)(ii)(C)'],
    schema: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    integrity: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    counts: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    checksums: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    custom: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    smoke: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(C)'],
    objectives: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
};
function hipaa_hipaaFor(category) {
    return [...(HIPAA_BY_CATEGORY[category] ?? ['164.308(a)(7)(ii)(D)'])];
}

;// CONCATENATED MODULE: ./src/report/render/format.ts
/** Human durations: 4.2 s, 3 min 05 s, 1 h 02 min. */
function format_duration(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds))
        return '—';
    if (seconds < 60)
        return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
    const total = Math.round(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h > 0)
        return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')} min`;
    return s === 0 ? `${m} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}
/** 2026-01-31 03:15:00 UTC (seconds kept; a drill's phases can be seconds apart). */
function format_utc(iso) {
    if (!iso)
        return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()))
        return iso;
    return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
function format_utcDate(iso) {
    return iso ? format_utc(iso).slice(0, 10) : '—';
}
/** Inline code that survives backticks inside the text. */
function format_code(text) {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
}
/** Text safe inside a Markdown table cell: one line, pipes escaped, no raw HTML. */
function format_cell(text) {
    return text
        .replace(/\r?\n/g, ' ')
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
}
function format_value(v) {
    if (v === null || v === undefined)
        return '—';
    if (typeof v === 'number')
        return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
    return format_cell(String(v));
}
const STATUS_LABEL = {
    fail: '**FAIL**',
    error: '**ERROR**',
    warn: 'WARN',
    pass: 'pass',
    skip: 'skip',
};
const format_statusLabel = (status) => STATUS_LABEL[status];
/** Failures first, then errors, warnings, passes, skips. */
const format_STATUS_ORDER = (/* unused pure expression or super */ null && (['fail', 'error', 'warn', 'pass', 'skip']));
const format_plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const format_yesNo = (met) => met === null ? 'not measured' : met ? 'yes' : '**NO**';

;// CONCATENATED MODULE: ./src/report/cadence.ts
const DAY_MS = 24 * 60 * 60 * 1000;
const PERIODS = {
    daily: { name: 'daily', months: 0, days: 1, graceDays: 1 },
    weekly: { name: 'weekly', months: 0, days: 7, graceDays: 2 },
    monthly: { name: 'monthly', months: 1, days: 0, graceDays: 7 },
    quarterly: { name: 'quarterly', months: 3, days: 0, graceDays: 7 },
    semiannual: { name: 'semiannual', months: 6, days: 0, graceDays: 7 },
    annual: { name: 'annual', months: 12, days: 0, graceDays: 7 },
};
const ALIASES = {
    nightly: 'daily',
    week: 'weekly',
    month: 'monthly',
    quarter: 'quarterly',
    'semi-annual': 'semiannual',
    'semi-annually': 'semiannual',
    semiannually: 'semiannual',
    'half-yearly': 'semiannual',
    annually: 'annual',
    yearly: 'annual',
    year: 'annual',
};
/** Unscheduled cadences (adhoc, audit, custom names): evidence stands for this many days. */
const UNSCHEDULED_DAYS = 30;
function cadence_cadencePeriod(cadence) {
    const key = cadence.trim().toLowerCase();
    return PERIODS[ALIASES[key] ?? key] ?? { name: null, months: 0, days: UNSCHEDULED_DAYS, graceDays: 0 };
}
/** Adds calendar months in UTC, clamping the day (Jan 31 + 1 month = Feb 28/29). */
function addMonthsUtc(from, months) {
    const year = from.getUTCFullYear();
    const month = from.getUTCMonth() + months;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const out = new Date(from.getTime());
    out.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
    return out;
}
/** When the next run of this cadence is due after a run at `from`. */
function cadence_nextDue(cadence, from) {
    const period = cadence_cadencePeriod(cadence);
    return new Date(addMonthsUtc(from, period.months).getTime() + period.days * DAY_MS);
}
/** When evidence from a run at `from` expires: the next scheduled run plus grace. */
function cadence_validUntil(cadence, from) {
    return new Date(cadence_nextDue(cadence, from).getTime() + cadence_cadencePeriod(cadence).graceDays * DAY_MS);
}

;// CONCATENATED MODULE: ./src/report/model.ts



/**
 * Bumped on any change to the fields below that a reader or verifier must know about. Optional fields a
 * reader may ignore (cost) are added without a bump, so earlier reports keep verifying.
 */
const REPORT_SCHEMA = 'restore-proof/report@1';
const nonEmpty = (value) => (value && value.trim() ? value.trim() : null);
/** The run's context from GitHub Actions' environment variables (pure: pass process.env or a map). */
function model_runContextFromEnv(env, cadence) {
    const repository = nonEmpty(env.GITHUB_REPOSITORY);
    const runId = nonEmpty(env.GITHUB_RUN_ID);
    const server = nonEmpty(env.GITHUB_SERVER_URL) ?? 'https://github.com';
    const attempt = Number(env.GITHUB_RUN_ATTEMPT);
    const inActions = env.GITHUB_ACTIONS === 'true' || (repository !== null && runId !== null);
    return {
        repository,
        workflow: nonEmpty(env.GITHUB_WORKFLOW),
        runId,
        runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null,
        runUrl: repository && runId
            ? `${server}/${repository}/actions/runs/${runId}${attempt > 1 ? `/attempts/${attempt}` : ''}`
            : null,
        commit: nonEmpty(env.GITHUB_SHA),
        ref: nonEmpty(env.GITHUB_REF_NAME) ?? nonEmpty(env.GITHUB_REF),
        actor: nonEmpty(env.GITHUB_ACTOR),
        trigger: (inActions ? nonEmpty(env.GITHUB_EVENT_NAME) : null) ?? 'local',
        cadence,
    };
}
/** Lower-case letters, digits and single dashes; what file names may carry. */
function slug(text, max = 60) {
    const out = text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, max)
        .replace(/-+$/, '');
    return out || 'unknown';
}
/** The cluster's identifier, from an ARN (arn:aws:rds:...:cluster:NAME) or as given. */
function model_clusterName(cluster) {
    return cluster.startsWith('arn:') ? (cluster.split(':').pop() ?? cluster) : cluster;
}
/** `2026-01-31T030000Z`: ISO 8601 basic time (no colons, so valid on every file system and in artifacts). */
function fileStamp(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()))
        throw new Error(`report: ${JSON.stringify(iso)} is not a timestamp`);
    const s = date.toISOString();
    return `${s.slice(0, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}
/** Report file names sort by time and say what they are: <UTC date-time>-<cadence>-<source>. */
function model_reportStem(outcome) {
    return `${fileStamp(outcome.startedAt)}-${slug(outcome.cadence)}-${slug(model_clusterName(outcome.source.cluster))}`;
}
/** Matches report JSON file names (and nothing else in the directory: not README.md, not the key). */
const model_REPORT_FILE = /^\d{4}-\d{2}-\d{2}T\d{6}Z-[a-z0-9-]+\.json$/;
/**
 * The chain's order: by file name without its extension, so `x-2.json` (a second drill in the same
 * second) follows `x.json`. Writer, verifier and index all use this one order.
 */
function model_compareReportFiles(a, b) {
    const [x, y] = [a.replace(/\.(json|md)$/, ''), b.replace(/\.(json|md)$/, '')];
    return x < y ? -1 : x > y ? 1 : 0;
}
function totalsOf(checks) {
    const count = (status) => checks.filter((c) => c.status === status).length;
    return {
        total: checks.length,
        passed: count('pass'),
        failed: count('fail'),
        errored: count('error'),
        warned: count('warn'),
        skipped: count('skip'),
    };
}
/**
 * The report model from a drill's outcome, without its Markdown hash and signature (filled by the
 * writer). Every value is copied field by field from the outcome: names, counts, hashes and timings.
 */
function model_buildReport(input) {
    const { outcome } = input;
    const nul = (value) => (value === undefined ? null : value);
    const checks = outcome.checks.map((c) => ({
        id: c.id,
        category: c.category,
        status: c.status,
        summary: c.summary,
        measured: nul(c.measured),
        expected: nul(c.expected),
        durationMs: Math.round(c.durationMs),
        hipaa: hipaaFor(c.category),
    }));
    const objective = (o) => ({
        targetSeconds: o.targetSeconds,
        measuredSeconds: o.measuredSeconds,
        met: o.met,
    });
    const report = {
        schema: REPORT_SCHEMA,
        file: input.file,
        result: outcome.result,
        error: nul(outcome.error),
        command: outcome.command,
        provider: outcome.provider,
        cadence: outcome.cadence,
        startedAt: outcome.startedAt,
        finishedAt: outcome.finishedAt,
        source: {
            cluster: outcome.source.cluster,
            engine: nul(outcome.source.engine),
            engineVersion: nul(outcome.source.engineVersion),
            region: nul(outcome.source.region),
        },
        restore: {
            restoredCluster: nul(outcome.restore.restoredCluster),
            restoredInstance: nul(outcome.restore.restoredInstance),
            type: outcome.restore.type,
            targetTime: nul(outcome.restore.targetTime),
            snapshotId: nul(outcome.restore.snapshotId),
            seconds: outcome.restore.seconds,
            phases: outcome.restore.phases.map((p) => ({
                name: p.name,
                startedAt: p.startedAt,
                endedAt: p.endedAt,
                seconds: p.seconds,
            })),
        },
        objectives: { rto: objective(outcome.objectives.rto), rpo: objective(outcome.objectives.rpo) },
        checks,
        totals: totalsOf(checks),
        cleanup: {
            status: outcome.cleanup.status,
            resources: outcome.cleanup.resources.map((r) => ({
                kind: r.kind,
                id: r.id,
                outcome: r.outcome,
                error: nul(r.error),
            })),
        },
        warnings: [...outcome.warnings],
        cost: outcome.cost
            ? {
                currency: outcome.cost.currency,
                totalUsd: outcome.cost.totalUsd,
                complete: outcome.cost.complete,
                pricesAsOf: outcome.cost.pricesAsOf,
                items: outcome.cost.items.map((i) => ({ item: i.item, detail: i.detail, usd: i.usd })),
                notes: [...outcome.cost.notes],
            }
            : null,
        run: input.run,
        tool: { name: 'restore-proof', version: input.toolVersion },
        generatedAt: input.generatedAt.toISOString(),
        validUntil: validUntil(outcome.cadence, new Date(outcome.startedAt)).toISOString(),
        previous: input.previous,
        markdown: { file: input.markdownFile, sha256: '' },
        signature: null,
    };
    return sanitizeDeep(report, input.secrets);
}
/** Checks that failed or errored, failures first in the order they ran. */
function failingChecks(report) {
    return report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/report/canonical.ts

/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted, no whitespace, numbers in their
 * shortest round-trip form, strings escaped as JSON.stringify does.
 *
 * It is deliberately narrower than JCS so that `jq -jcS` (jq 1.6 and later) reproduces it byte for
 * byte: keys must be ASCII (JCS sorts by UTF-16 units, jq by code point; for ASCII they agree), numbers
 * must be finite with magnitude below 1e15 (jq writes 1e+16, JCS 10000000000000000) and -0 is refused,
 * and strings must hold no DEL, C1 control or lone surrogate (jq escapes or rejects them). Anything
 * outside that subset throws rather than producing bytes an auditor could not reproduce.
 */
function canonical_canonicalJson(value) {
    return encode(value, '$');
}
const MAX_PORTABLE = 1e15;
const UNPORTABLE_STRING = /[\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const ASCII_KEY = /^[\u0000-\u007f]*$/;
function encode(value, at) {
    if (value === null)
        return 'null';
    switch (typeof value) {
        case 'boolean':
            return value ? 'true' : 'false';
        case 'number':
            if (!Number.isFinite(value))
                throw new Error(`canonical JSON: ${at} is not a finite number`);
            if (Object.is(value, -0))
                throw new Error(`canonical JSON: ${at} is -0`);
            if (Math.abs(value) >= MAX_PORTABLE)
                throw new Error(`canonical JSON: ${at} is too large (${value})`);
            return JSON.stringify(value);
        case 'string':
            if (UNPORTABLE_STRING.test(value))
                throw new Error(`canonical JSON: ${at} holds a control or unpaired character`);
            return JSON.stringify(value);
        case 'object': {
            if (Array.isArray(value))
                return `[${value.map((item, i) => encode(item, `${at}[${i}]`)).join(',')}]`;
            const entries = Object.entries(value);
            const parts = [];
            for (const [key, item] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
                if (!ASCII_KEY.test(key))
                    throw new Error(`canonical JSON: key ${JSON.stringify(key)} at ${at} is not ASCII`);
                if (item === undefined)
                    throw new Error(`canonical JSON: ${at}.${key} is undefined`);
                parts.push(`${JSON.stringify(key)}:${encode(item, `${at}.${key}`)}`);
            }
            return `{${parts.join(',')}}`;
        }
        default:
            throw new Error(`canonical JSON: ${at} is a ${typeof value}`);
    }
}
/** Hex SHA-256 of bytes or UTF-8 text (what `sha256sum` prints). */
function canonical_sha256Hex(data) {
    return createHash('sha256').update(data).digest('hex');
}

;// CONCATENATED MODULE: ./src/report/signing.ts




/** The committed public key's file name, beside the reports. */
const signing_PUBLIC_KEY_FILE = 'restore-proof.pub.pem';
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;
/** Secrets stored with literal "\n" (a common paste accident) become real newlines. */
function normalizePem(text) {
    const trimmed = text.trim();
    return !trimmed.includes('\n') && trimmed.includes('\\n') ? trimmed.replace(/\\n/g, '\n') : trimmed;
}
/** Parses the signing-key input: an Ed25519 private key in PEM. Throws one line naming the input. */
function signing_loadSigningKey(pem) {
    let key;
    try {
        key = createPrivateKey(normalizePem(pem));
    }
    catch {
        throw new Error('signing-key: expected an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)');
    }
    if (key.asymmetricKeyType !== 'ed25519') {
        throw new Error(`signing-key: expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
    }
    return key;
}
/** 'SHA256:' + base64 of the SHA-256 over the DER SubjectPublicKeyInfo (reproducible with openssl). */
function signing_publicKeyFingerprint(key) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    const der = publicKey.export({ type: 'spki', format: 'der' });
    return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}
function signing_publicKeyPem(key) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
/** The bytes that are signed: the canonical JSON of the report without its signature field. */
function signedBytes(report) {
    const rest = { ...report };
    delete rest.signature;
    return Buffer.from(canonicalJson(rest), 'utf8');
}
function signing_signReport(report, privateKey) {
    return {
        algorithm: 'ed25519',
        publicKeyFingerprint: signing_publicKeyFingerprint(privateKey),
        value: sign(null, signedBytes(report), privateKey).toString('base64'),
    };
}
/** Public keys by fingerprint, from PEM text holding one or more Ed25519 public keys. */
function signing_parsePublicKeys(pemText) {
    const keys = new Map();
    const text = normalizePem(pemText);
    for (const match of text.matchAll(PEM_BLOCK)) {
        let key;
        try {
            key = createPublicKey(match[0]);
        }
        catch {
            throw new Error('public-key: a PEM block in it is not a public key');
        }
        if (key.asymmetricKeyType !== 'ed25519') {
            throw new Error(`public-key: expected Ed25519 public keys, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
        }
        keys.set(signing_publicKeyFingerprint(key), key);
    }
    if (keys.size === 0)
        throw new Error('public-key: no PEM public key found (expected -----BEGIN PUBLIC KEY-----)');
    return keys;
}
/**
 * The public-key input is PEM text or a path to a PEM file; without it, the key committed beside the
 * reports is used (an auditor should still pin its fingerprint out of band: whoever can commit a
 * report can commit a key).
 */
function resolvePublicKeys(input, reportDir) {
    const given = input?.trim();
    if (given) {
        if (given.includes('-----BEGIN'))
            return { keys: signing_parsePublicKeys(given), origin: 'input' };
        if (!existsSync(given))
            throw new Error(`public-key: ${given} is neither PEM text nor a readable file`);
        return { keys: signing_parsePublicKeys(readFileSync(given, 'utf8')), origin: given };
    }
    const committed = join(reportDir, signing_PUBLIC_KEY_FILE);
    if (existsSync(committed))
        return { keys: signing_parsePublicKeys(readFileSync(committed, 'utf8')), origin: committed };
    return { keys: new Map(), origin: null };
}
function verifySignature(report, signature, key) {
    try {
        return verify(null, signedBytes(report), key, Buffer.from(signature.value, 'base64'));
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/report/render/markdown.ts






const CATEGORY_TITLE = {
    posture: 'Backup posture',
    encryption: 'Encryption',
    access: 'Access controls',
    schema: 'Schema',
    integrity: 'Integrity',
    counts: 'Row counts',
    checksums: 'Checksums',
    custom: 'Custom checks',
    smoke: 'Smoke test',
    objectives: 'Objectives',
};
/** One sentence: what happened, against which objectives, and whether the copy is gone. */
function markdown_verdictSentence(report) {
    const source = code(clusterName(report.source.cluster));
    const t = report.totals;
    const bad = t.failed + t.errored;
    const checks = t.total === 0
        ? 'ran no checks'
        : bad === 0
            ? `passed ${t.passed} of ${plural(t.total, 'check')}${t.warned ? ` (${plural(t.warned, 'warning')})` : ''}`
            : `failed ${bad} of ${plural(t.total, 'check')}`;
    const rto = report.objectives.rto;
    const rpo = report.objectives.rpo;
    const restored = report.restore.seconds === null
        ? 'did not complete a restore'
        : `restored a copy in ${duration(report.restore.seconds)} (RTO target ${duration(rto.targetSeconds)})`;
    const loss = rpo.measuredSeconds === null
        ? 'data loss was not measured'
        : `lost ${duration(rpo.measuredSeconds)} of data (RPO target ${duration(rpo.targetSeconds)})`;
    const cleanup = {
        deleted: 'deleted the copy',
        kept: 'kept the copy for investigation',
        failed: 'FAILED to delete the copy',
        none: 'had nothing to delete',
    }[report.cleanup.status];
    return `**${report.result.toUpperCase()}**: the ${report.cadence} drill of ${source} ${restored}, ${loss}, ${checks}, and ${cleanup}.`;
}
function markdown_renderMarkdown(report, options) {
    const out = [];
    const source = clusterName(report.source.cluster);
    out.push(report.result === 'pass'
        ? `# PASS: ${code(source)} restores and verifies`
        : `# FAIL: ${code(source)} restore drill failed`, '', markdown_verdictSentence(report), '');
    if (report.error)
        out.push(`> **Error:** ${report.error.replace(/\r?\n/g, ' ')}`, '');
    out.push(...facts(report), '');
    out.push(...objectives(report), '');
    out.push(...timeline(report), '');
    out.push(...checks(report), '');
    out.push(...hipaa(report), '');
    out.push(...cleanup(report), '');
    if (report.cost)
        out.push(...cost(report.cost), '');
    if (report.warnings.length > 0) {
        out.push('## Warnings', '', ...report.warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`), '');
    }
    out.push(...verification(report, options));
    return `${out
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd()}\n`;
}
function facts(report) {
    const r = report.restore;
    const s = report.source;
    const about = [[s.engine, s.engineVersion].filter(Boolean).join(' '), s.region].filter(Boolean).join(', ');
    const to = r.type === 'snapshot'
        ? `from snapshot ${r.snapshotId ? code(r.snapshotId) : '(newest automated)'}`
        : r.targetTime
            ? `${r.type} restore to ${utc(r.targetTime)}`
            : `${r.type} restore`;
    const run = report.run;
    const runText = run.runUrl
        ? `[${run.workflow ?? 'workflow'} run ${run.runId}${run.runAttempt && run.runAttempt > 1 ? ` attempt ${run.runAttempt}` : ''}](${run.runUrl})`
        : 'local run (not GitHub Actions)';
    const by = [
        run.repository ? `in ${code(run.repository)}` : null,
        run.actor ? `by ${code(run.actor)}` : null,
        `on ${run.trigger}`,
        run.commit ? `at commit ${code(run.commit.slice(0, 12))}` : null,
        run.ref ? `(${code(run.ref)})` : null,
    ].filter(Boolean);
    return [
        `- **Source:** ${code(s.cluster)}${about ? ` (${about})` : ''}`,
        `- **Restored copy:** ${r.restoredCluster ? code(r.restoredCluster) : 'none'}, ${to} (${report.provider})`,
        `- **Drill:** ${report.cadence}, ${utc(report.startedAt)} to ${utc(report.finishedAt)}`,
        `- **Run:** ${runText} ${by.join(' ')}`,
        `- **Evidence valid until:** ${utc(report.validUntil)} (next ${report.cadence} run plus grace)`,
        `- **Previous report:** ${report.previous ? `${code(report.previous.file)} (SHA-256 ${code(report.previous.sha256)})` : 'none; this report starts the chain'}`,
    ];
}
function objectives(report) {
    const { rto, rpo } = report.objectives;
    return [
        '## Objectives',
        '',
        '| Objective | Target | Measured | Met |',
        '| --- | --- | --- | --- |',
        `| Recovery time (RTO): restore request to first query on the copy | ${duration(rto.targetSeconds)} | ${duration(rto.measuredSeconds)} | ${yesNo(rto.met)} |`,
        `| Recovery point (RPO): data lost between production and the copy | ${duration(rpo.targetSeconds)} | ${duration(rpo.measuredSeconds)} | ${yesNo(rpo.met)} |`,
    ];
}
/** Mermaid task names may not hold ':', '#' or ';'. */
const taskName = (name) => name.replace(/[:#;]/g, ' ').trim() || 'phase';
const mermaidTime = (iso) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
function timeline(report) {
    const phases = report.restore.phases;
    if (phases.length === 0)
        return ['## Timeline', '', 'No phase was recorded.'];
    const total = phases.reduce((sum, p) => sum + p.seconds, 0);
    const lines = [
        '## Timeline',
        '',
        '```mermaid',
        'gantt',
        '  title Drill phases (UTC)',
        '  dateFormat YYYY-MM-DD HH:mm:ss',
        `  axisFormat ${total < 600 ? '%H:%M:%S' : '%H:%M'}`,
        '  todayMarker off',
        '  section Drill',
        ...phases.map((p, i) => `  ${taskName(p.name)} (${duration(p.seconds)}) :done, p${i + 1}, ${mermaidTime(p.startedAt)}, ${mermaidTime(p.endedAt)}`),
        '```',
        '',
        '| Phase | Started | Ended | Duration |',
        '| --- | --- | --- | --- |',
        ...phases.map((p) => `| ${cell(p.name)} | ${utc(p.startedAt)} | ${utc(p.endedAt)} | ${duration(p.seconds)} |`),
    ];
    return lines;
}
const rank = (c) => STATUS_ORDER.indexOf(c.status);
/** Categories with failures first (then errors, warnings), each sorted the same way inside. */
function groupChecks(checks) {
    const groups = CHECK_CATEGORIES.map((category) => ({
        category,
        checks: checks
            .map((check, index) => ({ check, index }))
            .filter(({ check }) => check.category === category)
            .sort((a, b) => rank(a.check) - rank(b.check) || a.index - b.index)
            .map(({ check }) => check),
    })).filter((g) => g.checks.length > 0);
    const worst = (g) => Math.min(...g.checks.map(rank));
    return groups
        .map((g, index) => ({ g, index }))
        .sort((a, b) => worst(a.g) - worst(b.g) || a.index - b.index)
        .map(({ g }) => g);
}
function checks(report) {
    const t = report.totals;
    const out = ['## Checks', ''];
    if (t.total === 0)
        return [...out, 'No check ran.'];
    const parts = [
        `${t.passed} passed`,
        t.failed ? `**${t.failed} failed**` : null,
        t.errored ? `**${t.errored} errored**` : null,
        t.warned ? `${plural(t.warned, 'warning')}` : null,
        t.skipped ? `${t.skipped} skipped` : null,
    ].filter(Boolean);
    out.push(`${plural(t.total, 'check')}: ${parts.join(', ')}.`, '');
    for (const group of groupChecks(report.checks)) {
        const bad = group.checks.filter((c) => c.status === 'fail' || c.status === 'error').length;
        const warned = group.checks.filter((c) => c.status === 'warn').length;
        const first = group.checks[0];
        const clauses = first ? first.hipaa.map((c) => `§${c}`).join(', ') : '';
        out.push(`### ${CATEGORY_TITLE[group.category]}: ${bad ? `**${bad} of ${group.checks.length} failed**` : `${group.checks.filter((c) => c.status === 'pass').length} of ${group.checks.length} passed`}${warned ? `, ${plural(warned, 'warning')}` : ''}`, '', `HIPAA ${clauses}`, '', '| Status | Check | Summary | Measured | Expected |', '| --- | --- | --- | --- | --- |', ...group.checks.map((c) => `| ${statusLabel(c.status)} | ${code(c.id)} | ${cell(c.summary)} | ${value(c.measured)} | ${value(c.expected)} |`), '');
    }
    return out;
}
function hipaa(report) {
    const out = [
        '## HIPAA evidence',
        '',
        '| Clause | Requirement | Evidence in this report | Result |',
        '| --- | --- | --- | --- |',
    ];
    for (const clause of Object.keys(HIPAA_CLAUSES)) {
        const serving = report.checks.filter((c) => c.hipaa.includes(clause));
        const bad = serving.filter((c) => c.status === 'fail' || c.status === 'error').length;
        // Only checks that ran are evidence: a clause whose checks were all skipped is not shown to pass.
        const ran = serving.filter((c) => c.status !== 'skip').length;
        const skipped = serving.length - ran;
        let evidence = serving.length
            ? `${plural(ran, 'check')}${skipped ? ` (${skipped} more skipped)` : ''}`
            : 'no check';
        let result = bad ? `**${bad} failed**` : ran === 0 ? 'not evidenced' : 'pass';
        if (clause === '164.308(a)(7)(ii)(D)') {
            evidence = `this ${report.cadence} drill${serving.length ? ` and ${plural(serving.length, 'objective check')}` : ''}`;
            result = report.result === 'pass' ? 'pass' : '**FAIL**';
        }
        out.push(`| §${clause} | ${HIPAA_CLAUSES[clause]} | ${evidence} | ${result} |`);
    }
    return out;
}
function cleanup(report) {
    const c = report.cleanup;
    const sentence = {
        deleted: 'Everything the drill created was deleted.',
        kept: '**Kept** for investigation: the resources below still exist; the janitor deletes them when they expire.',
        failed: '**Cleanup failed**: the resources below may still exist (and cost money); the janitor retries, or delete them by hand.',
        none: 'The drill created nothing that needed deleting.',
    }[c.status];
    const out = ['## Cleanup', '', sentence];
    if (c.resources.length > 0) {
        out.push('', '| Resource | Identifier | Outcome |', '| --- | --- | --- |', ...c.resources.map((r) => `| ${cell(r.kind)} | ${code(r.id)} | ${r.outcome === 'failed' ? '**failed**' : r.outcome}${r.error ? `: ${cell(r.error)}` : ''} |`));
    }
    return out;
}
const COST_ITEM = {
    instance: 'Instance',
    storage: 'Storage',
    io: 'I/O',
    transfer: 'Cross-region transfer',
};
function cost(c) {
    const total = c.totalUsd === null
        ? 'unknown (no price on record for the instance class)'
        : `${usd(c.totalUsd)}${c.complete ? '' : ' plus the unknown items below'}`;
    return [
        '## Estimated cost',
        '',
        `About **${total}** for this drill: on-demand ${PRICING_REGION} list prices as of ${c.pricesAsOf}, an estimate for budgeting the cadence, not a bill.`,
        '',
        '| Item | Counted | USD |',
        '| --- | --- | --- |',
        ...c.items.map((i) => `| ${COST_ITEM[i.item]} | ${cell(i.detail)} | ${usd(i.usd)} |`),
        ...(c.notes.length > 0 ? ['', ...c.notes.map((n) => `- ${cell(n)}`)] : []),
    ];
}
function verification(report, options) {
    const json = report.file;
    const md = report.markdown.file;
    const out = ['## Verify this report', ''];
    if (options.signingFingerprint) {
        out.push(`This file's SHA-256 is recorded in ${code(json)} (\`markdown.sha256\`), and that JSON is signed with the Ed25519 key ${code(options.signingFingerprint)} (its public key is ${code(PUBLIC_KEY_FILE)} beside the reports; check its fingerprint against the one you were given out of band).`);
    }
    else {
        out.push(`**Unsigned.** No signing key was configured, so nothing but the repository's history vouches for ${code(json)} and this file. This file's SHA-256 is still recorded there (\`markdown.sha256\`).`);
    }
    out.push('', report.previous
        ? `The JSON records the SHA-256 of the report before it, so deleting, reordering or editing an earlier report breaks the chain.`
        : 'This is the first report in its directory; the next one will record its SHA-256.', '', 'With restore-proof, from the repository root:', '', '```sh', `restore-proof verify-reports --report-dir ${options.reportDir} --public-key ${options.reportDir}/${PUBLIC_KEY_FILE}`, '```', '', `With standard tools (jq 1.6+, OpenSSL 3, sha256sum), in ${code(options.reportDir)}:`, '', '```sh', `sha256sum ${md}`, `jq -r .markdown.sha256 ${json}    # must print the same hash`, ...(options.signingFingerprint
        ? [
            `jq -jcS 'del(.signature)' ${json} > canon.json`,
            `jq -r .signature.value ${json} | base64 -d > sig.bin`,
            `openssl pkeyutl -verify -pubin -inkey ${PUBLIC_KEY_FILE} -rawin -in canon.json -sigfile sig.bin    # Signature Verified Successfully`,
        ]
        : []), '```', '', `See docs/verifying-reports.md in restore-proof for the chain and fingerprint checks. Generated by restore-proof ${report.tool.version} at ${utc(report.generatedAt)}.`);
    return out;
}

;// CONCATENATED MODULE: ./src/report/render/index-page.ts





/**
 * The customer's "Restore Testing Schedule" (backup-dr-plan.md), plus the automated weekly run its
 * "Automated Restore Validation" section calls for. Each row is filled from reports of one cadence.
 */
const SCHEDULE = [
    {
        testType: 'Weekly restore validation',
        frequency: 'Weekly',
        cadence: 'weekly',
        criterion: 'Schema, integrity, record counts, encryption and access validate against production; test cluster cleaned up',
    },
    {
        testType: 'Point-in-Time Recovery',
        frequency: 'Monthly',
        cadence: 'monthly',
        criterion: 'Restore completes in < 30 min, data validates',
    },
    {
        testType: 'Full Disaster Recovery',
        frequency: 'Quarterly',
        cadence: 'quarterly',
        criterion: 'RTO met, all services operational',
    },
    {
        testType: 'Tabletop Exercise',
        frequency: 'Semi-annually',
        cadence: null,
        criterion: 'Team demonstrates procedure knowledge',
    },
    {
        testType: 'Cross-Region Failover',
        frequency: 'Annually',
        cadence: 'annual',
        criterion: 'Failover completes within RTO',
    },
];
const canonicalCadence = (cadence) => cadencePeriod(cadence).name ?? cadence.toLowerCase();
/** The index page (README.md of the report directory), regenerated after every drill. */
function index_page_renderIndex(entries, now, unreadable = []) {
    const sorted = [...entries].sort((a, b) => compareReportFiles(a.file, b.file));
    const out = [
        '# Restore test evidence',
        '',
        `Generated by restore-proof from the ${sorted.length === 1 ? 'report' : `${sorted.length} reports`} in this directory, as of ${utc(now.toISOString())}. ` +
            `Each report is a signed JSON file with its Markdown rendering; this page is derived from them and is not signed. ` +
            `Check the reports with \`restore-proof verify-reports\` or the openssl recipe in each report (public key: ${code(PUBLIC_KEY_FILE)}).`,
        '',
    ];
    out.push(...schedule(sorted, now), '');
    if (new Set(sorted.map((e) => clusterName(e.report.source.cluster))).size > 1) {
        out.push(...sources([{ dir: null, entries: sorted }], now), '');
    }
    out.push(...trend(sorted), '');
    out.push(...costs(sorted), '');
    out.push(...index_page_history(sorted), '');
    if (unreadable.length > 0) {
        out.push('## Unreadable files', '', 'These files are named like reports but could not be read; `verify-reports` will name them:', '', ...unreadable.map((f) => `- ${code(f)}`), '');
    }
    return page(out);
}
function schedule(entries, now) {
    const out = [
        '## Restore testing schedule',
        '',
        'The schedule from the Backup and Disaster Recovery plan. Next due counts from the last passing run; ' +
            'a test is **OVERDUE** once that date plus its grace has passed.',
        '',
        '| Test type | Frequency | Last performed | Result | Next due | Success criterion |',
        '| --- | --- | --- | --- | --- | --- |',
    ];
    const scheduled = new Set(SCHEDULE.map((row) => row.cadence).filter(Boolean));
    const rows = [...SCHEDULE];
    const extra = [...new Set(entries.map((e) => canonicalCadence(e.report.cadence)))].filter((c) => !scheduled.has(c));
    for (const cadence of extra.sort()) {
        rows.push({
            testType: `Drill (${cadence})`,
            frequency: 'On demand',
            cadence,
            criterion: 'All checks pass',
        });
    }
    for (const row of rows) {
        if (row.cadence === null) {
            out.push(`| ${row.testType} | ${row.frequency} | not recorded by restore-proof | — | — | ${row.criterion} |`);
            continue;
        }
        const runs = entries.filter((e) => canonicalCadence(e.report.cadence) === row.cadence);
        const last = runs.at(-1)?.report;
        const lastPass = runs.filter((e) => e.report.result === 'pass').at(-1)?.report;
        const performed = last ? `${utcDate(last.startedAt)} ([report](${last.markdown.file}))` : 'never';
        const result = !last
            ? '—'
            : last.result === 'pass'
                ? 'pass'
                : `**FAIL**${lastPass ? ` (last pass ${utcDate(lastPass.startedAt)})` : ''}`;
        const scheduledCadence = cadencePeriod(row.cadence).name !== null;
        let due;
        if (!scheduledCadence)
            due = '—';
        else if (!lastPass)
            due = last ? '**OVERDUE**: no passing run yet' : '**OVERDUE**: never performed';
        else {
            const dueAt = nextDue(row.cadence, new Date(lastPass.startedAt));
            const expiresAt = validUntil(row.cadence, new Date(lastPass.startedAt));
            due =
                now > expiresAt
                    ? `**OVERDUE** since ${utcDate(dueAt.toISOString())}`
                    : now > dueAt
                        ? `due now (${utcDate(dueAt.toISOString())})`
                        : utcDate(dueAt.toISOString());
        }
        out.push(`| ${row.testType} | ${row.frequency} | ${performed} | ${result} | ${due} | ${cell(row.criterion)} |`);
    }
    return out;
}
const TREND_POINTS = 30;
function trend(entries) {
    const points = entries.filter((e) => e.report.restore.seconds !== null).slice(-TREND_POINTS);
    const out = ['## Trend', ''];
    if (points.length === 0)
        return [...out, 'No drill has completed a restore yet.'];
    const labels = points.map((e) => `"${e.report.startedAt.slice(5, 10)} ${e.report.startedAt.slice(11, 16)}"`);
    const minutes = points.map((e) => round1((e.report.restore.seconds ?? 0) / 60));
    const rtoMinutes = points.map((e) => round1(e.report.objectives.rto.targetSeconds / 60));
    const lossSeconds = points.map((e) => round1(e.report.objectives.rpo.measuredSeconds ?? 0));
    const rpoSeconds = points.map((e) => round1(e.report.objectives.rpo.targetSeconds));
    const chart = (title, axis, values, targets) => [
        '```mermaid',
        'xychart-beta',
        `  title "${title}"`,
        `  x-axis [${labels.join(', ')}]`,
        `  y-axis "${axis}" 0 --> ${ceiling(Math.max(...values, ...targets))}`,
        `  bar [${values.join(', ')}]`,
        `  line [${targets.join(', ')}]`,
        '```',
    ];
    out.push(`The last ${points.length === 1 ? 'drill' : `${points.length} drills`} that completed a restore, oldest first (UTC). Bars are measured; the line is the target.`, '', ...chart('Restore time (minutes) against the RTO target', 'minutes', minutes, rtoMinutes), '', ...chart('Data loss (seconds) against the RPO target', 'seconds', lossSeconds, rpoSeconds));
    return out;
}
function index_page_history(entries) {
    const out = [
        '## History',
        '',
        'Newest first.',
        '',
        '| Started (UTC) | Cadence | Source | Result | Restore | Data loss | Checks failed | Cleanup | Signed | Report |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    if (entries.length === 0)
        return [...out.slice(0, 2), 'No report yet.'];
    for (const { file, report: r } of [...entries].reverse()) {
        const failed = r.totals.failed + r.totals.errored;
        out.push([
            '',
            utc(r.startedAt).replace(' UTC', ''),
            cell(r.cadence),
            code(clusterName(r.source.cluster)),
            r.result === 'pass' ? 'pass' : '**FAIL**',
            duration(r.restore.seconds),
            duration(r.objectives.rpo.measuredSeconds),
            `${failed ? `**${failed}**` : '0'} of ${r.totals.total}`,
            r.cleanup.status === 'failed' ? '**failed**' : r.cleanup.status,
            r.signature ? 'yes' : '**no**',
            `[md](${r.markdown.file}) · [json](${file})`,
            '',
        ]
            .join(' | ')
            .trim());
    }
    return out;
}
const round1 = (n) => Math.round(n * 10) / 10;
/** A y-axis top a little above the largest value, on a round number. */
function ceiling(max) {
    if (!(max > 0))
        return 1;
    const padded = max * 1.15;
    const step = 10 ** Math.floor(Math.log10(padded));
    return Math.ceil(padded / step) * step;
}
/**
 * The fleet index: one row per source cluster across every per-cluster directory (each with its own chain and
 * index), the estimated cost by month across the fleet, and directories that hold no report yet.
 */
function renderFleetIndex(groups, now, unreadable = []) {
    const all = groups.flatMap((g) => g.entries).sort((a, b) => model_compareReportFiles(a.file, b.file));
    const clusters = new Set(all.map((e) => model_clusterName(e.report.source.cluster)));
    const out = [
        '# Restore test evidence: fleet',
        '',
        `Generated by restore-proof from ${all.length === 1 ? '1 report' : `${all.length} reports`} of ${clusters.size === 1 ? '1 source' : `${clusters.size} sources`} in ${groups.length === 1 ? '1 directory' : `${groups.length} directories`}, as of ${format_utc(now.toISOString())}. ` +
            'Each directory keeps its own signed report chain and index; verify each with `restore-proof verify-reports --report-dir <directory>`. This page is derived from them and is not signed.',
        '',
        ...sources(groups, now),
        '',
        ...costs(all),
        '',
    ];
    if (unreadable.length > 0) {
        out.push('## Unreadable files', '', ...unreadable.map((f) => `- ${format_code(f)}`), '');
    }
    return page(out);
}
/** One row per source: its last drill, last pass, when the next is due (from the last passing run's cadence). */
function sources(groups, now) {
    const out = [
        '## Sources',
        '',
        '| Source | Drills | Last drill | Result | Restore | Data loss | Last pass | Next due | Reports |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    const rows = [];
    for (const group of groups) {
        const bySource = new Map();
        for (const e of [...group.entries].sort((a, b) => model_compareReportFiles(a.file, b.file))) {
            const name = model_clusterName(e.report.source.cluster);
            bySource.set(name, [...(bySource.get(name) ?? []), e]);
        }
        const link = (file) => (group.dir ? `${group.dir}/${file}` : file);
        if (bySource.size === 0 && group.dir) {
            rows.push({
                name: group.dir,
                line: `| ${format_code(group.dir)} | 0 | never | — | — | — | — | **OVERDUE**: never performed | [index](${link('README.md')}) |`,
            });
        }
        for (const [name, runs] of bySource) {
            const last = runs.at(-1).report;
            const lastPass = runs.filter((e) => e.report.result === 'pass').at(-1)?.report;
            let due;
            if (!lastPass)
                due = '**OVERDUE**: no passing run yet';
            else if (cadence_cadencePeriod(lastPass.cadence).name === null)
                due = '— (on demand)';
            else {
                const dueAt = cadence_nextDue(lastPass.cadence, new Date(lastPass.startedAt));
                const expiresAt = cadence_validUntil(lastPass.cadence, new Date(lastPass.startedAt));
                due =
                    now > expiresAt
                        ? `**OVERDUE** since ${format_utcDate(dueAt.toISOString())}`
                        : now > dueAt
                            ? `due now (${format_utcDate(dueAt.toISOString())})`
                            : format_utcDate(dueAt.toISOString());
            }
            rows.push({
                name,
                line: [
                    '',
                    format_code(name),
                    String(runs.length),
                    `${format_utcDate(last.startedAt)} (${format_cell(last.cadence)}, [report](${link(last.markdown.file)}))`,
                    last.result === 'pass' ? 'pass' : '**FAIL**',
                    format_duration(last.restore.seconds),
                    format_duration(last.objectives.rpo.measuredSeconds),
                    lastPass ? format_utcDate(lastPass.startedAt) : 'never',
                    due,
                    group.dir ? `[index](${link('README.md')})` : '—',
                    '',
                ]
                    .join(' | ')
                    .trim(),
            });
        }
    }
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...out, ...rows.map((r) => r.line)];
}
/** Estimated drill cost per calendar month (UTC, by start time), for budgeting the cadence. */
function costs(entries) {
    const out = ['## Estimated cost by month', ''];
    if (!entries.some((e) => e.report.cost)) {
        return [...out, 'No report carries a cost estimate yet.'];
    }
    const months = new Map();
    for (const { report } of entries) {
        const month = report.startedAt.slice(0, 7);
        const m = months.get(month) ?? { drills: 0, total: 0, unpriced: 0, partial: 0 };
        m.drills += 1;
        const c = report.cost;
        if (!c || c.totalUsd === null) {
            if (report.provider === 'aurora')
                m.unpriced += 1;
        }
        else {
            m.total += c.totalUsd;
            if (!c.complete)
                m.partial += 1;
        }
        months.set(month, m);
    }
    out.push('Sum of the estimates in the reports started in each month: instance time at on-demand list prices; storage, I/O and transfer only where their size was known. An estimate for budgeting, not a bill.', '', '| Month | Drills | Estimated cost | Left out (unknown) |', '| --- | --- | --- | --- |');
    for (const [month, m] of [...months].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))) {
        const missing = [
            m.unpriced ? `${format_plural(m.unpriced, 'drill')} without a price` : null,
            m.partial ? `storage/I-O of ${format_plural(m.partial, 'drill')}` : null,
        ].filter(Boolean);
        out.push(`| ${month} | ${m.drills} | ${cost_usd(Math.round(m.total * 100) / 100)} | ${missing.join('; ') || '—'} |`);
    }
    return out;
}
/** Lines to a page: at most one blank line in a row, one newline at the end. */
function page(lines) {
    return `${lines
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd()}\n`;
}

;// CONCATENATED MODULE: ./src/sinks/report-files.ts









const INDEX_FILE = 'README.md';
/** Report JSON files in the directory, in chain (file-name) order. */
async function report_files_listReportFiles(dir) {
    if (!(0,external_node_fs_namespaceObject.existsSync)(dir))
        return [];
    return (await (0,promises_namespaceObject.readdir)(dir)).filter((name) => model_REPORT_FILE.test(name)).sort(model_compareReportFiles);
}
/** The JSON file as written: readable, signature last; verification reads it back canonically. */
function serializeReport(report) {
    canonicalJson(report); // refuses anything the canonical form cannot carry before it is written
    return `${JSON.stringify(report, null, 2)}\n`;
}
/**
 * Writes the drill's evidence: builds the model, links it to the previous report, renders Markdown,
 * binds the Markdown's hash into the model, signs, writes both files, commits the public key beside
 * them once, and regenerates the index. Works the same for passed, failed and errored drills.
 */
async function writeReport(input) {
    const { plan, outcome } = input;
    const env = input.env ?? {};
    const now = input.now ?? new Date();
    const dir = plan.reportDir;
    const signingKey = plan.signingKey ? loadSigningKey(plan.signingKey) : null;
    const secrets = secretsFrom([
        plan.signingKey,
        plan.githubToken,
        plan.productionUrl,
        plan.sourceUrl,
        ...(input.secrets ?? []),
    ]);
    await mkdir(dir, { recursive: true });
    const existing = await report_files_listReportFiles(dir);
    const stem = uniqueStem(reportStem(outcome), new Set(await readdir(dir)));
    const file = `${stem}.json`;
    const markdownFile = `${stem}.md`;
    const last = existing.at(-1);
    if (last && compareReportFiles(last, file) > 0) {
        input.logger?.warning(`report: ${file} sorts before the existing ${last}; the chain follows file-name order, so verify-reports will flag it (is the clock right?)`);
    }
    const previous = last ? { file: last, sha256: sha256Hex(await readFile(join(dir, last))) } : null;
    const report = buildReport({
        outcome,
        run: runContextFromEnv(env, outcome.cadence),
        file,
        markdownFile,
        previous,
        generatedAt: now,
        toolVersion: input.toolVersion ?? 'dev',
        secrets,
    });
    const fingerprint = signingKey ? publicKeyFingerprint(signingKey) : null;
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const shownDir = report_files_repositoryPath(resolve(dir), workspace) ?? toPosix(dir);
    const markdown = renderMarkdown(report, { signingFingerprint: fingerprint, reportDir: shownDir });
    report.markdown.sha256 = sha256Hex(markdown);
    if (signingKey)
        report.signature = signReport(report, signingKey);
    const jsonPath = join(dir, file);
    const markdownPath = join(dir, markdownFile);
    const json = serializeReport(report);
    await writeFile(markdownPath, markdown, { flag: 'wx' });
    await writeFile(jsonPath, json, { flag: 'wx' });
    const files = [jsonPath, markdownPath];
    let publicKeyPath = null;
    if (signingKey) {
        publicKeyPath = await ensurePublicKey(dir, signingKey, input.logger);
        if (publicKeyPath)
            files.push(publicKeyPath);
    }
    const indexPath = await writeIndex(dir, now, input.logger);
    files.push(indexPath);
    input.logger?.info(`report: ${report.result} written to ${jsonPath} and ${markdownPath}${fingerprint ? ` (signed ${fingerprint})` : ' (unsigned)'}`);
    return { report, markdown, jsonPath, markdownPath, indexPath, publicKeyPath, files };
}
/** Two drills in the same second for the same source and cadence get -2, -3, ... */
function uniqueStem(stem, taken) {
    const free = (s) => !taken.has(`${s}.json`) && !taken.has(`${s}.md`);
    if (free(stem))
        return stem;
    for (let n = 2;; n++)
        if (free(`${stem}-${n}`))
            return `${stem}-${n}`;
}
/**
 * Writes the public key beside the reports when absent. When a different key is already committed
 * (a rotation), the new key is appended so verify-reports can check old and new reports alike; the
 * auditor's pinned fingerprints decide which keys are trusted.
 */
async function ensurePublicKey(dir, signingKey, logger) {
    const path = join(dir, PUBLIC_KEY_FILE);
    const pem = publicKeyPem(signingKey);
    const fingerprint = publicKeyFingerprint(signingKey);
    if (!existsSync(path)) {
        await writeFile(path, pem);
        logger?.info(`report: wrote the public key ${fingerprint} to ${path}; commit it once and pin its fingerprint`);
        return path;
    }
    const current = await readFile(path, 'utf8');
    let known;
    try {
        known = parsePublicKeys(current);
    }
    catch {
        logger?.warning(`report: ${path} holds no readable public key; leaving it as it is`);
        return null;
    }
    if (known.has(fingerprint))
        return null;
    await writeFile(path, `${current.trimEnd()}\n${pem}`);
    logger?.warning(`report: signing key ${fingerprint} is new; appended it to ${path}. Tell the auditor its fingerprint out of band.`);
    return path;
}
/** Reads every report in the directory and regenerates README.md from them. */
async function writeIndex(dir, now, logger) {
    const entries = [];
    const unreadable = [];
    for (const name of await report_files_listReportFiles(dir)) {
        try {
            const report = JSON.parse(await readFile(join(dir, name), 'utf8'));
            if (!report || typeof report !== 'object' || !report.restore || !report.objectives)
                throw new Error('shape');
            entries.push({ file: name, report });
        }
        catch {
            unreadable.push(name);
            logger?.warning(`report: ${name} could not be read for the index`);
        }
    }
    const path = join(dir, INDEX_FILE);
    await writeFile(path, renderIndex(entries, now, unreadable));
    return path;
}
const toPosix = (p) => p.split(external_node_path_namespaceObject.sep).join('/').replace(/\/+$/, '') || '.';
/** A path relative to the repository root in forward slashes, or null when it lies outside it. */
function report_files_repositoryPath(path, workspace) {
    const rel = (0,external_node_path_namespaceObject.relative)(workspace, path);
    if (!rel || rel.startsWith('..') || rel.includes(`:${external_node_path_namespaceObject.sep}`) || rel.startsWith(external_node_path_namespaceObject.sep))
        return null;
    return toPosix(rel);
}

;// CONCATENATED MODULE: ./src/sinks/report-commit.ts
/**
 * Puts a drill's evidence in the repository: the report files and the index in one verified commit.
 * When the commit cannot be made, the files stay on the runner (and in an artifact when an uploader
 * is given) and the result says so.
 */






/** The branch a push would go to, or null on a tag, a pull request merge ref or outside Actions. */
function branchFromEnv(env) {
    const ref = env.GITHUB_REF ?? '';
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}
function commitMessage(written) {
    const r = written.report;
    return {
        headline: `restore-proof: ${r.result} ${r.cadence} drill of ${clusterName(r.source.cluster)} (${r.startedAt.slice(0, 10)})`,
        body: `${verdictSentence(r).replace(/\*\*|`/g, '')}\n\nReport: ${r.file}${r.signature ? `\nSigned: ${r.signature.publicKeyFingerprint}` : ''}\n\n[skip ci]`,
    };
}
const TREE_QUERY = (/* unused pure expression or super */ null && (`query($owner: String!, $name: String!, $expression: String!) {
  repository(owner: $owner, name: $name) { object(expression: $expression) { ... on Tree { entries { name } } } }
}`));
/**
 * Refuses to commit on a head where another run already committed a report this checkout did not
 * see: this report's `previous` link would then fork the chain. Serialise drills that share a report
 * directory with a workflow concurrency group.
 */
function chainGuard(repository, dirPath, known) {
    const [owner, name] = repository.split('/');
    return async (head, client) => {
        const data = await client.query(TREE_QUERY, { owner, name, expression: `${head}:${dirPath}` });
        const remote = (data.repository?.object?.entries ?? [])
            .map((e) => e.name)
            .filter((n) => REPORT_FILE.test(n));
        const unseen = remote.filter((n) => !known.includes(n));
        if (unseen.length > 0) {
            throw new CommitError(`another run committed ${unseen.join(', ')} to ${dirPath} after this checkout; committing would fork the report chain (serialise drills with a concurrency group and re-run)`, 'conflict', 0);
        }
    };
}
async function commitReport(input) {
    const { plan, written, env, logger } = input;
    if (!plan.commitReport)
        return { status: 'skipped', message: 'commit-report is off; the report stays on the runner' };
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const files = written.files.map((f) => resolve(f));
    let reason;
    try {
        if (!plan.githubToken)
            throw new CommitError('commit-report needs github-token (contents: write)', 'auth', 0);
        const repository = env.GITHUB_REPOSITORY;
        if (!repository)
            throw new CommitError('commit-report needs GITHUB_REPOSITORY (run inside GitHub Actions)', 'not-found', 0);
        const branch = branchFromEnv(env);
        if (!branch)
            throw new CommitError(`commit-report needs a branch; this run is on ${env.GITHUB_REF || 'no ref'}`, 'not-found', 0);
        const additions = await Promise.all(files.map(async (file) => {
            const path = repositoryPath(file, workspace);
            if (!path)
                throw new CommitError(`${file} is outside the repository (${workspace})`, 'not-found', 0);
            return { path, contents: await readFile(file) };
        }));
        const dirPath = repositoryPath(resolve(plan.reportDir), workspace) ?? plan.reportDir;
        const result = await commitFiles({
            token: plan.githubToken,
            repository,
            branch,
            expectedHeadOid: env.GITHUB_SHA || undefined,
            files: additions,
            message: commitMessage(written),
            checkHead: chainGuard(repository, dirPath, await listReportFiles(plan.reportDir)),
            logger,
            ...input.commit,
        });
        return {
            status: 'committed',
            message: `report committed to ${branch} as ${result.oid.slice(0, 12)} (verified commit)`,
            oid: result.oid,
            url: result.url,
        };
    }
    catch (error) {
        if (!(error instanceof CommitError))
            throw error;
        reason = error.message;
    }
    const artifact = `restore-proof-report-${written.report.file.replace(/\.json$/, '')}`;
    if (input.uploadArtifact) {
        try {
            await input.uploadArtifact(artifact, files, workspace);
            const message = `report NOT committed (${reason}); the files are in the workflow artifact ${artifact}`;
            logger.error(message);
            return { status: 'failed', message, artifact };
        }
        catch (error) {
            reason += `; artifact upload failed too (${error instanceof Error ? error.message : String(error)})`;
        }
    }
    const message = `report NOT committed (${reason}); the files are on the runner in ${plan.reportDir}: keep them with actions/upload-artifact`;
    logger.error(message);
    return { status: 'failed', message };
}

;// CONCATENATED MODULE: ./src/sinks/fleet-index.ts
/**
 * The fleet index: a report directory whose subdirectories each hold one source's report chain (the fleet
 * workflow gives every cluster its own, so parallel drills never fork a chain). Reads every subdirectory's
 * reports and writes the directory's README.md from them.
 */





async function readGroup(dir, name, unreadable, logger) {
    const entries = [];
    for (const file of await report_files_listReportFiles(dir)) {
        const shown = name ? `${name}/${file}` : file;
        try {
            const report = JSON.parse(await (0,promises_namespaceObject.readFile)((0,external_node_path_namespaceObject.join)(dir, file), 'utf8'));
            if (!report || typeof report !== 'object' || !report.restore || !report.objectives)
                throw new Error('shape');
            entries.push({ file, report });
        }
        catch {
            unreadable.push(shown);
            logger?.warning(`fleet index: ${shown} could not be read`);
        }
    }
    return { dir: name, entries };
}
/** The groups under dir: each subdirectory (sorted by name), and dir itself when it holds reports. */
async function readFleet(dir, logger) {
    const unreadable = [];
    if (!(0,external_node_fs_namespaceObject.existsSync)(dir))
        return { groups: [], unreadable };
    const groups = [];
    const own = await readGroup(dir, null, unreadable, logger);
    if (own.entries.length > 0)
        groups.push(own);
    const subdirs = (await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
        .map((d) => d.name)
        .sort();
    for (const name of subdirs)
        groups.push(await readGroup((0,external_node_path_namespaceObject.join)(dir, name), name, unreadable, logger));
    return { groups, unreadable };
}
async function writeFleetIndex(dir, now, logger) {
    const { groups, unreadable } = await readFleet(dir, logger);
    const markdown = renderFleetIndex(groups, now, unreadable);
    const path = (0,external_node_path_namespaceObject.join)(dir, INDEX_FILE);
    await (0,promises_namespaceObject.writeFile)(path, markdown);
    logger?.info(`fleet index: ${path} from ${groups.reduce((n, g) => n + g.entries.length, 0)} reports in ${groups.length} directories`);
    return { path, markdown };
}

;// CONCATENATED MODULE: ./src/engine/fleet-index.ts
/**
 * Regenerates the fleet index (README.md of a directory of per-cluster report directories) and, with
 * --commit, commits it as a verified commit on the current branch. Run by the fleet workflow's last job:
 *
 *   node dist/fleet-index/index.js --report-dir docs/tests/fleet [--commit]
 *
 * Environment for --commit: GITHUB_TOKEN (contents: write), GITHUB_REPOSITORY, GITHUB_REF, GITHUB_WORKSPACE.
 */








async function fleetIndexMain(argv, env) {
    const logger = streamLogger((line) => process.stderr.write(`${line}\n`));
    const { values } = (0,external_node_util_namespaceObject.parseArgs)({
        args: argv,
        options: { 'report-dir': { type: 'string' }, commit: { type: 'boolean' } },
    });
    const dir = values['report-dir'];
    if (!dir) {
        logger.error('fleet-index: --report-dir is required');
        return 2;
    }
    if (env.GITHUB_TOKEN)
        logger.setSecret(env.GITHUB_TOKEN);
    const { path, markdown } = await writeFleetIndex(dir, new Date(), logger);
    if (env.GITHUB_STEP_SUMMARY)
        await (0,promises_namespaceObject.appendFile)(env.GITHUB_STEP_SUMMARY, markdown);
    if (!values.commit)
        return 0;
    const branch = branchFromEnv(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const repoPath = report_files_repositoryPath((0,external_node_path_namespaceObject.resolve)(path), workspace);
    if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !branch || !repoPath) {
        logger.error('fleet-index: --commit needs GITHUB_TOKEN, GITHUB_REPOSITORY, a branch ref and a path inside the workspace');
        return 1;
    }
    const result = await github_commit_commitFiles({
        token: env.GITHUB_TOKEN,
        repository: env.GITHUB_REPOSITORY,
        branch,
        files: [{ path: repoPath, contents: await (0,promises_namespaceObject.readFile)(path) }],
        message: {
            headline: `restore-proof: fleet index (${new Date().toISOString().slice(0, 10)})`,
            body: '[skip ci]',
        },
        logger,
    });
    logger.info(`fleet-index: committed ${repoPath} as ${result.oid.slice(0, 12)}`);
    return 0;
}

;// CONCATENATED MODULE: ./src/entries/fleet-index.ts
/** Entry point of dist/fleet-index: see commands/fleet-index.ts. */

fleetIndexMain(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
}, (error) => {
    process.stderr.write(`fleet-index: ${error.message}\n`);
    process.exitCode = 1;
});

