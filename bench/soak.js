// SPDX-License-Identifier: GPL-3.0-or-later
// bench/soak.sh's load and sampler, against a running engine (FEEDSCOPE_URL, its pid in
// ENGINE_PID) for SOAK_SECONDS: mixed load — fires of a trigger with a rule, blocking invokes,
// list calls, activity-stream WebSocket clients connecting and leaving (some closing cleanly,
// some just dropping), alarm feeds firing every second into a rule, and alarm feed triggers
// created and deleted through the feed action — while the engine's RSS, open descriptors and
// child processes are sampled every second. The first SOAK_WARMUP seconds are warm-up (runtime
// containers start, SQLite's cache fills); "first minute" is the minute after it, "last minute"
// the run's last. Prints a summary every 30 s and the line last.
'use strict';

const fs = require('fs');
const net = require('net');
const crypto = require('crypto');

const ENGINE = process.env.FEEDSCOPE_URL;
const PID = Number(process.env.ENGINE_PID);
const KEY = process.env.GUEST_KEY;
const AUTH = 'Basic ' + Buffer.from(KEY).toString('base64');
const SECONDS = Number(process.env.SOAK_SECONDS || 600);
const WARMUP = Number(process.env.SOAK_WARMUP || Math.min(60, Math.floor(SECONDS / 5)));
const WORKERS = Number(process.env.SOAK_WORKERS || 4);
// Pause between a worker's requests. Fires are answered before their rule's action runs, so a
// pace the runtimes cannot follow grows the engine's queue of accepted activations (bounded, by
// --max-queued) — memory that is backlog, not a leak. The queue wait of the latest action run is
// printed with each summary to show that the load is sustainable.
const PACE_MS = Number(process.env.SOAK_PACE_MS || 50);
const ALARMS = Number(process.env.SOAK_ALARMS || 5);
const port = Number(new URL(ENGINE).port);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ns = (path) => `/api/v1/namespaces/_/${path}`;
const startedAt = performance.now();
const elapsed = () => (performance.now() - startedAt) / 1000;

let failures = 0;
const failureKinds = new Map();
async function api(method, path, body, { expect = [200, 202, 204] } = {}) {
    const response = await fetch(ENGINE + path, {
        method, headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : null;
}

// ---- latency, per second of the run ------------------------------------------------------------
const latencies = []; // [second, ms]
async function timed(kind, fn) {
    const t0 = performance.now();
    try {
        await fn();
        latencies.push([elapsed(), performance.now() - t0]);
    } catch (e) {
        failures++;
        const k = `${kind}: ${String(e.message).slice(0, 120)}`;
        failureKinds.set(k, (failureKinds.get(k) || 0) + 1);
    }
}
function percentile(values, q) {
    const s = [...values].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] : NaN;
}

// ---- samples of the engine process -------------------------------------------------------------
const samples = []; // {t, rssKb, fds, children}
function descendants(root) {
    const parents = new Map();
    for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (!parents.has(ppid)) parents.set(ppid, []);
            parents.get(ppid).push(Number(entry));
        } catch { /* gone meanwhile */ }
    }
    let count = 0;
    const queue = [root];
    while (queue.length) {
        for (const child of parents.get(queue.pop()) || []) {
            count++;
            queue.push(child);
        }
    }
    return count;
}
function sample() {
    const status = fs.readFileSync(`/proc/${PID}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    const fds = fs.readdirSync(`/proc/${PID}/fd`).length;
    samples.push({ t: elapsed(), rssKb, fds, children: descendants(PID) });
}

// ---- activity-stream clients -------------------------------------------------------------------
let wsOpen = 0;
let wsSessions = 0;
let wsMessages = 0;
function websocketClient() {
    wsOpen++;
    wsSessions++;
    const socket = net.connect(port, '127.0.0.1');
    const stay = 1000 + Math.random() * 4000;
    let upgraded = false;
    socket.on('connect', () => socket.write(
        `GET ${ns('activations')} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`
        + `Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n`
        + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nAuthorization: ${AUTH}\r\n\r\n`));
    socket.on('data', (data) => {
        if (!upgraded) {
            upgraded = data.toString('latin1').startsWith('HTTP/1.1 101');
            if (!upgraded) { failures++; socket.destroy(); }
            return;
        }
        wsMessages++;
    });
    socket.on('error', () => {});
    socket.on('close', () => { wsOpen--; });
    setTimeout(() => {
        if (Math.random() < 0.5) {
            // A masked close frame, then the end of our side.
            socket.end(Buffer.from([0x88, 0x80, 1, 2, 3, 4]));
        } else {
            socket.destroy(); // a client that just goes away
        }
    }, stay);
}

// ---- load --------------------------------------------------------------------------------------
let running = true;
let ops = 0;
async function worker(index) {
    let n = 0;
    while (running) {
        const pick = (n++ + index) % 10;
        ops++;
        if (pick < 4) {
            await timed('fire', () => api('POST', ns('triggers/soak-t'), { n, at: Date.now() }));
        } else if (pick < 6) {
            await timed('invoke', () => api('POST', ns('actions/soak-a?blocking=true&result=true'), { n }));
        } else if (pick < 7) {
            await timed('list activations', () => api('GET', ns('activations?limit=50')));
        } else if (pick < 8) {
            await timed('list actions', () => api('GET', ns('actions?limit=50')));
        } else if (pick < 9) {
            await timed('get trigger', () => api('GET', ns('triggers/soak-t')));
        } else {
            await timed('list rules', () => api('GET', ns('rules?limit=50')));
        }
        await sleep(PACE_MS);
    }
}

// Alarm feed triggers created and deleted through the feed action, as `wsk trigger create
// --feed` and `wsk trigger delete` do, one every few seconds.
let churned = 0;
async function feedChurn() {
    while (running) {
        const name = `soak-churn-${churned++}`;
        await timed('feed create', async () => {
            await api('PUT', ns(`triggers/${name}`), {
                annotations: [{ key: 'feed', value: '/whisk.system/alarms/alarm' }] });
            const record = await api('POST', '/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true', {
                lifecycleEvent: 'CREATE', triggerName: `/_/${name}`, authKey: KEY, cron: '0 0 1 1 *' });
            if (!record.response.success) throw new Error('CREATE failed');
        });
        await sleep(2000);
        await timed('feed delete', async () => {
            const record = await api('POST', '/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true', {
                lifecycleEvent: 'DELETE', triggerName: `/_/${name}`, authKey: KEY });
            if (!record.response.success) throw new Error('DELETE failed');
            await api('DELETE', ns(`triggers/${name}`));
        });
        await sleep(2000);
    }
}

async function setUp() {
    await api('PUT', ns('actions/soak-a'), { exec: { kind: 'nodejs:20', code: 'function main(p) { return { n: p.n }; }' } });
    await api('PUT', ns('triggers/soak-t'), {});
    await api('PUT', ns('rules/soak-r'), { trigger: '/_/soak-t', action: '/_/soak-a' });
    for (let i = 0; i < ALARMS; i++) {
        const name = `soak-tick-${i}`;
        await api('PUT', ns(`triggers/${name}`), { annotations: [{ key: 'feed', value: '/whisk.system/alarms/alarm' }] });
        const record = await api('POST', '/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true', {
            lifecycleEvent: 'CREATE', triggerName: `/_/${name}`, authKey: KEY, cron: '* * * * * *' });
        if (!record.response.success) throw new Error('alarm CREATE failed: ' + JSON.stringify(record.response));
        await api('PUT', ns(`rules/soak-tick-r-${i}`), { trigger: `/_/${name}`, action: '/_/soak-a' });
    }
}

function window(from, to) {
    const s = samples.filter((x) => x.t >= from && x.t < to);
    const l = latencies.filter(([t]) => t >= from && t < to).map(([, ms]) => ms);
    const median = (v) => percentile(v, 0.5);
    return {
        rssKb: s.reduce((a, x) => a + x.rssKb, 0) / Math.max(1, s.length),
        fds: median(s.map((x) => x.fds)),
        children: median(s.map((x) => x.children)),
        p99: percentile(l, 0.99),
        requests: l.length,
    };
}

async function main() {
    await setUp();
    const sampler = setInterval(() => { try { sample(); } catch { /* engine gone */ } }, 1000);
    const wsTimer = setInterval(websocketClient, 700);
    let queueWait = NaN;
    const report = setInterval(async () => {
        try {
            const [latest] = await api('GET', ns('activations?name=soak-a&limit=1&docs=true'));
            const wait = (latest.annotations || []).find((a) => a.key === 'waitTime');
            queueWait = wait ? wait.value : NaN;
        } catch { queueWait = NaN; }
        const last = samples[samples.length - 1] || {};
        const recent = latencies.filter(([t]) => t >= elapsed() - 30).map(([, ms]) => ms);
        console.log(`soak: ${elapsed().toFixed(0)} s  rss ${(last.rssKb / 1024).toFixed(1)} MB  fds ${last.fds}  children ${last.children}`
            + `  requests/s ${(recent.length / 30).toFixed(0)}  p99 ${percentile(recent, 0.99).toFixed(1)} ms`
            + `  ws open ${wsOpen}  queue wait ${queueWait} ms  failures ${failures}`);
    }, 30000);
    const workers = [];
    for (let i = 0; i < WORKERS; i++) workers.push(worker(i));
    const churn = feedChurn();
    await sleep(SECONDS * 1000);
    running = false;
    clearInterval(wsTimer);
    await Promise.all([...workers, churn]);
    clearInterval(sampler);
    clearInterval(report);

    const first = window(WARMUP, WARMUP + 60);
    const lastStart = Math.max(WARMUP + 60, SECONDS - 60);
    const last = window(lastStart, SECONDS + 1);
    const growth = (last.rssKb - first.rssKb) / first.rssKb * 100;
    console.log(`soak: ${SECONDS} s, warm-up ${WARMUP} s; ${ops} requests, ${wsSessions} activity-stream sessions `
        + `(${wsMessages} messages), ${churned} alarm feeds created and deleted, ${ALARMS} alarms firing every second`);
    console.log(`soak: first minute (${WARMUP}-${WARMUP + 60} s): rss ${(first.rssKb / 1024).toFixed(1)} MB, fds ${first.fds}, `
        + `children ${first.children}, p99 ${first.p99.toFixed(1)} ms over ${first.requests} requests`);
    console.log(`soak: last minute (${lastStart.toFixed(0)}-${SECONDS} s): rss ${(last.rssKb / 1024).toFixed(1)} MB, fds ${last.fds}, `
        + `children ${last.children}, p99 ${last.p99.toFixed(1)} ms over ${last.requests} requests`);
    console.log(`soak: failed requests ${failures}`);
    for (const [kind, count] of failureKinds) console.log(`  ${count} x ${kind}`);
    const signed = (v) => (v >= 0 ? '+' : '') + v;
    console.log(`soak: rss growth ${growth.toFixed(1)} %, fds ${signed(last.fds - first.fds)}, `
        + `children ${signed(last.children - first.children)}, p99 first ${first.p99.toFixed(1)} ms last ${last.p99.toFixed(1)} ms`);
    process.exit(0);
}

main().catch((e) => { console.error('soak:', e); process.exit(1); });
