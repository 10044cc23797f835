'use strict'
// Activations through the openwhisk client: list (name, limit, skip, count, docs, since, upto),
// get, logs and result of trigger and action activations (PROTOCOL.md 1.10, 2.1, 2.4).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { startEngine, eventually, rejectsWith, authHeader, ACTIVATION_ID } = require('./engine')

const CODE = 'function main(params) { return params }'

let engine
let ow
let triggerActivation // full record of the trigger activation
let actionActivationId // the rule-fired action's activation id
let directIds = [] // ids of direct (non-blocking) invokes of 'worker'
let packagedId

before(async () => {
  engine = await startEngine()
  ow = engine.ow
  await ow.actions.create({ name: 'worker', action: CODE })
  await ow.packages.create({ name: 'pkg' })
  await ow.actions.create({ name: 'pkg/worker', action: CODE })
  await ow.triggers.create({ name: 'tick', trigger: { parameters: [{ key: 'p', value: 0 }] } })
  await ow.rules.create({ name: 'onTick', trigger: 'tick', action: 'worker' })

  const fired = await ow.triggers.invoke({ name: 'tick', params: { seq: 1 } })
  triggerActivation = await eventually(() => ow.activations.get(fired.activationId))
  actionActivationId = JSON.parse(triggerActivation.logs[0]).activationId
  await eventually(() => ow.activations.get(actionActivationId))

  for (let i = 0; i < 3; i++) {
    const { activationId } = await ow.actions.invoke({ name: 'worker', params: { i } })
    directIds.push(activationId)
    await eventually(() => ow.activations.get(activationId))
  }
  const packaged = await ow.actions.invoke({ name: 'pkg/worker' })
  packagedId = packaged.activationId
  await eventually(() => ow.activations.get(packagedId))
})

after(async () => {
  if (engine) await engine.stop()
})

function annotation (entity, key) {
  const found = entity.annotations.find(a => a.key === key)
  return found ? found.value : undefined
}

test('trigger activation: get, logs and result', async () => {
  const id = triggerActivation.activationId
  assert.match(id, ACTIVATION_ID)
  assert.equal(triggerActivation.name, 'tick')
  assert.deepEqual(triggerActivation.response, { status: 'success', success: true, result: { seq: 1 } })

  const { logs } = await ow.activations.logs(id)
  assert.deepEqual(logs, triggerActivation.logs)
  assert.equal(logs.length, 1)
  const entry = JSON.parse(logs[0])
  assert.deepEqual(entry, {
    statusCode: 0, success: true, activationId: actionActivationId, rule: 'guest/onTick', action: 'guest/worker'
  })

  const result = await ow.activations.result(id)
  assert.deepEqual(result, { result: { seq: 1 }, success: true, status: 'success' })

  // the client also accepts the id through options
  assert.equal((await ow.activations.get({ activationId: id })).activationId, id)
  assert.equal((await ow.activations.get({ name: id })).activationId, id)
})

test('action activation: get, logs and result', async () => {
  const activation = await ow.activations.get(actionActivationId)
  assert.equal(activation.activationId, actionActivationId)
  assert.equal(activation.namespace, 'guest')
  assert.equal(activation.name, 'worker')
  assert.equal(activation.subject, 'guest')
  assert.equal(activation.version, '0.0.1')
  assert.equal(activation.publish, false)
  assert.equal(typeof activation.start, 'number')
  assert.equal(typeof activation.end, 'number')
  assert.equal(activation.duration, activation.end - activation.start)
  assert.equal(annotation(activation, 'path'), 'guest/worker')
  assert.equal(annotation(activation, 'kind'), 'nodejs:20')
  assert.equal(annotation(activation, 'timeout'), false)
  assert.deepEqual(annotation(activation, 'limits'),
    { timeout: 60000, memory: 256, logs: 10, concurrency: 1 })
  assert.equal(activation.response.status, 'success')
  assert.equal(activation.response.success, true)
  assert.equal('statusCode' in activation.response, false)
  // The echo action received the trigger's parameters + the fire payload + __ow_headers.
  const { __ow_headers: headers, ...received } = activation.response.result
  assert.deepEqual(received, { p: 0, seq: 1 })
  assert.equal(typeof headers, 'object')
  assert.equal(headers.authorization, authHeader())

  const { logs } = await ow.activations.logs(actionActivationId)
  assert.deepEqual(logs, activation.logs)

  const result = await ow.activations.result(actionActivationId)
  assert.equal(result.status, 'success')
  assert.equal(result.success, true)
  assert.deepEqual(result.result, activation.response.result)
})

test('an activation of a packaged action is named by the action, with the package in path', async () => {
  const activation = await ow.activations.get(packagedId)
  assert.equal(activation.name, 'worker')
  assert.equal(annotation(activation, 'path'), 'guest/pkg/worker')
})

test('list returns summaries, newest first', async () => {
  const all = await ow.activations.list({ limit: 200 })
  assert.equal(all.length, 6) // 1 trigger + 1 rule-fired + 3 direct + 1 packaged
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].start >= all[i].start, 'newest first')
  }
  assert.equal(all[0].activationId, packagedId)
  const allowed = ['namespace', 'name', 'version', 'publish', 'annotations', 'activationId',
    'start', 'end', 'duration', 'cause', 'statusCode']
  for (const summary of all) {
    for (const key of Object.keys(summary)) {
      assert.ok(allowed.includes(key), `summary key ${key}`)
    }
    assert.equal('logs' in summary, false)
    assert.equal('response' in summary, false)
  }

  const action = all.find(a => a.activationId === actionActivationId)
  assert.equal(action.statusCode, 0, 'summary statusCode is numeric: 0 = success')
  assert.equal(typeof action.end, 'number')
  assert.equal(typeof action.duration, 'number')

  const trigger = all.find(a => a.activationId === triggerActivation.activationId)
  assert.equal(trigger.name, 'tick')
  assert.equal('end' in trigger, false)
  assert.equal('duration' in trigger, false)
})

test('list with limit, skip and count', async () => {
  const all = await ow.activations.list({ limit: 200 })
  const ids = all.map(a => a.activationId)
  assert.deepEqual((await ow.activations.list({ limit: 2 })).map(a => a.activationId), ids.slice(0, 2))
  assert.deepEqual((await ow.activations.list({ limit: 2, skip: 3 })).map(a => a.activationId),
    ids.slice(3, 5))
  assert.deepEqual(await ow.activations.list({ count: true }), { activations: 6 })
  assert.deepEqual(await ow.activations.list({ count: true, name: 'tick' }), { activations: 1 })
})

test('list filtered by name', async () => {
  const triggers = await ow.activations.list({ name: 'tick' })
  assert.deepEqual(triggers.map(a => a.activationId), [triggerActivation.activationId])

  const workers = await ow.activations.list({ name: 'worker', limit: 200 })
  const ids = workers.map(a => a.activationId)
  assert.equal(ids.length, 4, 'the rule-fired and the three direct activations of guest/worker')
  for (const id of [actionActivationId, ...directIds]) assert.ok(ids.includes(id))
  assert.equal(ids.includes(packagedId), false, 'pkg/worker is not the same action as worker')

  const packaged = await ow.activations.list({ name: 'pkg/worker' })
  assert.deepEqual(packaged.map(a => a.activationId), [packagedId])

  assert.deepEqual(await ow.activations.list({ name: 'nothing' }), [])

  const limited = await ow.activations.list({ name: 'worker', limit: 1 })
  assert.deepEqual(limited.map(a => a.activationId), [directIds[2]])

  const limitedDocs = await ow.activations.list({ name: 'worker', limit: 2, docs: true })
  assert.deepEqual(limitedDocs.map(a => a.activationId), [directIds[2], directIds[1]])
  for (const record of limitedDocs) assert.equal(record.name, 'worker')
})

test('list with docs returns full records', async () => {
  const docs = await ow.activations.list({ limit: 2, docs: true })
  assert.deepEqual(docs.map(a => a.activationId), [packagedId, directIds[2]])
  for (const record of docs) {
    assert.ok(Array.isArray(record.logs))
    assert.equal(record.response.status, 'success')
    assert.equal(record.subject, 'guest')
    assert.deepEqual(record, await ow.activations.get(record.activationId))
  }

  const triggerDocs = await ow.activations.list({ name: 'tick', docs: true })
  assert.deepEqual(triggerDocs, [triggerActivation])
})

test('docs together with count is 400', async () => {
  await rejectsWith(ow.activations.list({ docs: true, count: true }), 400)
})

test('list with since and upto (epoch milliseconds)', async () => {
  const start = triggerActivation.start
  const upto = await ow.activations.list({ upto: start - 1, limit: 200 })
  assert.deepEqual(upto, [])

  const since = await ow.activations.list({ since: start - 1, limit: 200 })
  assert.equal(since.length, 6)

  const future = await ow.activations.list({ since: Date.now() + 24 * 3600 * 1000, limit: 200 })
  assert.deepEqual(future, [])
})

test('missing activation is 404; malformed id is 400', async () => {
  await rejectsWith(ow.activations.get('0123456789abcdef0123456789abcdef'), 404)
  await rejectsWith(ow.activations.logs('0123456789abcdef0123456789abcdef'), 404)
  await rejectsWith(ow.activations.result('0123456789abcdef0123456789abcdef'), 404)
  await rejectsWith(ow.activations.get('short'), 400)
})
