'use strict'
// Error answers as the openwhisk client sees them (OpenWhiskError with statusCode and the
// {error, code} body), namespaces, and ow.feeds against a missing feed action
// (PROTOCOL.md 1.2, 1.3, 1.4, 1.5, 3.4, 6).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')
const { startEngine, rejectsWith, assertErrorBody } = require('./engine')

const CODE = 'function main(params) { return params }'
const NOT_FOUND = 'The requested resource does not exist.'

let engine
let ow

before(async () => {
  engine = await startEngine()
  ow = engine.ow
  await ow.actions.create({ name: 'a', action: CODE })
  await ow.packages.create({ name: 'p' })
  await ow.triggers.create({ name: 't' })
  await ow.rules.create({ name: 'r', trigger: 't', action: 'a' })
})

after(async () => {
  if (engine) await engine.stop()
})

test('get of a missing entity is 404 in every collection', async () => {
  // A missing package of one's own is named in the message: the controller's entitlement check
  // fetches it first (AuthorizedRouteDispatcher rewrites that 404).
  const namedPackage = "The requested resource 'guest/missing' does not exist."
  for (const [what, request, message] of [
    ['action', () => ow.actions.get('missing'), NOT_FOUND],
    ['packaged action', () => ow.actions.get('p/missing'), NOT_FOUND],
    ['action in missing package', () => ow.actions.get('nopkg/missing'), NOT_FOUND],
    ['package', () => ow.packages.get('missing'), namedPackage],
    ['trigger', () => ow.triggers.get('missing'), NOT_FOUND],
    ['rule', () => ow.rules.get('missing'), NOT_FOUND],
    ['activation', () => ow.activations.get('ffffffffffffffffffffffffffffffff'), NOT_FOUND]
  ]) {
    const err = await rejectsWith(request(), 404)
    assertErrorBody(err, message)
    assert.match(err.message, /Returned HTTP 404/, what)
  }
})

test('delete, invoke and fire of missing entities are 404', async () => {
  await rejectsWith(ow.actions.delete('missing'), 404)
  await rejectsWith(ow.packages.delete('missing'), 404)
  await rejectsWith(ow.triggers.delete('missing'), 404)
  await rejectsWith(ow.rules.delete('missing'), 404)
  await rejectsWith(ow.actions.invoke({ name: 'missing' }), 404)
  await rejectsWith(ow.actions.invoke({ name: 'missing', blocking: true }), 404)
  await rejectsWith(ow.triggers.invoke({ name: 'missing' }), 404)
  await rejectsWith(ow.rules.enable({ name: 'missing' }), 404)
  await rejectsWith(ow.rules.disable({ name: 'missing' }), 404)
})

test('create of an existing entity without overwrite is 409; update succeeds', async () => {
  const conflicts = [
    () => ow.actions.create({ name: 'a', action: CODE }),
    () => ow.packages.create({ name: 'p' }),
    () => ow.triggers.create({ name: 't' }),
    () => ow.rules.create({ name: 'r', trigger: 't', action: 'a' })
  ]
  for (const request of conflicts) {
    assertErrorBody(await rejectsWith(request(), 409), 'resource already exists')
  }

  assert.equal((await ow.actions.update({ name: 'a', action: CODE })).version, '0.0.2')
  assert.equal((await ow.packages.update({ name: 'p' })).version, '0.0.2')
  assert.equal((await ow.triggers.update({ name: 't' })).version, '0.0.2')
  assert.equal((await ow.rules.update({ name: 'r', trigger: 't', action: 'a' })).version, '0.0.2')
})

test('a name taken in another collection is 409', async () => {
  const err = await rejectsWith(ow.triggers.create({ name: 'a' }), 409)
  assertErrorBody(err, 'Resource by this name exists but is not in this collection.')
  await rejectsWith(ow.actions.create({ name: 't', action: CODE }), 409)
  // reading through the wrong collection is the same conflict (the entity is not an action)
  assertErrorBody(await rejectsWith(ow.actions.get('t'), 409),
    'Resource by this name exists but is not in this collection.')
})

test('invalid credentials are 401', async () => {
  const bad = openwhisk({
    apihost: engine.url,
    api_key: '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong'
  })
  const err = await rejectsWith(bad.actions.list(), 401)
  assertErrorBody(err)
  await rejectsWith(bad.namespaces.list(), 401)
})

test('invalid list parameters are 400', async () => {
  await rejectsWith(ow.actions.list({ limit: 201 }), 400)
  await rejectsWith(ow.actions.list({ limit: -1 }), 400)
  await rejectsWith(ow.triggers.list({ skip: -1 }), 400)
  await rejectsWith(ow.activations.list({ limit: 'many' }), 400)
  assert.ok(Array.isArray(await ow.actions.list({ limit: 0 })), 'limit 0 means the maximum')
})

test('an invalid entity name is 400', async () => {
  await rejectsWith(ow.actions.create({ name: '-leading-dash', action: CODE }), 400)
})

test('namespaces.list is the caller\'s namespace; namespaces.get lists the four collections', async () => {
  assert.deepEqual(await ow.namespaces.list(), ['guest'])

  const ns = await ow.namespaces.get()
  assert.deepEqual(Object.keys(ns).sort(), ['actions', 'packages', 'rules', 'triggers'])
  assert.deepEqual(ns.actions.map(a => a.name), ['a'])
  assert.deepEqual(ns.packages.map(p => p.name), ['p'])
  assert.deepEqual(ns.triggers.map(t => t.name), ['t'])
  assert.deepEqual(ns.rules.map(r => r.name), ['r'])
})

test('ow.feeds.create against a missing feed action rejects with 404', async () => {
  const err = await rejectsWith(ow.feeds.create({
    name: 'nofeed', trigger: 't', params: { cron: '* * * * *' }
  }), 404)
  assertErrorBody(err, NOT_FOUND)
  assert.match(err.message, /^POST .*\/namespaces\/_\/actions\/nofeed Returned HTTP 404/)

  await rejectsWith(ow.feeds.create({ name: 'p/nofeed', trigger: '/guest/t' }), 404)
  await rejectsWith(ow.feeds.get({ name: 'nofeed', trigger: 't' }), 404)
  await rejectsWith(ow.feeds.delete({ name: 'nofeed', trigger: 't' }), 404)
  // nothing was recorded for the failed feed invocations
  assert.deepEqual(await ow.activations.list({ name: 'nofeed' }), [])
})
