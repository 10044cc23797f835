// SPDX-License-Identifier: GPL-3.0-or-later
//
// Feedscope feed template — the POLLING pattern: the poll action, standalone.
//
// This is the action the polling feed action (feed.js) creates as <trigger>-poll. feed.js cannot
// read this file when it is deployed (an action is a single file), so it carries the same
// function, pollMain, and sends its source text as the poll action's code: the function below
// must stay identical to pollMain in feed.js (tests/e2e/polling.test.js checks it). Edit both,
// or give a customised copy of this file to the feed as the parameter pollCode.
//
// What it does on every tick of <trigger>-tick (through the rule <trigger>-poll-rule):
//   1. read the cursor: the parameter `cursor` of the tick trigger (stored by the platform, so
//      it survives container restarts; read afresh, since a queued tick may carry a stale value);
//      skip the tick if another run holds the `lease` parameter;
//   2. GET {serviceUrl}{pollPath}?{cursorParam}=<cursor>&limit=<limit>[&type=<types>] and take
//      the array at {itemsPath} (defaults: /events, since, 100, events); nothing new → done;
//   3. take the lease {by: activation id, until: deadline} on the tick trigger, so that
//      overlapping ticks do not fire the same items;
//   4. fire {triggerName} once per item, oldest first, with the item as the payload;
//   5. write the id ({idField}, default id) of the last item fired back as the tick trigger's
//      `cursor` and drop the lease (a trigger update with only `parameters`, which keeps
//      its `feed` annotation).
// Delivery is at least once (no compare-and-swap; a failure between a fire and the cursor write
// repeats items).
//
// Parameters: serviceUrl, triggerName ("/ns/trigger" to fire), tickTrigger ("/ns/trigger-tick"),
// optional types (array or comma list), limit, pollPath, itemsPath, idField, cursorParam.
// Needs the annotation provide-api-key: true (it uses __OW_API_KEY and __OW_API_HOST).
//
// By hand (feed.js does all of this on CREATE):
//   wsk action create T-poll poll.js --kind nodejs:20 -a provide-api-key true \
//       -p serviceUrl http://HOST:PORT -p triggerName /_/T -p tickTrigger /_/T-tick
//   wsk trigger create T-tick --feed /whisk.system/alarms/alarm -p cron '* * * * *'
//   wsk rule create T-poll-rule T-tick T-poll
'use strict';

async function pollMain(params) {
    // Runs on every tick of <trigger>-tick: fetch the items after the cursor, fire the user's
    // trigger once per item (payload = the item, oldest first), store the new cursor on the tick
    // trigger. Parameters: serviceUrl, triggerName ("/ns/trigger" to fire), tickTrigger
    // ("/ns/trigger-tick", holds `cursor`), optional types, limit, pollPath, itemsPath, idField,
    // cursorParam. Needs __OW_API_KEY (annotation provide-api-key: true).
    const openwhisk = require('openwhisk');
    const fail = (message) => Promise.reject({ error: message });
    if (!params.serviceUrl || !params.triggerName || !params.tickTrigger) {
        return fail('serviceUrl, triggerName and tickTrigger are required');
    }
    if (!process.env.__OW_API_KEY) {
        return fail('__OW_API_KEY is not set: annotate the poll action with provide-api-key: true');
    }
    const ow = openwhisk(); // __OW_API_HOST, __OW_API_KEY
    const limit = Number(params.limit) > 0 ? Math.floor(Number(params.limit)) : 100;
    const pollPath = params.pollPath || '/events';
    const itemsPath = params.itemsPath || 'events';
    const idField = params.idField || 'id';
    const cursorParam = params.cursorParam || 'since';
    const types = Array.isArray(params.types) ? params.types.join(',') : params.types;
    const me = process.env.__OW_ACTIVATION_ID || `run-${Date.now()}-${Math.random()}`;

    // State on the tick trigger: `cursor` (id of the last item fired) and, while a run fires,
    // `lease` {by: activation id, until: epoch ms}. Read afresh: a queued tick may be stale.
    const readState = async () => {
        const tick = await ow.triggers.get({ name: params.tickTrigger });
        const parameters = Array.isArray(tick.parameters) ? tick.parameters : [];
        const value = (key) => {
            const found = parameters.find((p) => p.key === key);
            return found ? found.value : undefined;
        };
        const cursor = value('cursor');
        return {
            parameters,
            cursor: cursor === undefined || cursor === null ? '' : String(cursor),
            lease: value('lease'),
        };
    };
    // A trigger update with only `parameters` keeps the trigger's annotations (its `feed`).
    const writeState = (state, changes) => {
        const kept = state.parameters.filter((p) => !(p.key in changes));
        const added = Object.keys(changes).filter((key) => changes[key] !== undefined)
            .map((key) => ({ key, value: changes[key] }));
        return ow.triggers.update({
            name: params.tickTrigger,
            trigger: { parameters: kept.concat(added) },
        });
    };
    const leasedByOther = (state) => state.lease && state.lease.by !== me &&
        Number(state.lease.until) > Date.now();

    let state = await readState();
    if (leasedByOther(state)) {
        return { cursor: state.cursor, fired: 0, skipped: `run ${state.lease.by} is still firing` };
    }
    const start = state.cursor;

    // 1. What is new? (read only: an idle tick writes nothing)
    const url = new URL(params.serviceUrl.replace(/\/+$/, '') + pollPath);
    if (start !== '') url.searchParams.set(cursorParam, start);
    url.searchParams.set('limit', String(limit));
    if (types) url.searchParams.set('type', String(types));
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) return fail(`GET ${url} answered ${response.status}`);
    let items = await response.json();
    for (const key of itemsPath.split('.').filter((k) => k.length > 0)) {
        items = items === null || items === undefined ? undefined : items[key];
    }
    if (!Array.isArray(items)) return fail(`GET ${url}: no array at "${itemsPath}"`);
    if (items.length === 0) return { cursor: start, fired: 0, items: [] };

    // 2. Take the lease, so that overlapping ticks do not fire the same items, and check that it
    //    is ours and that no other run moved the cursor meanwhile. (Without compare-and-swap this
    //    narrows the window rather than closing it: delivery stays at least once.) The lease
    //    ends with this activation's deadline, so a crashed run cannot block the feed for long.
    const deadline = Number(process.env.__OW_DEADLINE) || Date.now() + 60000;
    await writeState(state, { lease: { by: me, until: deadline } });
    state = await readState();
    if (!state.lease || state.lease.by !== me) {
        return { cursor: state.cursor, fired: 0, skipped: 'another run took the lease' };
    }
    if (state.cursor !== start) {
        await writeState(state, { lease: undefined });
        return { cursor: state.cursor, fired: 0, skipped: 'another run moved the cursor' };
    }

    // 3. Fire once per item, advancing the cursor after each successful fire; a failed fire
    //    stops the run, and the items from it on are fired again on a next tick.
    let cursor = start;
    const fired = [];
    let error = null;
    for (const item of items) {
        try {
            const reply = await ow.triggers.invoke({ name: params.triggerName, params: item });
            fired.push({ id: item[idField], activationId: (reply && reply.activationId) || null });
        } catch (e) {
            error = `firing ${params.triggerName} for item ${item[idField]} failed: ${e.message}`;
            break;
        }
        cursor = String(item[idField]);
    }

    // 4. Store the cursor and give the lease back, in one write.
    await writeState(state, { cursor, lease: undefined });
    if (error) return fail(error);
    return { cursor, fired: fired.length, items: fired };
}

exports.main = pollMain;
