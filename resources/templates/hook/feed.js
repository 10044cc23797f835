// SPDX-License-Identifier: GPL-3.0-or-later
//
// Feedscope feed template — the HOOK pattern.
//
// The third-party service calls OpenWhisk itself: it POSTs every event, as JSON, to the trigger's
// fire URL
//
//     POST {apihost}/api/v1/namespaces/{namespace}/triggers/{trigger}     (Basic auth)
//
// so this feed action has nothing to run: it only manages the service's webhook registration for
// the trigger. Nothing is stored outside the service; the registration whose `url` is the
// trigger's fire URL *is* the feed.
//
//   CREATE   POST   {serviceUrl}/webhooks {url, headers: {Authorization}, types?}
//            (an existing registration for the same trigger is replaced, so CREATE is repeatable)
//   READ     GET    {serviceUrl}/webhooks, keeping the registrations of this trigger
//   UPDATE   register again with the new `types`, then drop the old registration(s); refused
//            when the trigger has no registration (paused or deleted)
//   DELETE   DELETE {serviceUrl}/webhooks/{id} for every registration of this trigger
//   PAUSE    = DELETE of the registration(s): the service delivers nothing while paused
//   UNPAUSE  = CREATE again (with the `types` given to UNPAUSE, see below)
//
// Parameters (bind `serviceUrl` on the package; the others usually come with the trigger):
//   serviceUrl      base URL of the service's webhook registration API; the template expects the
//                   API of Feedscope's sample event service: POST/GET {serviceUrl}/webhooks,
//                   DELETE {serviceUrl}/webhooks/{id}, registrations {id, url, headers, types}.
//   types           optional event types to subscribe to: an array or a comma-separated string
//                   (default: every type).
//   publicApiHost   optional base URL under which the *service* reaches the OpenWhisk API, when
//                   it differs from __OW_API_HOST as seen from inside the action (for example an
//                   internal controller address in a Kubernetes deployment). Default __OW_API_HOST.
//   webhookUrl      optional: the URL the service must POST to instead of the trigger's fire URL,
//                   e.g. Feedscope's webhook relay (http://127.0.0.1:PORT/hooks/TRIGGER), which
//                   captures each delivery and fires the trigger. Bind it on the package so that
//                   every lifecycle event (DELETE too) finds the same registration.
//   lifecycleEvent, triggerName, authKey   the feed protocol (CREATE/READ/UPDATE/DELETE/PAUSE/
//                   UNPAUSE, "/namespace/trigger" where namespace may be "_", the owner's key).
//
// The service stores the owner's key (as the Authorization header of the registration) — that is
// inherent to the hook pattern. PAUSE keeps no state: UNPAUSE registers with the `types` it is
// given (bind `types` on the package, or pass them again), otherwise with every type.
//
// Results: {status: "success", ...} on success; failures reject with {error: "<message>"}, which
// OpenWhisk turns into an application error whose result is that object.
//
// Node.js 20, standard library only (global fetch), so the file deploys unchanged to any
// OpenWhisk with a nodejs:20 runtime.
'use strict';

// The lifecycle events this feed handles; anything else is rejected.
const EVENTS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'PAUSE', 'UNPAUSE'];

// A failure that becomes the activation's result {error: message}.
function failure(message) {
    return { error: message };
}

// "https://host/" → "https://host"; a host without a scheme gets https://, as the openwhisk npm
// client does.
function baseUrl(url) {
    const trimmed = String(url).replace(/\/+$/, '');
    return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

// "/_/t", "/ns/t" or "t" → {namespace, name}. The feed runs as the trigger's owner, so "_" (and a
// missing namespace) is the caller's namespace, __OW_NAMESPACE.
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

// The URL the service must POST events to: the trigger's fire endpoint.
function fireUrl(params, trigger) {
    const host = params.publicApiHost || process.env.__OW_API_HOST;
    if (!host) throw failure('__OW_API_HOST is not set (and no publicApiHost was given)');
    return `${baseUrl(host)}/api/v1/namespaces/${encodeURIComponent(trigger.namespace)}` +
        `/triggers/${encodeURIComponent(trigger.name)}`;
}

// `types` as an array of strings, or undefined for "every type".
function typeList(types) {
    if (types === undefined || types === null || types === '') return undefined;
    const list = Array.isArray(types) ? types : String(types).split(',');
    const cleaned = list.map((t) => String(t).trim()).filter((t) => t.length > 0);
    return cleaned.length > 0 ? cleaned : undefined;
}

// One call on the service's API. Resolves to {status, body}; network errors and unexpected
// statuses reject with {error}. `accept` lists the statuses that are not errors.
async function request(method, url, body, accept = [200, 201, 204]) {
    let response;
    try {
        response = await fetch(url, {
            method,
            headers: body === undefined ? { Accept: 'application/json' }
                : { Accept: 'application/json', 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (e) {
        const cause = e.cause && e.cause.message ? `: ${e.cause.message}` : '';
        throw failure(`${method} ${url} failed: ${e.message}${cause}`);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!accept.includes(response.status)) {
        const detail = json && typeof json.error === 'string' ? json.error : text.slice(0, 200);
        throw failure(`${method} ${url} answered ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    return { status: response.status, body: json };
}

// The registrations of this trigger (matched on the URL), as the service lists them.
async function registrations(service, url) {
    const { body } = await request('GET', `${service}/webhooks`);
    const all = body && Array.isArray(body.webhooks) ? body.webhooks : [];
    return all.filter((hook) => hook && hook.url === url);
}

async function register(service, url, authKey, types) {
    const payload = {
        url,
        headers: { Authorization: 'Basic ' + Buffer.from(authKey).toString('base64') },
    };
    if (types) payload.types = types;
    const { body } = await request('POST', `${service}/webhooks`, payload);
    if (!body || typeof body.id !== 'string') {
        throw failure(`POST ${service}/webhooks did not answer with a registration id`);
    }
    return body;
}

// Deletes the given registrations; one that is already gone (404) counts as deleted.
async function unregister(service, hooks) {
    const deleted = [];
    for (const hook of hooks) {
        await request('DELETE', `${service}/webhooks/${encodeURIComponent(hook.id)}`, undefined,
                      [200, 204, 404]);
        deleted.push(hook.id);
    }
    return deleted;
}

// Registers (replacing whatever this trigger had) and reports the new registration. The new
// registration is made before the old ones go, so no event is lost in between.
async function replace(service, url, authKey, types) {
    const previous = await registrations(service, url);
    const hook = await register(service, url, authKey, types);
    await unregister(service, previous.filter((h) => h.id !== hook.id));
    return hook;
}

async function main(params) {
    try {
        const event = params.lifecycleEvent;
        if (!EVENTS.includes(event)) throw failure('unsupported lifecycleEvent');
        if (!params.serviceUrl) throw failure('serviceUrl is required');
        if (!params.authKey) throw failure('authKey is required');
        const service = baseUrl(params.serviceUrl);
        const trigger = parseTriggerName(params.triggerName);
        // A relay in front of the trigger (Feedscope's webhook relay) when one is bound.
        const url = params.webhookUrl || fireUrl(params, trigger);
        const types = typeList(params.types);

        switch (event) {
        case 'CREATE':
        case 'UNPAUSE': {
            const hook = await replace(service, url, params.authKey, types);
            return { status: 'success', webhook: hook.id, url };
        }
        case 'UPDATE': {
            if (params.types === undefined) {
                throw failure('no updatable parameters were specified (types)');
            }
            // A paused feed has no registration; UPDATE must not silently resume it.
            const previous = await registrations(service, url);
            if (previous.length === 0) {
                throw failure(`no webhook registration for ${url} at ${service} ` +
                              '(paused or deleted): UNPAUSE or CREATE it first');
            }
            const hook = await replace(service, url, params.authKey, types);
            return { status: 'success', webhook: hook.id, replaced: previous.map((h) => h.id) };
        }
        case 'READ': {
            const hooks = await registrations(service, url);
            return {
                config: {
                    name: trigger.name,
                    namespace: trigger.namespace,
                    serviceUrl: service,
                    url,
                    webhooks: hooks,
                },
                status: { active: hooks.length > 0 },
            };
        }
        case 'DELETE':
        case 'PAUSE': {
            const hooks = await registrations(service, url);
            const deleted = await unregister(service, hooks);
            const result = { status: 'success', deleted };
            if (deleted.length === 0) {
                // Nothing to do is not a failure (a rollback, a second DELETE), but say so.
                result.message = `no webhook registration for ${url} at ${service}`;
            }
            return result;
        }
        }
        throw failure('unsupported lifecycleEvent');
    } catch (e) {
        if (e && typeof e.error === 'string') return Promise.reject(e);
        return Promise.reject(failure(e && e.message ? e.message : String(e)));
    }
}

exports.main = main;
