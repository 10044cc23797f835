#!/usr/bin/env node
// Self-test for the /whisk.system/utils catalog package of feedscope-engine.
// Run with `node selftest.js`; exits non-zero on the first failure.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const dir = __dirname;
const catalog = JSON.parse(fs.readFileSync(path.join(dir, 'catalog.json'), 'utf8'));

// Quiet the actions' console.log while they run.
const realLog = console.log;
function quiet(fn) {
    console.log = () => {};
    try { return fn(); } finally { console.log = realLog; }
}

// Load an action both ways: as a CommonJS module and as a plain script (how the runtime
// evaluates source code), and check both expose the same callable main.
function load(file) {
    const full = path.join(dir, file);
    const viaRequire = require(full).main;
    assert.equal(typeof viaRequire, 'function', `${file}: exports.main missing`);
    const code = fs.readFileSync(full, 'utf8');
    const mod = { exports: {} };
    const viaScript = new Function('module', 'exports', 'require',
        `${code}\n;return typeof main === 'function' ? main : undefined;`)(mod, mod.exports, require);
    assert.equal(typeof viaScript, 'function', `${file}: top-level main missing`);
    return (params) => {
        const a = quiet(() => viaRequire(params === undefined ? undefined : structuredClone(params)));
        const b = quiet(() => viaScript(params === undefined ? undefined : structuredClone(params)));
        // date.js reads the clock, so only the shape of its two results can agree.
        const shape = (r) => (file === 'date.js' && r ? Object.keys(r) : r);
        assert.deepEqual(shape(b), shape(a), `${file}: script and module loading disagree`);
        return a;
    };
}

// Round-trip through JSON, as the engine does with a result.
const wire = (v) => JSON.parse(JSON.stringify(v));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

const act = {};
for (const a of catalog.actions) act[a.name] = load(a.file);

// ---------------------------------------------------------------- catalog.json
test('catalog.json shape', () => {
    assert.equal(catalog.package, 'utils');
    assert.equal(catalog.publish, true);
    assert.ok(Array.isArray(catalog.parameters));
    const names = catalog.actions.map((a) => a.name).sort();
    assert.deepEqual(names, ['cat', 'date', 'echo', 'head', 'hosturl', 'namespace', 'smash', 'sort', 'split']);
    for (const a of catalog.actions) {
        assert.equal(a.kind, 'nodejs:20');
        assert.ok(fs.existsSync(path.join(dir, a.file)), a.file);
        const desc = a.annotations.find((x) => x.key === 'description');
        assert.ok(desc && typeof desc.value === 'string' && desc.value.length > 0, `${a.name} description`);
    }
});

test('sampleInput produces sampleOutput', () => {
    const saved = { host: process.env.__OW_API_HOST, ns: process.env.__OW_NAMESPACE };
    process.env.__OW_API_HOST = 'http://localhost:3233';
    process.env.__OW_NAMESPACE = 'guest';
    try {
        for (const a of catalog.actions) {
            if (a.name === 'date') continue; // time-dependent
            const get = (k) => (a.annotations.find((x) => x.key === k) || {}).value;
            const out = get('sampleOutput');
            if (out === undefined) continue;
            assert.deepEqual(wire(act[a.name](get('sampleInput') || {})), out, a.name);
        }
    } finally {
        restoreEnv('__OW_API_HOST', saved.host);
        restoreEnv('__OW_NAMESPACE', saved.ns);
    }
});

function restoreEnv(k, v) {
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
}

// ---------------------------------------------------------------- echo
test('echo', () => {
    assert.deepEqual(act.echo({ payload: 'Hello OpenWhisk' }), { payload: 'Hello OpenWhisk' });
    const complex = { a: [1, { b: null }], c: 'x', payload: { nested: true } };
    assert.deepEqual(act.echo(complex), complex);
    assert.deepEqual(act.echo({}), {});
    assert.deepEqual(act.echo(undefined), {});
});

// ---------------------------------------------------------------- cat
test('cat', () => {
    assert.deepEqual(act.cat({ lines: ['seven', 'eight', 'nine'] }),
        { lines: ['seven', 'eight', 'nine'], payload: 'seven\neight\nnine' });
    assert.deepEqual(act.cat({ lines: [4, 2, 3], other: 'dropped' }), { lines: [4, 2, 3], payload: '4\n2\n3' });
    assert.deepEqual(act.cat({}), { lines: [], payload: '' });
    assert.deepEqual(act.cat({ lines: ['only'] }), { lines: ['only'], payload: 'only' });
    assert.match(act.cat({ lines: 'not an array' }).error, /lines.*array/);
    assert.match(act.cat({ lines: { 0: 'a' } }).error, /array/);
});

// ---------------------------------------------------------------- sort
test('sort', () => {
    assert.deepEqual(act.sort({ lines: ['seven', 'eight', 'nine'] }),
        { lines: ['eight', 'nine', 'seven'], length: 3 });
    assert.deepEqual(act.sort({ lines: [4, 2, 3] }), { lines: [2, 3, 4], length: 3 });
    // Default JavaScript ordering: string comparison, upper case before lower case.
    assert.deepEqual(act.sort({ lines: [10, 9, 1] }), { lines: [1, 10, 9], length: 3 });
    assert.deepEqual(act.sort({ lines: ['b', 'B', 'a'] }), { lines: ['B', 'a', 'b'], length: 3 });
    assert.deepEqual(act.sort({}), { lines: [], length: 0 });
    const input = { lines: ['z', 'a'] };
    quiet(() => require(path.join(dir, 'sort.js')).main(input));
    assert.deepEqual(input.lines, ['z', 'a'], 'sort must not mutate its input');
    assert.match(act.sort({ lines: 'z\na' }).error, /lines.*array/);
    assert.match(act.sort({ lines: 5 }).error, /array/);
});

// ---------------------------------------------------------------- head
test('head', () => {
    assert.deepEqual(act.head({ lines: ['seven', 'eight', 'nine'], num: 2 }),
        { lines: ['seven', 'eight'], num: 2 });
    assert.deepEqual(act.head({ lines: [4, 2, 3] }), { lines: [4], num: 1 });
    assert.deepEqual(act.head({ lines: [4, 2, 3], num: 0 }), { lines: [4], num: 1 });
    assert.deepEqual(act.head({ lines: [4, 2, 3], num: 10 }), { lines: [4, 2, 3], num: 10 });
    assert.deepEqual(act.head({ lines: [4, 2, 3], num: '2' }), { lines: [4, 2], num: 2 });
    assert.deepEqual(act.head({ lines: [4, 2, 3], num: 2.9 }), { lines: [4, 2], num: 2 });
    assert.deepEqual(act.head({ lines: [4, 2, 3], num: -1 }), { lines: [4, 2], num: -1 });
    assert.deepEqual(act.head({}), { lines: [], num: 1 });
    assert.match(act.head({ lines: 'abc' }).error, /lines.*array/);
    assert.match(act.head({ lines: [1], num: 'many' }).error, /num/);
    assert.match(act.head({ lines: [1], num: [2] }).error, /num/);
});

// ---------------------------------------------------------------- split
test('split', () => {
    assert.deepEqual(act.split({ payload: 'seven,eight,nine', separator: ',' }),
        { lines: ['seven', 'eight', 'nine'], payload: 'seven,eight,nine' });
    assert.deepEqual(act.split({ payload: 'a\nb\r\nc' }), { lines: ['a', 'b', 'c'], payload: 'a\nb\r\nc' });
    assert.deepEqual(act.split({ payload: 'one line' }), { lines: ['one line'], payload: 'one line' });
    assert.deepEqual(act.split({ payload: '' }), { lines: [''], payload: '' });
    // The separator is literal text, not a pattern.
    assert.deepEqual(act.split({ payload: 'a.b|c', separator: '.' }), { lines: ['a', 'b|c'], payload: 'a.b|c' });
    assert.deepEqual(act.split({ payload: 'x::y::z', separator: '::' }), { lines: ['x', 'y', 'z'], payload: 'x::y::z' });
    assert.deepEqual(act.split({ payload: 1203, separator: '0' }), { lines: ['12', '3'], payload: 1203 });
    assert.match(act.split({}).error, /payload.*required/);
    assert.match(act.split({ payload: null }).error, /payload/);
    assert.match(act.split({ payload: { a: 1 } }).error, /payload.*string/);
    assert.match(act.split({ payload: ['a', 'b'] }).error, /payload.*string/);
    assert.match(act.split({ payload: 'a', separator: 5 }).error, /separator/);
});

// ---------------------------------------------------------------- split | sort | head | cat
test('split → sort → head → cat pipeline', () => {
    const strip = (r) => { const { payload, ...rest } = r; return rest; };
    let r = act.split({ payload: 'pear\napple\nfig' });
    r = act.sort(strip(r));
    assert.deepEqual(r, { lines: ['apple', 'fig', 'pear'], length: 3 });
    r = act.head({ lines: r.lines, num: 2 });
    r = act.cat(r);
    assert.equal(r.payload, 'apple\nfig');
});

// ---------------------------------------------------------------- date
test('date', () => {
    const before = Date.now();
    const r = wire(act.date({}));
    const after = Date.now();
    assert.deepEqual(Object.keys(r), ['date']);
    assert.match(r.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const t = Date.parse(r.date);
    assert.ok(t >= before - 1 && t <= after + 1, 'date is the current time');
    assert.deepEqual(Object.keys(act.date(undefined)), ['date']);
});

// ---------------------------------------------------------------- namespace
test('namespace', () => {
    const saved = process.env.__OW_NAMESPACE;
    try {
        process.env.__OW_NAMESPACE = 'guest';
        assert.deepEqual(act.namespace({}), { namespace: 'guest' });
        process.env.__OW_NAMESPACE = 'whisk.system';
        assert.deepEqual(act.namespace({ ignored: 1 }), { namespace: 'whisk.system' });
        delete process.env.__OW_NAMESPACE;
        assert.deepEqual(wire(act.namespace({})), {});
    } finally {
        restoreEnv('__OW_NAMESPACE', saved);
    }
});

// ---------------------------------------------------------------- hosturl
test('hosturl', () => {
    const saved = { host: process.env.__OW_API_HOST, ns: process.env.__OW_NAMESPACE };
    try {
        process.env.__OW_API_HOST = 'https://example.test';
        process.env.__OW_NAMESPACE = 'guest';
        const h = act.hosturl;
        assert.deepEqual(h({}), { url: 'https://example.test/api/v1/namespaces/guest/actions' });
        assert.deepEqual(h({ path: 'hello' }), { url: 'https://example.test/api/v1/namespaces/guest/actions/hello' });
        assert.deepEqual(h({ path: 'utils/echo' }), { url: 'https://example.test/api/v1/namespaces/guest/actions/utils/echo' });
        assert.deepEqual(h({ trigger: true }), { url: 'https://example.test/api/v1/namespaces/guest/triggers' });
        assert.deepEqual(h({ trigger: true, path: 't1' }), { url: 'https://example.test/api/v1/namespaces/guest/triggers/t1' });
        assert.deepEqual(h({ web: true }), { url: 'https://example.test/api/v1/web/guest' });
        assert.deepEqual(h({ web: true, path: 'utils/echo' }), { url: 'https://example.test/api/v1/web/guest/utils/echo' });
        assert.deepEqual(h({ web: true, path: 'hello', ext: '.http' }), { url: 'https://example.test/api/v1/web/guest/default/hello.http' });
        assert.deepEqual(h({ web: true, path: 'p/a', ext: '.svg' }), { url: 'https://example.test/api/v1/web/guest/p/a.svg' });
        // ext is ignored for non-web URLs; web must be the boolean true.
        assert.deepEqual(h({ path: 'a', ext: '.bogus' }), { url: 'https://example.test/api/v1/namespaces/guest/actions/a' });
        assert.deepEqual(h({ web: 'true', path: 'a' }), { url: 'https://example.test/api/v1/namespaces/guest/actions/a' });
        // Errors.
        assert.equal(h({ web: true, trigger: true }).error, 'triggers are not allowed for web actions.');
        assert.match(h({ web: true, path: 'a', ext: '.xml' }).error, /extension for web action must be one of/);
        assert.equal(h({ trigger: true, path: 'pkg/t' }).error, 'triggers are not allowed in packages.');
        // Trailing slash on the host is not doubled.
        process.env.__OW_API_HOST = 'http://localhost:3233/';
        assert.deepEqual(h({ path: 'x' }), { url: 'http://localhost:3233/api/v1/namespaces/guest/actions/x' });
        delete process.env.__OW_API_HOST;
        assert.match(h({ path: 'x' }).error, /__OW_API_HOST/);
    } finally {
        restoreEnv('__OW_API_HOST', saved.host);
        restoreEnv('__OW_NAMESPACE', saved.ns);
    }
});

// ---------------------------------------------------------------- smash
test('smash', () => {
    assert.deepEqual(act.smash({ a: 1, b: { c: 2 }, $fieldName: 'p' }), { p: { a: 1, b: { c: 2 } } });
    assert.deepEqual(act.smash({ $fieldName: 'empty' }), { empty: {} });
    const input = { a: 1, $fieldName: 'p' };
    quiet(() => require(path.join(dir, 'smash.js')).main(input));
    assert.deepEqual(input, { a: 1, $fieldName: 'p' }, 'smash must not mutate its input');
    assert.equal(act.smash({ a: 1 }).error, "Expected an argument '$fieldName' of type 'string'.");
    assert.equal(act.smash({ a: 1, $fieldName: 3 }).error, "Expected an argument '$fieldName' of type 'string'.");
});

// ---------------------------------------------------------------- run
let failed = 0;
for (const t of tests) {
    try {
        t.fn();
        realLog(`ok   ${t.name}`);
    } catch (e) {
        failed++;
        console.error(`FAIL ${t.name}\n${e && e.stack ? e.stack : e}`);
    }
}
realLog(`${tests.length - failed}/${tests.length} passed`);
process.exit(failed ? 1 : 0);
