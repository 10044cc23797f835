// SPDX-License-Identifier: GPL-3.0-or-later
// feedscope nodejs runner: one warm "container" for one action, speaking the OpenWhisk
// action-proxy protocol (PROTOCOL.md 7: /init, /run, log sentinels) over a socket on fd 3
// instead of HTTP on port 8080. Each message is one JSON line:
//   engine → runner  {"path":"/init"|"/run","body":{...same bodies as the HTTP proxy...}}
//   runner → engine  {"status":200|403|500|502,"body":{...}}
// Action output goes to this process's stdout/stderr; after every run (and after a failed
// init) the sentinel line is written once to each, so the engine can cut the logs.
'use strict';

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const Module = require('module');
const { extractZip } = require('./unzip');

const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX';
// `require('openwhisk')` must resolve as in the real runtime image: modules installed next to
// this runner are the fallback for code that does not bundle its own.
const runnerRequire = Module.createRequire(path.join(__dirname, 'runner.js'));

let action = null; // the resolved main function once initialised
let initialised = false;
let broken = false; // a thrown exception leaves the proxy refusing further runs

function writeSentinels() {
    return new Promise((resolve) => {
        let pending = 2;
        const done = () => { if (--pending === 0) resolve(); };
        process.stdout.write(SENTINEL + '\n', done);
        process.stderr.write(SENTINEL + '\n', done);
    });
}

// OpenWhisk's text for an action killed for memory. A Buffer allocation fails here only under
// the engine's RLIMIT_DATA backstop, when the action outgrew its limit faster than it is sampled.
const MEMORY_EXHAUSTED = 'The action exhausted its memory and was aborted.';
const isAllocationFailure = (e) => e instanceof RangeError && /allocation failed/i.test(e.message);

function errorText(err) {
    if (err instanceof Error) return err.stack || String(err);
    try { return JSON.stringify(err); } catch (e) { return String(err); }
}

// Plain code: evaluated like the upstream proxy, `main` found as a top-level function or on
// module.exports / exports.
function loadSource(code, mainName, dir) {
    const file = path.join(dir, 'index.js');
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(dir).concat(Module._nodeModulePaths(__dirname));
    const localRequire = (id) => {
        try { return mod.require(id); } catch (e) {
            if (e.code === 'MODULE_NOT_FOUND') return runnerRequire(id);
            throw e;
        }
    };
    const body = `${code}\n;return (typeof ${mainName} === 'function') ? ${mainName} : undefined;`;
    let fromScope;
    try {
        fromScope = new Function('module', 'exports', 'require', '__filename', '__dirname', body)(
            mod, mod.exports, localRequire, file, dir);
    } catch (e) {
        if (!(e instanceof ReferenceError)) throw e;
        // `main` is not a valid identifier in scope (e.g. only exported): fall through.
        fromScope = undefined;
    }
    return fromScope || (mod.exports && mod.exports[mainName]);
}

// A zip: package.json "main" or index.js at its root; main may be "file.func".
function loadZip(base64, mainName, dir) {
    extractZip(Buffer.from(base64, 'base64'), dir);
    let file = null;
    let func = mainName;
    const dot = mainName.lastIndexOf('.');
    if (dot > 0 && fs.existsSync(path.join(dir, mainName.slice(0, dot) + '.js'))) {
        file = path.join(dir, mainName.slice(0, dot) + '.js');
        func = mainName.slice(dot + 1);
    } else if (fs.existsSync(path.join(dir, 'package.json'))) {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        file = path.join(dir, pkg.main || 'index.js');
    } else if (fs.existsSync(path.join(dir, 'index.js'))) {
        file = path.join(dir, 'index.js');
    } else {
        throw new Error('Zipped actions must contain either package.json or index.js at the root.');
    }
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file)).concat(
        Module._nodeModulePaths(__dirname));
    mod.load(file);
    return mod.exports && mod.exports[func];
}

async function init(message) {
    const value = (message && message.value) || {};
    if (initialised) {
        return { status: 403, body: { error: 'Cannot initialize the action more than once.' } };
    }
    if (typeof value.main !== 'string' || typeof value.code !== 'string') {
        return { status: 403, body: { error: 'Missing main/no code to execute.' } };
    }
    for (const [k, v] of Object.entries(value.env || {})) process.env[k] = String(v);
    try {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedscope-action-'));
        process.chdir(dir);
        const main = value.binary ? loadZip(value.code, value.main, dir)
                                  : loadSource(value.code, value.main, dir);
        if (typeof main !== 'function') throw new Error(`Action entrypoint '${value.main}' is not a function.`);
        action = main;
        initialised = true;
        return { status: 200, body: { OK: true } };
    } catch (e) {
        console.error(errorText(e));
        await writeSentinels();
        if (isAllocationFailure(e)) return { status: 502, body: { error: MEMORY_EXHAUSTED } };
        return { status: 502, body: { error: `Initialization has failed due to: ${errorText(e)}` } };
    }
}

async function run(message) {
    if (!initialised) return { status: 403, body: { error: 'System not initialized.' } };
    if (broken) return { status: 502, body: { error: 'The action failed and cannot run again.' } };
    const value = message.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { status: 403, body: { error: 'Internal system error: value must be an object.' } };
    }
    for (const [k, v] of Object.entries(message)) {
        if (k !== 'value' && typeof v === 'string') process.env['__OW_' + k.toUpperCase()] = v;
    }
    let reply;
    try {
        let result;
        try {
            result = await action(value);
        } catch (rejection) {
            // A synchronous throw is a developer error; a rejected promise is an application
            // error carrying the rejection (PROTOCOL.md 7).
            if (rejection && rejection.__feedscopeSync) throw rejection.error;
            throw { __rejected: true, value: rejection };
        }
        if (result === undefined || result === null) result = {};
        if (typeof result !== 'object') {
            reply = { status: 502, body: { error: 'The action did not return a dictionary.' } };
        } else {
            reply = { status: 200, body: result };
        }
    } catch (e) {
        if (e && e.__rejected) {
            const v = e.value;
            const error = v instanceof Error ? { message: v.message, name: v.name, stack: v.stack }
                                             : (v === undefined ? {} : v);
            reply = { status: 200, body: { error } };
        } else {
            broken = true;
            console.error(errorText(e));
            reply = { status: 502, body: { error: isAllocationFailure(e) ? MEMORY_EXHAUSTED
                                                                         : `An error has occurred: ${e}` } };
        }
    }
    await writeSentinels();
    return reply;
}

// Distinguish a synchronous throw from a rejected promise: wrap the call.
const invoke = (fn) => (params) => {
    let r;
    try { r = fn(params); } catch (error) { return Promise.reject({ __feedscopeSync: true, error }); }
    return Promise.resolve(r);
};

function main() {
    const channel = new net.Socket({ fd: 3, readable: true, writable: true });
    let buffer = '';
    let queue = Promise.resolve();
    channel.setEncoding('utf8');
    channel.on('data', (chunk) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            queue = queue.then(() => handle(line)).then((reply) => {
                channel.write(JSON.stringify(reply) + '\n');
            });
        }
    });
    channel.on('end', () => process.exit(0));
    channel.on('error', () => process.exit(0));
}

async function handle(line) {
    let message;
    try { message = JSON.parse(line); } catch (e) {
        return { status: 500, body: { error: 'Bad request.' } };
    }
    if (message.path === '/init') {
        const reply = await init(message.body);
        if (reply.status === 200) action = invoke(action);
        return reply;
    }
    if (message.path === '/run') return run(message.body || {});
    return { status: 500, body: { error: 'Bad request.' } };
}

main();
