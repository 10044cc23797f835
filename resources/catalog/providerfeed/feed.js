// SPDX-License-Identifier: GPL-3.0-or-later
// System feed action of feedscope-engine's built-in providers (alarms, CouchDB changes, SSE).
// Like the upstream alarms / cloudant feed actions it only translates the feed lifecycle into
// calls on the provider's REST API, passing the trigger owner's authKey, which the provider
// checks by reading the trigger with it:
//   CREATE → POST /feeds   READ → GET   UPDATE → PATCH   DELETE → DELETE
//   PAUSE → POST .../pause   UNPAUSE → POST .../resume
// Which provider (and, for alarms, which kind of alarm) comes from the action's parameters.
// Only Node's standard library is used.

const CONTROL = ['lifecycleEvent', 'triggerName', 'authKey', 'provider', 'apihost'];

function providerUrl(params) {
    const host = (params.apihost || process.env.__OW_API_HOST || '').replace(/\/$/, '');
    const base = /^https?:\/\//.test(host) ? host : `https://${host}`;
    return `${base}/feedscope/v1/providers/${params.provider}/feeds`;
}

// "/_/t" and "/ns/t" → "/<ns>/t": the feed runs as the trigger's owner, so "_" is
// __OW_NAMESPACE, as the upstream feed actions resolve it.
function qualifiedTrigger(triggerName) {
    const parts = String(triggerName || '').split('/').filter((p) => p.length > 0);
    if (parts.length === 0) throw new Error('triggerName is required');
    const name = parts[parts.length - 1];
    const ns = parts.length > 1 && parts[0] !== '_' ? parts[0] : process.env.__OW_NAMESPACE;
    return { ns, name };
}

async function call(method, url, authKey, body) {
    const response = await fetch(url, {
        method,
        headers: {
            'Authorization': 'Basic ' + Buffer.from(authKey).toString('base64'),
            'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { error: text }; }
    if (!response.ok) {
        // Rejected with the provider's body, as upstream: the activation's result becomes
        // {"error": {"error": "<message>", ...}}.
        return Promise.reject({ error: json.error || `provider answered ${response.status}`,
                                statusCode: response.status });
    }
    return json;
}

async function main(params) {
    if (!params.authKey) return Promise.reject({ error: 'authKey is required' });
    const { ns, name } = qualifiedTrigger(params.triggerName);
    const feedUrl = `${providerUrl(params)}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
    const config = {};
    for (const [key, value] of Object.entries(params)) {
        if (!CONTROL.includes(key)) config[key] = value;
    }
    switch (params.lifecycleEvent) {
    case 'CREATE':
        return call('POST', providerUrl(params), params.authKey,
                    { ...config, triggerName: `/${ns}/${name}` });
    case 'READ':
        return call('GET', feedUrl, params.authKey);
    case 'UPDATE':
        return call('PATCH', feedUrl, params.authKey, config);
    case 'DELETE':
        return call('DELETE', feedUrl, params.authKey);
    case 'PAUSE':
        return call('POST', `${feedUrl}/pause`, params.authKey, {});
    case 'UNPAUSE':
        return call('POST', `${feedUrl}/resume`, params.authKey, {});
    default:
        return Promise.reject({ error: 'unsupported lifecycleEvent' });
    }
}

exports.main = main;
