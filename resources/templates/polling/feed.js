// SPDX-License-Identifier: GPL-3.0-or-later
//
// Feedscope feed template — the POLLING pattern.
//
// The service cannot call OpenWhisk, but it can be asked "what happened since <cursor>?". On
// CREATE this feed action builds, next to the user's trigger T, a small machine that asks
// periodically and fires T once per new item:
//
//     T-tick  (trigger, feed /whisk.system/alarms/alarm, cron)      periodic tick
//       │  rule T-poll-rule
//       ▼
//     T-poll  (action, the code of pollMain below)                  GET {serviceUrl}/events?since=
//       │  one fire per new item, payload = the item
//       ▼
//     T       (the user's trigger)  →  the user's rules and actions
//
//   CREATE   create T-poll, T-tick (PUT with the `feed` annotation, then the alarm feed's CREATE —
//            exactly what `wsk trigger create T-tick --feed /whisk.system/alarms/alarm` does) and
//            T-poll-rule. A failure removes what this CREATE made and rejects.
//   READ     the three entities, the cursor, the alarm's READ, the rule's status.
//   UPDATE   `cron` → the alarm feed's UPDATE; serviceUrl / types / limit → the poll action's
//            parameters (its code is kept).
//   DELETE   the alarm feed's DELETE on T-tick, then T-tick, T-poll-rule and T-poll. Missing
//            pieces are not an error (reported in `absent`; a failed alarm DELETE in `warnings`);
//            entities that are not this feed's (no marker annotation naming T on the action and
//            the tick trigger, or a rule to another action) are left alone (`skipped`).
//   PAUSE    disable T-poll-rule: no polling, no fires; items keep accumulating at the service.
//   UNPAUSE  enable T-poll-rule: polling resumes from the stored cursor (catch-up).
//
// Parameters (bind `serviceUrl` on the package; the others usually come with the trigger):
//   serviceUrl   base URL of the service (required).
//   types        optional item types, an array or a comma list, sent as `type=a,b`.
//   cron         schedule of the ticks (default "*/2 * * * * *": every 2 s, 6 fields with seconds
//                as feedscope-engine accepts; a real OpenWhisk alarms provider may require 5).
//   limit        items fetched per tick (default 100); the rest follow on the next ticks.
//   since        initial cursor; default: "now" — the items that exist at CREATE are skipped.
//   pollPath, itemsPath, idField, cursorParam   how to read the service (defaults "/events",
//                "events", "id", "since": GET {serviceUrl}{pollPath}?{cursorParam}=<cursor> answers
//                {<itemsPath>: [{<idField>: ...}, ...]} oldest first).
//   alarmFeed    the periodic feed (default "/whisk.system/alarms/alarm").
//   pollCode     optional source of a customised poll action (exports.main), used instead of the
//                built-in one.
//   lifecycleEvent, triggerName, authKey   the feed protocol.
//
// How the poll code travels. A deployed action is a single file: feed.js cannot read poll.js next
// to it at run time. So the poll action is the function `pollMain` defined in THIS file, written
// to be self-contained (no reference to anything outside its body but Node globals and
// require('openwhisk')), and CREATE sends its source text, `pollMain.toString()`, as the poll
// action's code. poll.js in this directory is the same function as a standalone action, for
// reading, testing and `wsk action create`; the e2e tests check that both texts are identical.
//
// Where the cursor lives. The poll action's containers come and go, so the cursor (the id of the
// last item fired) is kept as the parameter `cursor` of the tick trigger T-tick: it is stored by
// the platform (survives restarts of containers, invokers and the controller), visible with
// `wsk trigger get T-tick`, removed with it, and — as a trigger parameter — it also reaches the
// poll action through the rule. The poll action nevertheless reads T-tick afresh at the start of
// each run (a queued tick may carry a stale value) and writes the cursor back with a trigger
// update (PUT ?overwrite=true with only `parameters`, which keeps the `feed` annotation).
// Ticks can overlap (a run that fires many items, or waits on a busy platform, outlasts the tick
// period), so a run that has items to fire first takes a lease, the parameter `lease`
// {by: activation id, until: its deadline} on T-tick, and gives it back with the cursor write;
// runs that find a live lease of another run skip their tick. An idle tick only reads.
// The platform offers no compare-and-swap, so this narrows the races rather than closing them:
// delivery is at least once (also when a run fails between a fire and the cursor write). Make
// the actions behind T idempotent on the item id.
//
// Credentials. The feed uses the authKey it is given. The poll action is annotated
// `provide-api-key: true` and uses its own __OW_API_KEY, i.e. the key of the trigger owner under
// whose identity the rule runs it; no key is stored in a parameter.
//
// Node.js 20 with the `openwhisk` npm package (present in the standard nodejs runtime images), so
// the file deploys unchanged to a real OpenWhisk.
'use strict';

const EVENTS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'PAUSE', 'UNPAUSE'];
const DEFAULT_CRON = '*/2 * * * * *';
const DEFAULT_ALARM_FEED = '/whisk.system/alarms/alarm';
const POLL_KIND = 'nodejs:default';
// Annotation put on the poll action and the tick trigger: which feed trigger they belong to.
const MARKER = 'feedscope-polling-feed';
// Parameters of the feed that the poll action is configured with.
const POLL_SETTINGS = ['serviceUrl', 'types', 'limit', 'pollPath', 'itemsPath', 'idField', 'cursorParam'];

// ---------------------------------------------------------------------------------------------
// The poll action. Self-contained: its source text becomes the code of <trigger>-poll.
// Keep it identical to poll.js (checked by tests/e2e/polling.test.js).
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The feed action
// ---------------------------------------------------------------------------------------------

// The poll action's code: the source text of pollMain, exported as the action's main.
const POLL_SOURCE = `// SPDX-License-Identifier: GPL-3.0-or-later
// Poll action of a Feedscope polling feed, generated by the feed action (templates/polling).
'use strict';

${pollMain.toString()}

exports.main = pollMain;
`;

function failure(message) {
    return { error: message };
}

// "https://host/" → "https://host"; a host without a scheme gets https://.
function baseUrl(url) {
    const trimmed = String(url).replace(/\/+$/, '');
    return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

// "/_/t", "/ns/t" or "t" → {namespace, name}; "_" is the caller's (the trigger owner's) namespace.
function parseTriggerName(triggerName) {
    const parts = String(triggerName || '').split('/').filter((p) => p.length > 0);
    if (parts.length === 0 || parts.length > 2) {
        throw failure(`triggerName must be "/namespace/trigger", got "${triggerName}"`);
    }
    const name = parts[parts.length - 1];
    const namespace = parts.length === 2 && parts[0] !== '_' ? parts[0] : process.env.__OW_NAMESPACE;
    if (!namespace) throw failure('cannot resolve the namespace "_": __OW_NAMESPACE is not set');
    return { namespace, name };
}

// The names of everything the feed makes for trigger /ns/name.
function plan(namespace, name) {
    const q = (n) => `/${namespace}/${n}`;
    return {
        trigger: q(name),
        poll: q(`${name}-poll`),
        tick: q(`${name}-tick`),
        rule: q(`${name}-poll-rule`),
    };
}

// An openwhisk client error → a readable message.
function describe(e) {
    if (!e) return 'unknown error';
    if (e.error && typeof e.error === 'object') {
        const inner = e.error.error !== undefined ? e.error.error
            : e.error.response && e.error.response.result ? e.error.response.result.error : undefined;
        if (inner !== undefined) {
            return `${e.statusCode || ''} ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`.trim();
        }
    }
    if (typeof e.error === 'string') return e.error;
    return e.message || String(e);
}

const isNotFound = (e) => e && e.statusCode === 404;

function annotation(entity, key) {
    const found = (entity.annotations || []).find((a) => a.key === key);
    return found ? found.value : undefined;
}

function parameter(entity, key) {
    const found = (entity.parameters || []).find((p) => p.key === key);
    return found ? found.value : undefined;
}

// GET that answers null for a 404.
async function getOrNull(promise) {
    try {
        return await promise;
    } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
    }
}

// Invokes the alarm feed (blocking) and answers its result; an application error rejects.
async function alarmFeed(ow, params, names, lifecycleEvent, extra) {
    const activation = await ow.actions.invoke({
        name: params.alarmFeed || DEFAULT_ALARM_FEED,
        blocking: true,
        params: { ...extra, lifecycleEvent, triggerName: names.tick, authKey: params.authKey },
    });
    if (!activation.response || !activation.response.success) {
        const result = activation.response ? activation.response.result : activation;
        throw failure(`${lifecycleEvent} on the alarm feed failed: ${JSON.stringify(result)}`);
    }
    return activation.response.result;
}

// "now": the cursor after the last item the service has; pages through the service.
async function currentCursor(params) {
    const service = baseUrl(params.serviceUrl);
    const cursorParam = params.cursorParam || 'since';
    const idField = params.idField || 'id';
    let cursor = '';
    for (let pages = 0; pages < 1000; ++pages) {
        const url = new URL(service + (params.pollPath || '/events'));
        if (cursor !== '') url.searchParams.set(cursorParam, cursor);
        url.searchParams.set('limit', '1000');
        let response;
        try {
            response = await fetch(url, { headers: { Accept: 'application/json' } });
        } catch (e) {
            throw failure(`GET ${url} failed: ${e.message}`);
        }
        if (!response.ok) throw failure(`GET ${url} answered ${response.status}`);
        let items = await response.json();
        for (const key of (params.itemsPath || 'events').split('.').filter((k) => k.length > 0)) {
            items = items === null || items === undefined ? undefined : items[key];
        }
        if (!Array.isArray(items)) throw failure(`GET ${url}: no array at "${params.itemsPath || 'events'}"`);
        if (items.length === 0) return cursor;
        cursor = String(items[items.length - 1][idField]);
    }
    return cursor;
}

// The poll action's parameters from the feed's parameters (undefined ones left out).
function pollParameters(params, names, base) {
    const result = { ...(base || {}) };
    for (const key of POLL_SETTINGS) {
        if (params[key] !== undefined) result[key] = params[key];
    }
    result.triggerName = names.trigger;
    result.tickTrigger = names.tick;
    return result;
}

async function create(ow, params, names) {
    const made = []; // what this CREATE made, undone in reverse order on failure
    try {
        const cursor = params.since !== undefined ? String(params.since) : await currentCursor(params);

        await ow.actions.create({
            name: names.poll,
            action: params.pollCode || POLL_SOURCE,
            kind: POLL_KIND,
            params: pollParameters(params, names),
            annotations: {
                'provide-api-key': true,
                [MARKER]: names.trigger,
                description: `Polls ${params.serviceUrl} for ${names.trigger} (polling feed).`,
            },
        });
        made.push('poll');

        // wsk trigger create <T>-tick --feed <alarmFeed> -p cron <cron>
        await ow.triggers.create({
            name: names.tick,
            trigger: { parameters: [{ key: 'cursor', value: cursor }] },
            annotations: { feed: params.alarmFeed || DEFAULT_ALARM_FEED, [MARKER]: names.trigger },
        });
        made.push('tick');
        await alarmFeed(ow, params, names, 'CREATE', { cron: params.cron || DEFAULT_CRON });
        made.push('alarm');

        await ow.rules.create({ name: names.rule, trigger: names.tick, action: names.poll });
        made.push('rule');

        return {
            status: 'success',
            pollAction: names.poll,
            tickTrigger: names.tick,
            rule: names.rule,
            cron: params.cron || DEFAULT_CRON,
            cursor,
        };
    } catch (e) {
        // Roll back, newest first; errors here are secondary to the one being reported.
        const undo = {
            rule: () => ow.rules.delete({ name: names.rule }),
            alarm: () => alarmFeed(ow, params, names, 'DELETE', {}),
            tick: () => ow.triggers.delete({ name: names.tick }),
            poll: () => ow.actions.delete({ name: names.poll }),
        };
        for (const step of made.reverse()) {
            try { await undo[step](); } catch (ignored) { /* best effort */ }
        }
        throw failure(`CREATE failed (rolled back): ${describe(e)}`);
    }
}

async function remove(ow, params, names) {
    const deleted = [];
    const absent = [];
    const skipped = [];
    const warnings = [];
    // Only what belongs to this feed: the marker annotation, or the rule tick → poll.
    const ours = (entity) => entity && annotation(entity, MARKER) === names.trigger;
    const tick = await getOrNull(ow.triggers.get({ name: names.tick }));
    const rule = await getOrNull(ow.rules.get({ name: names.rule }));
    const poll = await getOrNull(ow.actions.get({ name: names.poll, code: false }));

    if (!tick) {
        absent.push(names.tick);
    } else if (!ours(tick)) {
        skipped.push(names.tick);
    } else {
        // `wsk trigger delete <T>-tick`: the feed's DELETE first (a failure is reported, not
        // fatal: the trigger is deleted anyway, as the CLI does), then the trigger.
        try {
            await alarmFeed(ow, params, names, 'DELETE', {});
            deleted.push(`${names.tick} (alarm)`);
        } catch (e) {
            warnings.push(`DELETE on the alarm feed of ${names.tick} failed: ${describe(e)}`);
        }
        await getOrNull(ow.triggers.delete({ name: names.tick }));
        deleted.push(names.tick);
    }

    const ruleAction = rule && rule.action ? `/${rule.action.path}/${rule.action.name}` : null;
    if (!rule) {
        absent.push(names.rule);
    } else if (ruleAction !== names.poll) {
        skipped.push(names.rule);
    } else {
        await getOrNull(ow.rules.delete({ name: names.rule }));
        deleted.push(names.rule);
    }

    if (!poll) {
        absent.push(names.poll);
    } else if (!ours(poll)) {
        skipped.push(names.poll);
    } else {
        await getOrNull(ow.actions.delete({ name: names.poll }));
        deleted.push(names.poll);
    }

    const result = { status: 'success', deleted, absent, skipped };
    if (warnings.length > 0) result.warnings = warnings;
    if (deleted.length === 0) result.message = `no polling feed entities for ${names.trigger}`;
    return result;
}

async function read(ow, params, names) {
    const tick = await getOrNull(ow.triggers.get({ name: names.tick }));
    const rule = await getOrNull(ow.rules.get({ name: names.rule }));
    const poll = await getOrNull(ow.actions.get({ name: names.poll, code: false }));
    if (!tick && !rule && !poll) {
        throw failure(`no polling feed for ${names.trigger} (${names.tick}, ${names.rule}, ` +
                      `${names.poll} do not exist)`);
    }
    let alarm = null;
    if (tick) {
        try {
            alarm = await alarmFeed(ow, params, names, 'READ', {});
        } catch (e) {
            alarm = { error: describe(e) };
        }
    }
    const settings = {};
    for (const key of POLL_SETTINGS) {
        const value = poll ? parameter(poll, key) : undefined;
        if (value !== undefined) settings[key] = value;
    }
    const ruleStatus = rule ? rule.status : 'missing';
    const alarmActive = !!(alarm && alarm.status && alarm.status.active);
    return {
        config: {
            name: names.trigger.split('/').pop(),
            namespace: names.trigger.split('/')[1],
            ...settings,
            cron: alarm && alarm.config ? alarm.config.cron : undefined,
            cursor: tick ? parameter(tick, 'cursor') : undefined,
            pollAction: poll ? names.poll : null,
            tickTrigger: tick ? names.tick : null,
            rule: rule ? names.rule : null,
        },
        status: {
            active: ruleStatus === 'active' && alarmActive && !!poll,
            rule: ruleStatus,
            alarm: alarm ? alarm.status || alarm : null,
        },
    };
}

async function update(ow, params, names) {
    const poll = await getOrNull(ow.actions.get({ name: names.poll }));
    if (!poll) throw failure(`no polling feed for ${names.trigger} (${names.poll} does not exist)`);
    const changed = [];
    if (params.cron !== undefined) {
        await alarmFeed(ow, params, names, 'UPDATE', { cron: params.cron });
        changed.push('cron');
    }
    // The poll action keeps its code (possibly a custom pollCode) and annotations; its settings
    // take the values given now.
    const current = {};
    for (const p of poll.parameters || []) current[p.key] = p.value;
    const next = pollParameters(params, names, current);
    const differs = POLL_SETTINGS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(next[k]));
    if (differs.length > 0 || params.pollCode) {
        const exec = params.pollCode ? { kind: POLL_KIND, code: params.pollCode } : poll.exec;
        await ow.actions.update({
            name: names.poll,
            action: {
                exec,
                parameters: Object.keys(next).map((key) => ({ key, value: next[key] })),
                annotations: poll.annotations,
            },
        });
        changed.push(...differs);
        if (params.pollCode) changed.push('pollCode');
    }
    return { status: 'success', changed };
}

async function setRule(ow, names, active) {
    if (active) await ow.rules.enable({ name: names.rule });
    else await ow.rules.disable({ name: names.rule });
    return { status: 'success', rule: names.rule, ruleStatus: active ? 'active' : 'inactive' };
}

async function main(params) {
    try {
        if (!EVENTS.includes(params.lifecycleEvent)) throw failure('unsupported lifecycleEvent');
        if (!params.authKey) throw failure('authKey is required');
        if (!params.serviceUrl && ['CREATE', 'UPDATE'].includes(params.lifecycleEvent)) {
            throw failure('serviceUrl is required');
        }
        const { namespace, name } = parseTriggerName(params.triggerName);
        const names = plan(namespace, name);
        // Required here rather than at the top, so that tools can load this file (for pollMain,
        // POLL_SOURCE) where the package is not installed.
        const openwhisk = require('openwhisk');
        const ow = openwhisk({
            apihost: process.env.__OW_API_HOST,
            api_key: params.authKey,
            namespace,
        });
        switch (params.lifecycleEvent) {
        case 'CREATE': return await create(ow, params, names);
        case 'READ': return await read(ow, params, names);
        case 'UPDATE': return await update(ow, params, names);
        case 'DELETE': return await remove(ow, params, names);
        case 'PAUSE': return await setRule(ow, names, false);
        case 'UNPAUSE': return await setRule(ow, names, true);
        }
        throw failure('unsupported lifecycleEvent');
    } catch (e) {
        if (e && typeof e.error === 'string' && e.statusCode === undefined) return Promise.reject(e);
        return Promise.reject(failure(describe(e)));
    }
}

exports.main = main;
// For tools and tests: the poll action as a function and as the code sent on CREATE.
exports.pollMain = pollMain;
exports.POLL_SOURCE = POLL_SOURCE;
