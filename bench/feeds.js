// SPDX-License-Identifier: GPL-3.0-or-later
// The feed measurements of bench/feeds.sh, against a running engine (FEEDSCOPE_URL) and, for
// the changes feed, a running pouchdb-server (COUCH_URL). Prints one figure per line.
'use strict';

const ENGINE = process.env.FEEDSCOPE_URL;
const COUCH = process.env.COUCH_URL;
const KEY = process.env.GUEST_KEY;
const AUTH = 'Basic ' + Buffer.from(KEY).toString('base64');
const SYSTEM_AUTH = 'Basic ' + Buffer.from(process.env.SYSTEM_KEY).toString('base64');
const ALARM_TRIGGERS = Number(process.env.BENCH_ALARM_TRIGGERS || 1000);
const ALARM_SECONDS = Number(process.env.BENCH_ALARM_SECONDS || 10);
const CREATES = Number(process.env.BENCH_CREATES || 50);
const CHANGES = Number(process.env.BENCH_CHANGES || 50);

async function api(method, path, body, headers = {}) {
    const response = await fetch(ENGINE + path, {
        method, headers: { Authorization: AUTH, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}
const ns = (path) => `/api/v1/namespaces/_/${path}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function percentile(values, q) {
    const s = [...values].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] : NaN;
}
const fmt = (v) => v.toFixed(1);

// 1. CREATE round trip through the real feed action, as `wsk trigger create --feed` does it:
//    PUT the trigger, then a blocking invoke of /whisk.system/alarms/alarm with CREATE.
async function createRoundTrips() {
    const times = [];
    for (let i = 0; i < CREATES; i++) {
        const name = `bench-create-${i}`;
        await api('PUT', ns(`triggers/${name}`), {
            annotations: [{ key: 'feed', value: '/whisk.system/alarms/alarm' }] });
        const t0 = performance.now();
        const record = await api('POST', '/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true', {
            lifecycleEvent: 'CREATE', triggerName: `/_/${name}`, authKey: KEY, cron: '0 0 1 1 *' });
        times.push(performance.now() - t0);
        if (!record.response.success) throw new Error('CREATE failed: ' + JSON.stringify(record.response));
    }
    console.log(`alarms CREATE round trip (feed action, blocking)  p50 ${fmt(percentile(times, 0.5))} ms   p99 ${fmt(percentile(times, 0.99))} ms   (target p50 <= 50 ms, n=${CREATES})`);
}

// 2. Jitter: ALARM_TRIGGERS triggers on a 1-second cron, created through the provider API,
//    firing for ALARM_SECONDS; the provider reports the lateness of each accepted fire.
async function alarmJitter() {
    const names = [];
    for (let i = 0; i < ALARM_TRIGGERS; i++) names.push(`bench-tick-${i}`);
    for (let i = 0; i < names.length; i += 50) {
        await Promise.all(names.slice(i, i + 50).map(async (name) => {
            await api('PUT', ns(`triggers/${name}`), {});
            await api('POST', '/feedscope/v1/providers/alarms/feeds', {
                triggerName: `/guest/${name}`, cron: '* * * * * *' });
        }));
    }
    // Measure the steady state only: let creation finish and settle, then reset the figures.
    await sleep(2000);
    await api('DELETE', '/feedscope/v1/providers/alarms/stats', undefined, { Authorization: SYSTEM_AUTH });
    await sleep(ALARM_SECONDS * 1000);
    const after = await api('GET', '/feedscope/v1/providers/alarms/stats', undefined, { Authorization: SYSTEM_AUTH });
    for (let i = 0; i < names.length; i += 50) {
        await Promise.all(names.slice(i, i + 50).map((name) =>
            api('DELETE', `/feedscope/v1/providers/alarms/feeds/guest/${name}`)));
    }
    console.log(`alarm jitter, ${ALARM_TRIGGERS} triggers on a 1 s cron for ${ALARM_SECONDS} s: fires ${after.fires}   p50 ${after.p50} ms   p99 ${after.p99} ms   max ${after.max} ms   (target p99 <= 50 ms; lateness = scheduled time -> fire accepted)`);
}

// 3. CouchDB change → trigger activation: write a document, then read the `start` of the
//    trigger activation it caused (engine clock = this machine's clock).
async function changeLatency() {
    if (!COUCH) { console.log('changes feed latency: skipped (no pouchdb-server)'); return; }
    const db = `bench${Date.now()}`;
    await fetch(`${COUCH}/${db}`, { method: 'PUT' });
    await api('PUT', ns('actions/bench-echo'), { exec: { kind: 'nodejs:20', code: 'function main(p){return p}' } }, {});
    await api('PUT', ns('triggers/bench-changes'), { annotations: [{ key: 'feed', value: '/whisk.system/cloudant/changes' }] });
    await api('PUT', ns('rules/bench-changes-rule'), { trigger: 'bench-changes', action: 'bench-echo' });
    const couch = new URL(COUCH);
    const created = await api('POST', '/api/v1/namespaces/whisk.system/actions/cloudant/changes?blocking=true', {
        lifecycleEvent: 'CREATE', triggerName: '/_/bench-changes', authKey: KEY,
        host: couch.hostname, port: Number(couch.port), dbname: db });
    if (!created.response.success) throw new Error('changes CREATE failed: ' + JSON.stringify(created.response));
    const latencies = [];
    for (let i = 0; i < CHANGES; i++) {
        const t0 = Date.now();
        const put = await (await fetch(`${COUCH}/${db}/doc${i}`, {
            method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"n":' + i + '}' })).json();
        for (;;) {
            const list = await api('GET', ns('activations?name=bench-changes&limit=1&docs=true'));
            if (list.length && list[0].response.result.id === put.id) {
                latencies.push(list[0].start - t0);
                break;
            }
            await sleep(2);
        }
    }
    console.log(`CouchDB change -> trigger activation (pouchdb-server)  p50 ${percentile(latencies, 0.5)} ms   p99 ${percentile(latencies, 0.99)} ms   (n=${CHANGES})`);
}

(async () => {
    await createRoundTrips();
    await alarmJitter();
    await changeLatency();
})().catch((e) => { console.error('bench:', e.message); process.exit(1); });
