// SPDX-License-Identifier: GPL-3.0-or-later
//
// Feedscope feed template — the CONNECTION pattern.
//
// A long-running *provider service*, outside the action runtime, keeps a persistent connection to
// the event source (a stream, a long poll, a changes feed) and fires the trigger for every event.
// The feed action only relays the trigger's lifecycle to the provider's REST API, exactly like the
// upstream alarms and cloudant feed actions relay it to their web actions:
//
//   CREATE   POST   {providerUrl}                          {triggerName, ...configuration}
//   READ     GET    {providerUrl}/{namespace}/{trigger}
//   UPDATE   PATCH  {providerUrl}/{namespace}/{trigger}    {...configuration}
//   DELETE   DELETE {providerUrl}/{namespace}/{trigger}
//   PAUSE    POST   {providerUrl}/{namespace}/{trigger}/pause
//   UNPAUSE  POST   {providerUrl}/{namespace}/{trigger}/resume
//
// Every call carries the trigger owner's authKey as Basic auth: the provider stores it to fire the
// trigger, and checks it (by reading the trigger with it) before accepting a registration.
//
// Parameters:
//   providerUrl     the provider's feeds collection. Default: feedscope-engine's built-in SSE
//                   provider, `${__OW_API_HOST}/feedscope/v1/providers/sse/feeds`. Point it at the
//                   `alarms` or `changes` provider, or at your own service with the same API.
//   everything else (except the feed protocol's lifecycleEvent, triggerName, authKey) is the
//                   feed's configuration and is passed through to the provider; for the SSE
//                   provider: `url` (the text/event-stream), optional `headers`, `events`.
//
// The provider's answer is the action's result (READ: {config, status}; the others:
// {status: "success"}). A provider error rejects with {error: "<provider's message>",
// statusCode}. Any other lifecycleEvent is rejected with {error: "unsupported lifecycleEvent"}.
//
// Node.js 20, standard library only (global fetch), so the file deploys unchanged to any
// OpenWhisk with a nodejs:20 runtime — as long as the provider is reachable from the actions.
'use strict';

// Parameters that are not part of the feed's configuration. `apihost` is what the feedscope
// system packages bind; it is never configuration either.
const CONTROL = ['lifecycleEvent', 'triggerName', 'authKey', 'providerUrl', 'apihost'];

function failure(message, statusCode) {
    const error = { error: message };
    if (statusCode !== undefined) error.statusCode = statusCode;
    return error;
}

// "https://host/" → "https://host"; a host without a scheme gets https://, as the openwhisk npm
// client does.
function baseUrl(url) {
    const trimmed = String(url).replace(/\/+$/, '');
    return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

function providerUrl(params) {
    if (params.providerUrl) return baseUrl(params.providerUrl);
    const host = params.apihost || process.env.__OW_API_HOST;
    if (!host) throw failure('providerUrl is required (and __OW_API_HOST is not set)');
    return `${baseUrl(host)}/feedscope/v1/providers/sse/feeds`;
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

// One call on the provider. Resolves to its JSON answer; rejects with the provider's error.
async function call(method, url, authKey, body) {
    let response;
    try {
        response = await fetch(url, {
            method,
            headers: {
                Authorization: 'Basic ' + Buffer.from(authKey).toString('base64'),
                Accept: 'application/json',
                'Content-Type': 'application/json',
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (e) {
        const cause = e.cause && e.cause.message ? `: ${e.cause.message}` : '';
        throw failure(`${method} ${url} failed: ${e.message}${cause}`);
    }
    const text = await response.text();
    let json;
    try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { error: text }; }
    if (!response.ok) {
        const message = json && typeof json.error === 'string' ? json.error
            : `provider answered ${response.status}`;
        throw failure(message, response.status);
    }
    return json;
}

async function main(params) {
    try {
        if (!params.authKey) throw failure('authKey is required');
        const collection = providerUrl(params);
        const { namespace, name } = parseTriggerName(params.triggerName);
        const feedUrl = `${collection}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
        const config = {};
        for (const [key, value] of Object.entries(params)) {
            if (!CONTROL.includes(key)) config[key] = value;
        }
        switch (params.lifecycleEvent) {
        case 'CREATE':
            return await call('POST', collection, params.authKey,
                              { ...config, triggerName: `/${namespace}/${name}` });
        case 'READ':
            return await call('GET', feedUrl, params.authKey);
        case 'UPDATE':
            return await call('PATCH', feedUrl, params.authKey, config);
        case 'DELETE':
            return await call('DELETE', feedUrl, params.authKey);
        case 'PAUSE':
            return await call('POST', `${feedUrl}/pause`, params.authKey, {});
        case 'UNPAUSE':
            return await call('POST', `${feedUrl}/resume`, params.authKey, {});
        default:
            throw failure('unsupported lifecycleEvent');
        }
    } catch (e) {
        if (e && typeof e.error === 'string') return Promise.reject(e);
        return Promise.reject(failure(e && e.message ? e.message : String(e)));
    }
}

exports.main = main;
