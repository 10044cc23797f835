#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Feedscope sample third-party event service.
//
// A small, self-contained HTTP service (Node 20, standard library only) that produces events and
// offers them through the three faces an OpenWhisk feed can use (DESIGN.md, "The three feed
// patterns"), so that each pattern can be shown end to end on one machine:
//
//   hook        POST /webhooks registers a URL (for example an OpenWhisk trigger URL with its
//               Basic auth header); every event is then POSTed to it as JSON.
//   polling     GET /events?since=<cursor> returns the events after a cursor, oldest first, and
//               the next cursor; a poll action keeps the cursor between runs.
//   connection  GET /stream is a Server-Sent Events stream; a provider service keeps it open
//               (and resumes with Last-Event-ID after a reconnect).
//
// Events come from POST /emit, or from a built-in generator (--rate, POST /rate).
// Everything is kept in memory: the last 10,000 events in a ring, the webhooks, the streams.
// With --state FILE the webhooks and the last event id survive a restart (as a real service's
// registrations would): ids continue where they stopped, so a poller's cursor and an SSE
// client's Last-Event-ID stay meaningful. The file holds the webhooks' header values (trigger
// keys), so it is written readable only by its owner.
//
// Usage: node event-service.js [--port N] [--host 127.0.0.1] [--rate EVENTS_PER_SECOND]
//                              [--type TYPE] [--heartbeat SECONDS] [--state FILE]
// The first line on stdout is exactly "event-service listening on http://HOST:PORT".
// Diagnostics go to stderr. SIGINT / SIGTERM stop the service cleanly (exit code 0).
'use strict';

const http = require('node:http');
const https = require('node:https');
const { URL } = require('node:url');
const crypto = require('node:crypto');

// ---------------------------------------------------------------------------------------------
// Limits and defaults
// ---------------------------------------------------------------------------------------------

const RING_CAPACITY = 10000;          // events retained for /events and SSE replay
const DEFAULT_LIMIT = 100;            // GET /events page size
const MAX_LIMIT = 1000;
const MAX_EMIT_COUNT = 1000;          // POST /emit?count=N
const MAX_RATE = 1000;                // events per second of the generator
const MAX_BODY_BYTES = 1024 * 1024;   // request bodies
const MAX_TYPE_LENGTH = 200;
const DELIVERY_TIMEOUT_MS = 10000;    // one webhook attempt
const RETRY_DELAY_MS = 1000;          // one retry after a network error or a 5xx
const MAX_STREAM_BACKLOG = 1024 * 1024; // an SSE client this far behind is dropped

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

const USAGE = 'usage: node event-service.js [--port N] [--host HOST] [--rate EVENTS_PER_SECOND]\n' +
    '                             [--type TYPE] [--heartbeat SECONDS] [--state FILE]\n';

function parseArguments(argv) {
    const options = { port: 0, host: '127.0.0.1', rate: 0, type: null, heartbeat: 15, state: null };
    for (let i = 0; i < argv.length; ++i) {
        let name = argv[i];
        let value;
        const eq = name.indexOf('=');
        if (name.startsWith('--') && eq > 0) {
            value = name.slice(eq + 1);
            name = name.slice(0, eq);
        }
        if (name === '--help' || name === '-h') {
            process.stdout.write(USAGE);
            process.exit(0);
        }
        if (!['--port', '--host', '--rate', '--type', '--heartbeat', '--state'].includes(name)) {
            throw new Error(`unknown option ${name}`);
        }
        if (value === undefined) {
            if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
            value = argv[++i];
        }
        switch (name) {
        case '--port': {
            if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`bad port: ${value}`);
            options.port = Number(value);
            break;
        }
        case '--host':
            if (!value) throw new Error('--host needs a value');
            options.host = value;
            break;
        case '--rate': {
            const rate = Number(value);
            if (value === '' || !Number.isFinite(rate) || rate < 0 || rate > MAX_RATE) {
                throw new Error(`bad rate (0..${MAX_RATE} events per second): ${value}`);
            }
            options.rate = rate;
            break;
        }
        case '--type':
            if (typeError(value)) throw new Error(`bad type: ${typeError(value)}`);
            options.type = value;
            break;
        case '--state':
            if (!value) throw new Error('--state needs a file name');
            options.state = value;
            break;
        case '--heartbeat': {
            const seconds = Number(value);
            if (value === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
                throw new Error(`bad heartbeat (seconds, 0 < s <= 3600): ${value}`);
            }
            options.heartbeat = seconds;
            break;
        }
        }
    }
    return options;
}

// An event type ends up in an SSE "event:" line, so it must be one line of reasonable length.
// Returns a description of what is wrong, or null when the type is acceptable.
function typeError(type) {
    if (typeof type !== 'string') return '"type" must be a string';
    if (type.length === 0) return '"type" must not be empty';
    if (type.length > MAX_TYPE_LENGTH) return `"type" must be at most ${MAX_TYPE_LENGTH} characters`;
    if (/[\r\n\0]/.test(type)) return '"type" must not contain line breaks';
    return null;
}

// ---------------------------------------------------------------------------------------------
// Event store: a bounded ring indexed by the integer id
// ---------------------------------------------------------------------------------------------
//
// Ids are consecutive integers starting at 1, so the event with id k (if still retained) lives
// at ring[(k - 1) % RING_CAPACITY] and the oldest retained id is lastId - size + 1.

const ring = new Array(RING_CAPACITY);
let lastId = 0;      // id of the newest event; also the number of events ever emitted
let retained = 0;    // number of events in the ring

function storeEvent(type, data) {
    const id = lastId + 1;
    const event = { id: String(id), type, time: new Date().toISOString(), data };
    ring[(id - 1) % RING_CAPACITY] = event;
    lastId = id;
    if (retained < RING_CAPACITY) ++retained;
    return event;
}

// Retained events with id > since (an integer), oldest first, that pass `accept`, at most `limit`.
function eventsAfter(since, limit, accept) {
    const result = [];
    const oldest = lastId - retained + 1;
    for (let id = Math.max(since + 1, oldest); id <= lastId && result.length < limit; ++id) {
        const event = ring[(id - 1) % RING_CAPACITY];
        if (!accept || accept(event)) result.push(event);
    }
    return result;
}

// Parses an event id given by a client ("since", "Last-Event-ID"): a non-negative integer.
function parseEventId(text) {
    if (typeof text !== 'string' || !/^\d{1,15}$/.test(text.trim())) return null;
    return Number(text.trim());
}

// "a,b , c" → Set {a, b, c}; an empty list means "no filter" (null).
function parseTypeList(text) {
    if (text === null || text === undefined) return null;
    const types = String(text).split(',').map((t) => t.trim()).filter((t) => t.length > 0);
    return types.length > 0 ? new Set(types) : null;
}

// ---------------------------------------------------------------------------------------------
// Webhooks (the hook pattern's registration API)
// ---------------------------------------------------------------------------------------------

const webhooks = new Map(); // id → webhook (with the real header values)

// Delivery connections are pooled and bounded so that a flood of events towards a slow or dead
// receiver cannot open an unbounded number of sockets.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });

// Header values are secrets (trigger URLs are called with Basic auth): listings show only the
// scheme, e.g. "Basic ***", or "***" for a value without a scheme.
function maskHeaderValue(value) {
    const match = /^([A-Za-z][A-Za-z0-9._~+-]*)\s+\S/.exec(value);
    return match ? `${match[1]} ***` : '***';
}

function publicWebhook(hook) {
    const headers = {};
    for (const [name, value] of Object.entries(hook.headers)) headers[name] = maskHeaderValue(value);
    return {
        id: hook.id,
        url: hook.url,
        headers,
        types: hook.types ? [...hook.types] : null,
        created: hook.created,
        deliveries: hook.deliveries,
        failures: hook.failures,
        lastStatus: hook.lastStatus,
        lastError: hook.lastError,
        lastDelivery: hook.lastDelivery,
    };
}

// Validates a POST /webhooks body; returns { webhook } or { error }.
function makeWebhook(body) {
    if (!isPlainObject(body)) return { error: 'body must be a JSON object with a "url"' };
    if (typeof body.url !== 'string' || body.url.length === 0) return { error: '"url" is required' };
    let url;
    try {
        url = new URL(body.url);
    } catch (e) {
        return { error: `"url" is not a valid URL: ${body.url}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { error: '"url" must be an http:// or https:// URL' };
    }
    const headers = {};
    if (body.headers !== undefined && body.headers !== null) {
        if (!isPlainObject(body.headers)) return { error: '"headers" must be an object of strings' };
        for (const [name, value] of Object.entries(body.headers)) {
            if (typeof value !== 'string') return { error: `header "${name}" must be a string` };
            try {
                http.validateHeaderName(name);
                http.validateHeaderValue(name, value);
            } catch (e) {
                return { error: `invalid header "${name}": ${e.message}` };
            }
            headers[name] = value;
        }
    }
    let types = null;
    if (body.types !== undefined && body.types !== null) {
        if (!Array.isArray(body.types)) return { error: '"types" must be an array of strings' };
        for (const type of body.types) {
            const problem = typeError(type);
            if (problem) return { error: `"types": ${problem}` };
        }
        types = body.types.length > 0 ? new Set(body.types) : null; // [] = every type
    }
    return {
        webhook: {
            id: crypto.randomUUID(),
            url: url.href,
            headers,
            types,
            created: new Date().toISOString(),
            deliveries: 0,     // events delivered (2xx answer)
            failures: 0,       // events not delivered (after the retry, if any)
            lastStatus: null,  // HTTP status of the last attempt (null: no answer)
            lastError: null,   // what went wrong in the last attempt (null: it succeeded)
            lastDelivery: null, // time of the last completed attempt
        },
    };
}

// One POST of an event to a webhook. Resolves to { status } or { error }; never rejects.
function postOnce(hook, payload, event) {
    return new Promise((resolve) => {
        const url = new URL(hook.url);
        const secure = url.protocol === 'https:';
        const headers = {
            'Content-Type': 'application/json',
            'User-Agent': 'feedscope-event-service',
            'X-Event-Id': event.id,
            'X-Event-Type': event.type,
            ...hook.headers,
            'Content-Length': Buffer.byteLength(payload),
        };
        let settled = false;
        const settle = (outcome) => {
            if (!settled) {
                settled = true;
                resolve(outcome);
            }
        };
        let request;
        try {
            request = (secure ? https : http).request(url, {
                method: 'POST',
                headers,
                agent: secure ? httpsAgent : httpAgent,
                timeout: DELIVERY_TIMEOUT_MS,
            }, (response) => {
                response.resume(); // the answer's body is not needed
                response.on('end', () => settle({ status: response.statusCode }));
                response.on('error', () => settle({ status: response.statusCode }));
            });
        } catch (e) {
            settle({ error: e.message });
            return;
        }
        request.on('timeout', () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
        request.on('error', (e) => settle({ error: e.code ? `${e.code}: ${e.message}` : e.message }));
        request.end(payload);
    });
}

// Delivers one event to one webhook: one attempt, plus one retry after RETRY_DELAY_MS on a
// network error or a 5xx. Updates the webhook's statistics. Fire-and-forget: never awaited by
// /emit.
async function deliver(hook, event) {
    const payload = JSON.stringify(event);
    for (let attempt = 1; attempt <= 2; ++attempt) {
        const outcome = await postOnce(hook, payload, event);
        hook.lastDelivery = new Date().toISOString();
        hook.lastStatus = outcome.status === undefined ? null : outcome.status;
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
            hook.lastError = null;
            ++hook.deliveries;
            return;
        }
        hook.lastError = outcome.error !== undefined ? outcome.error : `HTTP ${outcome.status}`;
        const retriable = outcome.error !== undefined || outcome.status >= 500;
        if (!retriable || attempt === 2 || stopping) break;
        await delay(RETRY_DELAY_MS);
        if (!webhooks.has(hook.id) || stopping) break; // unregistered meanwhile: give up quietly
    }
    ++hook.failures;
}

// ---------------------------------------------------------------------------------------------
// SSE streams (the connection pattern's face)
// ---------------------------------------------------------------------------------------------

const streams = new Set(); // { res, types: Set | null }

function sseFrame(event) {
    // JSON.stringify never produces a line break, so the data fits one "data:" line.
    const data = JSON.stringify(event.data === undefined ? null : event.data);
    return `id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`;
}

function streamWrite(client, text) {
    if (client.res.destroyed || client.res.writableEnded) return;
    if (client.res.writableLength > MAX_STREAM_BACKLOG) {
        // A client that does not read is dropped rather than buffered without bound.
        streams.delete(client);
        client.res.destroy();
        return;
    }
    client.res.write(text);
}

// ---------------------------------------------------------------------------------------------
// Emitting
// ---------------------------------------------------------------------------------------------

function emit(type, data) {
    const event = storeEvent(type, data);
    scheduleSave();
    for (const hook of webhooks.values()) {
        if (!hook.types || hook.types.has(type)) deliver(hook, event);
    }
    const frame = sseFrame(event);
    for (const client of streams) {
        if (!client.types || client.types.has(type)) streamWrite(client, frame);
    }
    return event;
}

// The generator: `rate` events per second of type options.type || "tick", data {"n": counter}.
// A coarse timer emits however many events are due since the rate was set, so rates above the
// timer resolution work and the average stays right.
const generator = { rate: 0, timer: null, started: 0, emitted: 0, counter: 0 };

function setRate(rate) {
    if (generator.timer) clearInterval(generator.timer);
    generator.timer = null;
    generator.rate = rate;
    if (rate <= 0) return;
    generator.started = Date.now();
    generator.emitted = 0;
    const period = Math.max(10, Math.min(1000, Math.floor(1000 / rate)));
    generator.timer = setInterval(() => {
        const due = Math.floor(((Date.now() - generator.started) * generator.rate) / 1000);
        // After a stall (a suspended laptop) do not burst more than one second's worth.
        let count = Math.min(due - generator.emitted, Math.ceil(generator.rate));
        generator.emitted = Math.max(generator.emitted, due - count);
        for (; count > 0; --count) {
            ++generator.emitted;
            emit(options.type || 'tick', { n: ++generator.counter });
        }
    }, period);
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

class HttpError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function sendJson(res, status, body) {
    const text = JSON.stringify(body, null, 2) + '\n';
    res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
    });
    res.end(text);
}

function sendError(res, status, message, extraHeaders) {
    if (extraHeaders) for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
    sendJson(res, status, { error: message });
}

// Reads and parses a JSON request body. Resolves to undefined for an empty body.
function readJson(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let failed = false;
        req.on('data', (chunk) => {
            if (failed) return;
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                failed = true;
                reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => {
            if (failed) return;
            const text = Buffer.concat(chunks).toString('utf8');
            if (text.trim().length === 0) {
                resolve(undefined);
                return;
            }
            try {
                resolve(JSON.parse(text));
            } catch (e) {
                reject(new HttpError(400, `request body is not valid JSON: ${e.message}`));
            }
        });
        req.on('error', (e) => {
            if (!failed) {
                failed = true;
                reject(e);
            }
        });
    });
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

function describe(baseUrl) {
    return {
        service: 'feedscope sample event service',
        description: 'Emits events and offers them as webhooks (hook pattern), a pollable list ' +
            '(polling pattern) and an SSE stream (connection pattern).',
        event: { id: '"1", "2", ... (increasing integer as a string)', type: 'string', time: 'ISO-8601', data: 'any JSON' },
        endpoints: {
            'GET /': 'this description',
            'GET /health': '{ok, events, webhooks, streams, rate}',
            'POST /emit[?count=N]': 'body {type?, data?} (a body with neither key is the data); ' +
                'count=N emits N events with data {n: i} → 201 {id, event}',
            'GET /events?since=ID&limit=N&type=T': 'events with id > since, oldest first (limit ' +
                `default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}; type may be a comma list) → {events, cursor}`,
            'GET /stream[?types=a,b][&lastEventId=ID]': 'Server-Sent Events (id, event: type, data: ' +
                'JSON of the data); honours Last-Event-ID; ": keep-alive" heartbeats',
            'POST /webhooks': 'body {url, headers?, types?} → 201 webhook; every matching event is POSTed to url',
            'GET /webhooks': '{webhooks: [...]} (header values masked)',
            'GET /webhooks/ID': 'one webhook with delivery statistics',
            'DELETE /webhooks/ID': '204',
            'GET /rate': '{perSecond, type}',
            'POST /rate': 'body {perSecond: N} sets the generator rate (0 stops) → {perSecond, type}',
        },
        baseUrl,
    };
}

function methodNotAllowed(res, allowed) {
    sendError(res, 405, `method not allowed (allowed: ${allowed.join(', ')})`, { Allow: allowed.join(', ') });
}

async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let path = url.pathname;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const method = req.method;
    const query = url.searchParams;

    if (path === '/') {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET']);
        return sendJson(res, 200, describe(`http://${req.headers.host || 'localhost'}`));
    }

    if (path === '/health') {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET']);
        return sendJson(res, 200, {
            ok: true,
            events: lastId,
            retained,
            webhooks: webhooks.size,
            streams: streams.size,
            rate: generator.rate,
        });
    }

    if (path === '/emit') {
        if (method !== 'POST') return methodNotAllowed(res, ['POST']);
        const body = await readJson(req);
        let type = (options.type || 'message');
        let data = null;
        if (isPlainObject(body) && ('type' in body || 'data' in body)) {
            if ('type' in body && body.type !== null) {
                const problem = typeError(body.type);
                if (problem) throw new HttpError(400, problem);
                type = body.type;
            }
            data = body.data === undefined ? null : body.data;
        } else if (body !== undefined) {
            data = body; // neither key: the whole body is the data
        }
        if (query.has('count')) {
            const text = query.get('count');
            if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_EMIT_COUNT) {
                throw new HttpError(400, `"count" must be an integer from 1 to ${MAX_EMIT_COUNT}`);
            }
            const count = Number(text);
            const ids = [];
            let event = null;
            for (let i = 1; i <= count; ++i) {
                event = emit(type, { n: i });
                ids.push(event.id);
            }
            return sendJson(res, 201, { id: event.id, event, count, ids });
        }
        const event = emit(type, data);
        return sendJson(res, 201, { id: event.id, event });
    }

    if (path === '/events') {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET']);
        let since = 0;
        if (query.has('since')) {
            since = parseEventId(query.get('since'));
            if (since === null) throw new HttpError(400, '"since" must be an event id (a non-negative integer)');
        }
        let limit = DEFAULT_LIMIT;
        if (query.has('limit')) {
            const text = query.get('limit');
            if (!/^\d+$/.test(text) || Number(text) < 1) throw new HttpError(400, '"limit" must be a positive integer');
            limit = Math.min(Number(text), MAX_LIMIT);
        }
        const types = parseTypeList(query.get('type'));
        const events = eventsAfter(since, limit, types ? (e) => types.has(e.type) : null);
        const cursor = events.length > 0 ? events[events.length - 1].id : String(since);
        return sendJson(res, 200, { events, cursor });
    }

    if (path === '/stream') {
        if (method !== 'GET') return methodNotAllowed(res, ['GET']);
        const types = parseTypeList(query.get('types') !== null ? query.get('types') : query.get('type'));
        let after = null;
        const resumeFrom = req.headers['last-event-id'] !== undefined
            ? req.headers['last-event-id'] : query.get('lastEventId');
        if (resumeFrom !== null && resumeFrom !== undefined && resumeFrom !== '') {
            after = parseEventId(resumeFrom);
            if (after === null) throw new HttpError(400, 'Last-Event-ID must be an event id (a non-negative integer)');
        }
        res.writeHead(200, {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-cache',
            Connection: 'keep-alive',
            'X-Accel-Buffering': 'no',
        });
        const client = { res, types };
        // Replay first, then join the live set, both synchronously: no event can fall in between.
        let text = ': connected\n\n';
        if (after !== null) {
            for (const event of eventsAfter(after, Infinity, types ? (e) => types.has(e.type) : null)) {
                text += sseFrame(event);
            }
        }
        res.write(text);
        streams.add(client);
        const remove = () => streams.delete(client);
        req.on('close', remove);
        res.on('close', remove);
        res.on('error', remove);
        return undefined;
    }

    if (path === '/webhooks') {
        if (method === 'GET' || method === 'HEAD') {
            return sendJson(res, 200, { webhooks: [...webhooks.values()].map(publicWebhook) });
        }
        if (method !== 'POST') return methodNotAllowed(res, ['GET', 'POST']);
        const { webhook, error } = makeWebhook(await readJson(req));
        if (error) throw new HttpError(400, error);
        webhooks.set(webhook.id, webhook);
        saveState();
        res.setHeader('Location', `/webhooks/${webhook.id}`);
        return sendJson(res, 201, publicWebhook(webhook));
    }

    const hookMatch = /^\/webhooks\/([^/]+)$/.exec(path);
    if (hookMatch) {
        const id = decodeURIComponent(hookMatch[1]);
        const hook = webhooks.get(id);
        if (method === 'GET' || method === 'HEAD') {
            if (!hook) throw new HttpError(404, `no webhook ${id}`);
            return sendJson(res, 200, publicWebhook(hook));
        }
        if (method === 'DELETE') {
            if (!hook) throw new HttpError(404, `no webhook ${id}`);
            webhooks.delete(id);
            saveState();
            res.writeHead(204);
            return res.end();
        }
        return methodNotAllowed(res, ['GET', 'DELETE']);
    }

    if (path === '/rate') {
        if (method === 'GET' || method === 'HEAD') {
            return sendJson(res, 200, { perSecond: generator.rate, type: options.type || 'tick' });
        }
        if (method !== 'POST') return methodNotAllowed(res, ['GET', 'POST']);
        const body = await readJson(req);
        const rate = isPlainObject(body) ? body.perSecond : undefined;
        if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > MAX_RATE) {
            throw new HttpError(400, `body must be {"perSecond": N} with 0 <= N <= ${MAX_RATE}`);
        }
        setRate(rate);
        return sendJson(res, 200, { perSecond: generator.rate, type: options.type || 'tick' });
    }

    throw new HttpError(404, `no route ${method} ${url.pathname}`);
}

// ---------------------------------------------------------------------------------------------
// State file (--state): webhooks and the last event id
// ---------------------------------------------------------------------------------------------

const fs = require('node:fs');
let saveTimer = null;

function saveState() {
    if (!options.state) return;
    if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = null;
    }
    const state = {
        version: 1,
        lastId,
        webhooks: [...webhooks.values()].map((h) => ({
            id: h.id, url: h.url, headers: h.headers, types: h.types ? [...h.types] : null, created: h.created,
        })),
    };
    // Written beside the file and renamed over it: a crash leaves the old or the new state.
    const temporary = `${options.state}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, JSON.stringify(state), { mode: 0o600 });
        fs.renameSync(temporary, options.state);
    } catch (e) {
        process.stderr.write(`event-service: cannot write ${options.state}: ${e.message}\n`);
    }
}

// Event ids change many times a second: save them at most once a second.
function scheduleSave() {
    if (options.state && !saveTimer) saveTimer = setTimeout(saveState, 1000);
}

function loadState() {
    if (!options.state || !fs.existsSync(options.state)) return;
    let state;
    try {
        state = JSON.parse(fs.readFileSync(options.state, 'utf8'));
    } catch (e) {
        throw new Error(`cannot read state file ${options.state}: ${e.message}`);
    }
    if (Number.isSafeInteger(state.lastId) && state.lastId > 0) lastId = state.lastId;
    for (const stored of Array.isArray(state.webhooks) ? state.webhooks : []) {
        const { webhook, error } = makeWebhook(stored);
        if (error) {
            process.stderr.write(`event-service: ${options.state}: skipping a webhook: ${error}\n`);
            continue;
        }
        webhook.id = typeof stored.id === 'string' ? stored.id : webhook.id;
        webhook.created = typeof stored.created === 'string' ? stored.created : webhook.created;
        webhooks.set(webhook.id, webhook);
    }
}

// ---------------------------------------------------------------------------------------------
// Start and stop
// ---------------------------------------------------------------------------------------------

let options;
try {
    options = parseArguments(process.argv.slice(2));
    loadState();
} catch (e) {
    process.stderr.write(`event-service: ${e.message}\n${USAGE}`);
    process.exit(2);
}

let stopping = false;

const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
        const status = e instanceof HttpError ? e.status : 500;
        if (status === 500) process.stderr.write(`event-service: ${req.method} ${req.url}: ${e.stack || e}\n`);
        if (res.headersSent) {
            res.destroy();
            return;
        }
        if (status === 413) res.setHeader('Connection', 'close');
        sendError(res, status, e.message);
    });
});

// SSE heartbeat: a comment line keeps proxies and idle timers from closing quiet streams.
const heartbeat = setInterval(() => {
    for (const client of streams) streamWrite(client, ': keep-alive\n\n');
}, options.heartbeat * 1000);

server.on('error', (e) => {
    process.stderr.write(`event-service: cannot listen on ${options.host}:${options.port}: ${e.message}\n`);
    process.exit(1);
});

server.listen(options.port, options.host, () => {
    const { port } = server.address();
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    process.stdout.write(`event-service listening on http://${host}:${port}\n`);
    if (options.rate > 0) setRate(options.rate);
});

function stop(signal) {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`event-service: ${signal}, stopping\n`);
    setRate(0);
    saveState();
    clearInterval(heartbeat);
    for (const client of streams) client.res.end();
    streams.clear();
    server.close(() => {
        httpAgent.destroy();
        httpsAgent.destroy();
        process.exit(0);
    });
    server.closeAllConnections();
    httpAgent.destroy();
    httpsAgent.destroy();
    // Whatever still holds the loop (a delivery in flight) must not keep the process alive.
    setTimeout(() => process.exit(0), 2000).unref();
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
