'use strict'
// Actions through the openwhisk client: CRUD, kinds, binary code, sequences, lists, invoke
// (PROTOCOL.md 1.4, 1.6, 2.1).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const {
  startEngine, eventually, rejectsWith, assertErrorBody, authHeader, ACTIVATION_ID
} = require('./engine')

const CODE = 'function main(params) { return params }'
const DEFAULT_LIMITS = { timeout: 60000, memory: 256, logs: 10, concurrency: 1 }

let engine
let ow

before(async () => {
  engine = await startEngine()
  ow = engine.ow
})

after(async () => {
  if (engine) await engine.stop()
})

function annotation (entity, key) {
  const found = entity.annotations.find(a => a.key === key)
  return found ? found.value : undefined
}

test('create a nodejs:default action resolves the kind to nodejs:20', async () => {
  const before = Date.now()
  const action = await ow.actions.create({
    name: 'hello', action: CODE, params: { greeting: 'hi', n: 1 }
  })
  assert.equal(action.namespace, 'guest')
  assert.equal(action.name, 'hello')
  assert.equal(action.version, '0.0.1')
  assert.equal(action.publish, false)
  assert.deepEqual(action.exec, { kind: 'nodejs:20', code: CODE, binary: false })
  assert.deepEqual(action.parameters, [{ key: 'greeting', value: 'hi' }, { key: 'n', value: 1 }])
  assert.deepEqual(action.limits, DEFAULT_LIMITS)
  assert.equal(annotation(action, 'exec'), 'nodejs:20')
  assert.equal(annotation(action, 'provide-api-key'), false)
  assert.equal(typeof action.updated, 'number')
  assert.ok(action.updated >= before - 60000, `updated ${action.updated} is epoch milliseconds`)

  const got = await ow.actions.get('hello')
  assert.deepEqual(got, action)
})

test('get with code=false omits exec.code', async () => {
  const got = await ow.actions.get({ name: 'hello', code: false })
  assert.equal(got.name, 'hello')
  assert.equal(got.exec.kind, 'nodejs:20')
  assert.equal('code' in got.exec, false)
})

test('explicit kind, limits and annotations are stored', async () => {
  const action = await ow.actions.create({
    name: 'limited',
    action: CODE,
    kind: 'nodejs:20',
    limits: { timeout: 1000, memory: 128 },
    annotations: { 'web-export': true, 'provide-api-key': true }
  })
  assert.equal(action.exec.kind, 'nodejs:20')
  assert.equal(action.limits.timeout, 1000)
  assert.equal(action.limits.memory, 128)
  assert.equal(annotation(action, 'web-export'), true)
  assert.equal(annotation(action, 'provide-api-key'), true)
  assert.equal(annotation(action, 'exec'), 'nodejs:20')
})

test('a Buffer action is sent as base64 and stored with exec.binary true', async () => {
  const zip = Buffer.from('PK\u0003\u0004 not really a zip, but binary enough', 'latin1')
  const action = await ow.actions.create({ name: 'zipped', action: zip })
  assert.equal(action.exec.kind, 'nodejs:20')
  assert.equal(action.exec.binary, true)
  assert.equal(action.exec.code, zip.toString('base64'))

  const got = await ow.actions.get('zipped')
  assert.equal(got.exec.binary, true)
  assert.equal(got.exec.code, zip.toString('base64'))
})

test('sequence actions from an exec object and from the sequence option', async () => {
  await ow.actions.create({ name: 'step', action: CODE })
  const seq = await ow.actions.create({
    name: 'seq',
    action: { exec: { kind: 'sequence', components: ['/guest/hello', '/_/step'] } }
  })
  assert.equal(seq.exec.kind, 'sequence')
  assert.deepEqual(seq.exec.components, ['/guest/hello', '/guest/step'],
    'the default namespace _ in components is resolved to the caller\'s namespace')
  assert.equal(annotation(seq, 'exec'), 'sequence')

  const seq2 = await ow.actions.create({ name: 'seq2', sequence: ['/guest/step'] })
  assert.equal(seq2.exec.kind, 'sequence')
  assert.deepEqual(seq2.exec.components, ['/guest/step'])

  const got = await ow.actions.get('seq')
  assert.deepEqual(got.exec, seq.exec)
})

test('update bumps the version, replaces the code and merges annotations', async () => {
  await ow.actions.create({ name: 'evolving', action: CODE, annotations: { first: 1 } })
  const newCode = 'function main() { return { v: 2 } }'
  const updated = await ow.actions.update({
    name: 'evolving', action: newCode, annotations: { second: 2 }
  })
  assert.equal(updated.version, '0.0.2')
  assert.equal(updated.exec.code, newCode)
  assert.equal(annotation(updated, 'first'), 1, 'action update keeps the old annotations')
  assert.equal(annotation(updated, 'second'), 2)

  const again = await ow.actions.update({ name: 'evolving', action: newCode })
  assert.equal(again.version, '0.0.3')

  const explicit = await ow.actions.update({ name: 'evolving', action: newCode, version: '1.2.3' })
  assert.equal(explicit.version, '1.2.3')
})

test('create of an existing action without overwrite is 409; update overwrites', async () => {
  const err = await rejectsWith(ow.actions.create({ name: 'hello', action: CODE }), 409)
  assertErrorBody(err, 'resource already exists')

  const updated = await ow.actions.update({ name: 'hello', action: CODE, params: { greeting: 'yo' } })
  assert.equal(updated.version, '0.0.2')
  assert.deepEqual(updated.parameters, [{ key: 'greeting', value: 'yo' }])
})

test('list returns summaries, newest first, with limit, skip and count', async () => {
  for (const name of ['listed-1', 'listed-2', 'listed-3']) {
    await ow.actions.create({ name, action: CODE })
  }
  const all = await ow.actions.list({ limit: 200 })
  assert.ok(Array.isArray(all))
  const names = all.map(a => a.name)
  for (const name of ['hello', 'zipped', 'seq', 'listed-1', 'listed-2', 'listed-3']) {
    assert.ok(names.includes(name), `${name} is listed`)
  }
  assert.equal(new Set(names).size, names.length)

  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].updated >= all[i].updated, 'newest first')
  }

  for (const summary of all) {
    assert.deepEqual(Object.keys(summary).sort(),
      ['annotations', 'exec', 'limits', 'name', 'namespace', 'publish', 'updated', 'version'])
    assert.deepEqual(Object.keys(summary.exec), ['binary'])
  }
  assert.equal(all.find(a => a.name === 'zipped').exec.binary, true)
  assert.equal(all.find(a => a.name === 'hello').exec.binary, false)

  const page = await ow.actions.list({ limit: 2, skip: 1 })
  assert.deepEqual(page.map(a => a.name), names.slice(1, 3))

  const defaultPage = await ow.actions.list()
  assert.deepEqual(defaultPage.map(a => a.name), names.slice(0, 30))

  const count = await ow.actions.list({ count: true })
  assert.deepEqual(count, { actions: all.length })
})

test('non-blocking invoke returns an activation id; the activation is recorded', async () => {
  const res = await ow.actions.invoke({ name: 'hello', params: { a: 1 } })
  assert.deepEqual(Object.keys(res), ['activationId'])
  assert.match(res.activationId, ACTIVATION_ID)

  const activation = await eventually(() => ow.activations.get(res.activationId))
  assert.equal(activation.activationId, res.activationId)
  assert.equal(activation.name, 'hello')
  assert.equal(activation.namespace, 'guest')
  assert.equal(activation.subject, 'guest')
  assert.equal(activation.version, '0.0.2')
  assert.equal(annotation(activation, 'path'), 'guest/hello')
  assert.equal(annotation(activation, 'kind'), 'nodejs:20')
})

test('blocking invoke of an echo action resolves with the activation record', async () => {
  const activation = await ow.actions.invoke({ name: 'hello', blocking: true, params: { extra: 1 } })
  assert.match(activation.activationId, ACTIVATION_ID)
  assert.equal(activation.name, 'hello')
  assert.equal(activation.namespace, 'guest')
  assert.equal(activation.subject, 'guest')
  assert.equal(activation.publish, false)
  assert.equal(activation.response.status, 'success')
  assert.equal(activation.response.success, true)
  assert.deepEqual(activation.response.result, { greeting: 'yo', extra: 1 },
    'action parameters merged with the payload')
  assert.equal('statusCode' in activation.response, false,
    'the extended activation JSON has no response.statusCode')
  assert.equal(typeof activation.start, 'number')
  assert.equal(typeof activation.end, 'number')
  assert.equal(activation.duration, activation.end - activation.start)
  assert.deepEqual(activation.logs, [])
  assert.equal(annotation(activation, 'path'), 'guest/hello')
  assert.equal(annotation(activation, 'kind'), 'nodejs:20')
  assert.deepEqual(annotation(activation, 'limits'), DEFAULT_LIMITS)
  assert.equal(annotation(activation, 'timeout'), false)
  assert.equal(typeof annotation(activation, 'waitTime'), 'number')

  const stored = await ow.activations.get(activation.activationId)
  assert.deepEqual(stored, activation)
})

test('blocking invoke with result: true resolves with the params of an echo action', async () => {
  const params = { greeting: 'override', list: [1, 2], nested: { ok: true } }
  const result = await ow.actions.invoke({ name: 'hello', blocking: true, result: true, params })
  assert.deepEqual(result, params)

  await ow.actions.create({ name: 'plain-echo', action: CODE })
  const plain = { a: 'b', n: 3 }
  assert.deepEqual(
    await ow.actions.invoke({ name: 'plain-echo', blocking: true, result: true, params: plain }),
    plain)
})

test('a cold start records initTime, the warm second invoke does not', async () => {
  await ow.actions.create({ name: 'cold-warm', action: CODE })
  const cold = await ow.actions.invoke({ name: 'cold-warm', blocking: true, params: { n: 1 } })
  assert.equal(typeof annotation(cold, 'initTime'), 'number', 'first invoke after create is cold')
  const warm = await ow.actions.invoke({ name: 'cold-warm', blocking: true, params: { n: 2 } })
  assert.equal(annotation(warm, 'initTime'), undefined, 'second invoke is warm')
  assert.deepEqual(warm.response.result, { n: 2 })
})

test('console.log lines are the activation logs', async () => {
  await ow.actions.create({
    name: 'chatty', action: "function main(p) { console.log('hi ' + p.who); return {} }"
  })
  const activation = await ow.actions.invoke({ name: 'chatty', blocking: true, params: { who: 'there' } })
  assert.equal(activation.logs.length, 1)
  assert.match(activation.logs[0], /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z +stdout: hi there$/)
  assert.deepEqual((await ow.activations.logs(activation.activationId)).logs, activation.logs)
})

test('an action returning {error} is an application error: blocking invoke rejects with 502', async () => {
  await ow.actions.create({ name: 'fails', action: "function main() { return { error: 'boom' } }" })
  const err = await rejectsWith(ow.actions.invoke({ name: 'fails', blocking: true }), 502)
  const activation = err.error
  assert.match(activation.activationId, ACTIVATION_ID)
  assert.equal(activation.name, 'fails')
  assert.equal(activation.response.status, 'application error')
  assert.equal(activation.response.success, false)
  assert.deepEqual(activation.response.result, { error: 'boom' })

  // The client does not send result=true (it unwraps response.result itself, on success only),
  // so the rejection still carries the whole record.
  const viaClient = await rejectsWith(
    ow.actions.invoke({ name: 'fails', blocking: true, result: true }), 502)
  assert.deepEqual(viaClient.error.response.result, { error: 'boom' })

  // Asked over raw HTTP, the engine answers 502 with only the result object.
  const res = await fetch(`${engine.url}/api/v1/namespaces/_/actions/fails?blocking=true&result=true`, {
    method: 'POST', headers: { Authorization: authHeader(), 'Content-Type': 'application/json' }, body: '{}'
  })
  assert.equal(res.status, 502)
  assert.match(res.headers.get('x-openwhisk-activation-id'), ACTIVATION_ID)
  assert.deepEqual(await res.json(), { error: 'boom' })

  const stored = await ow.activations.get(activation.activationId)
  assert.deepEqual(stored.response, activation.response)
})

test('an action that throws is a developer error: blocking invoke rejects with 502', async () => {
  await ow.actions.create({ name: 'throws', action: "function main() { throw new Error('x') }" })
  const err = await rejectsWith(ow.actions.invoke({ name: 'throws', blocking: true }), 502)
  const activation = err.error
  assert.equal(activation.name, 'throws')
  assert.equal(activation.response.status, 'action developer error')
  assert.equal(activation.response.success, false)
  assert.equal(typeof activation.response.result.error, 'string')
  assert.equal(annotation(activation, 'timeout'), false)
})

test('delete returns the deleted action; afterwards it is gone', async () => {
  await ow.actions.create({ name: 'doomed', action: CODE })
  const deleted = await ow.actions.delete('doomed')
  assert.equal(deleted.name, 'doomed')
  assert.equal(deleted.namespace, 'guest')
  assert.equal(deleted.exec.kind, 'nodejs:20')

  const err = await rejectsWith(ow.actions.get('doomed'), 404)
  assertErrorBody(err, 'The requested resource does not exist.')
  await rejectsWith(ow.actions.delete('doomed'), 404)

  const names = (await ow.actions.list({ limit: 200 })).map(a => a.name)
  assert.equal(names.includes('doomed'), false)
})
