'use strict'
// Packages and bindings through the openwhisk client (PROTOCOL.md 1.4, 1.7).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { startEngine, rejectsWith, assertErrorBody } = require('./engine')

const CODE = 'function main(params) { return params }'

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

test('create and get a package', async () => {
  const pkg = await ow.packages.create({
    name: 'p',
    package: { parameters: [{ key: 'x', value: 1 }, { key: 'shared', value: 'package' }] },
    annotations: { description: 'test package' }
  })
  assert.equal(pkg.namespace, 'guest')
  assert.equal(pkg.name, 'p')
  assert.equal(pkg.version, '0.0.1')
  assert.equal(pkg.publish, false)
  assert.deepEqual(pkg.binding, {})
  assert.deepEqual(pkg.parameters, [{ key: 'x', value: 1 }, { key: 'shared', value: 'package' }])
  assert.equal(annotation(pkg, 'description'), 'test package')
  assert.equal(typeof pkg.updated, 'number')

  const got = await ow.packages.get('p')
  assert.equal(got.name, 'p')
  assert.deepEqual(got.binding, {})
  assert.deepEqual(got.parameters, pkg.parameters)
  assert.deepEqual(got.actions, [])
  assert.deepEqual(got.feeds, [])
})

test('package get lists its actions and, separately, its feed actions', async () => {
  await ow.actions.create({ name: 'p/a', action: CODE })
  await ow.actions.create({ name: 'p/f', action: CODE, annotations: { feed: true } })

  const action = await ow.actions.get('p/a')
  assert.equal(action.name, 'a')
  assert.equal(action.namespace, 'guest/p')

  const got = await ow.packages.get('p')
  assert.deepEqual(got.actions.map(a => a.name), ['a'])
  assert.deepEqual(got.feeds.map(a => a.name), ['f'])
  for (const entry of [...got.actions, ...got.feeds]) {
    assert.deepEqual(Object.keys(entry).sort(), ['annotations', 'name', 'version'])
    assert.equal(entry.version, '0.0.1')
  }
  assert.equal(annotation(got.feeds[0], 'feed'), true)
})

test('a binding references its package and get merges parameters and contents', async () => {
  const binding = await ow.packages.create({
    name: 'b',
    package: {
      binding: { namespace: 'guest', name: 'p' },
      parameters: [{ key: 'shared', value: 'binding' }, { key: 'y', value: 2 }]
    }
  })
  assert.equal(binding.name, 'b')
  assert.equal(binding.namespace, 'guest')
  assert.deepEqual(binding.binding, { namespace: 'guest', name: 'p' })
  assert.deepEqual(annotation(binding, 'binding'), { namespace: 'guest', name: 'p' })

  const got = await ow.packages.get('b')
  assert.equal(got.name, 'b')
  assert.deepEqual(got.binding, { namespace: 'guest', name: 'p' })
  const params = Object.fromEntries(got.parameters.map(p => [p.key, p.value]))
  assert.deepEqual(params, { x: 1, shared: 'binding', y: 2 },
    'package parameters overridden by binding parameters')
  assert.deepEqual(got.actions.map(a => a.name), ['a'])
  assert.deepEqual(got.feeds.map(a => a.name), ['f'])
})

test('binding validation: missing target is 400, binding to a binding is 400', async () => {
  const missing = await rejectsWith(ow.packages.create({
    name: 'dangling', package: { binding: { namespace: 'guest', name: 'nope' } }
  }), 400)
  assertErrorBody(missing, 'Binding references a package that does not exist.')

  await rejectsWith(ow.packages.create({
    name: 'b2', package: { binding: { namespace: 'guest', name: 'b' } }
  }), 400)
  await rejectsWith(ow.packages.get('b2'), 404)
})

test('turning an existing package into a binding is 409', async () => {
  await ow.packages.create({ name: 'plain' })
  await rejectsWith(ow.packages.update({
    name: 'plain', package: { binding: { namespace: 'guest', name: 'p' } }
  }), 409)
})

test('actions cannot be created through a binding', async () => {
  await rejectsWith(ow.actions.create({ name: 'b/x', action: CODE }), 400)
})

test('update bumps the version and replaces parameters', async () => {
  await ow.packages.create({ name: 'upd', package: { parameters: [{ key: 'old', value: 1 }] } })
  const updated = await ow.packages.update({
    name: 'upd', package: { parameters: [{ key: 'new', value: 2 }] }
  })
  assert.equal(updated.version, '0.0.2')
  assert.deepEqual(updated.parameters, [{ key: 'new', value: 2 }])
  const got = await ow.packages.get('upd')
  assert.deepEqual(got.parameters, [{ key: 'new', value: 2 }])
})

test('create of an existing package without overwrite is 409', async () => {
  const err = await rejectsWith(ow.packages.create({ name: 'p' }), 409)
  assertErrorBody(err, 'resource already exists')
})

test('list returns summaries with binding false or the binding, limit, skip and count', async () => {
  const all = await ow.packages.list({ limit: 200 })
  const names = all.map(p => p.name)
  for (const name of ['p', 'b', 'plain', 'upd']) assert.ok(names.includes(name), `${name} is listed`)
  for (const summary of all) {
    assert.deepEqual(Object.keys(summary).sort(),
      ['annotations', 'binding', 'name', 'namespace', 'publish', 'updated', 'version'])
  }
  assert.equal(all.find(p => p.name === 'p').binding, false)
  assert.deepEqual(all.find(p => p.name === 'b').binding, { namespace: 'guest', name: 'p' })
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].updated >= all[i].updated, 'newest first')
  }

  const page = await ow.packages.list({ limit: 1, skip: 1 })
  assert.deepEqual(page.map(p => p.name), names.slice(1, 2))

  assert.deepEqual(await ow.packages.list({ count: true }), { packages: all.length })
})

test('delete: non-empty package is 409, bindings and empty packages are deleted', async () => {
  const busy = await rejectsWith(ow.packages.delete('p'), 409)
  assert.match(busy.error.error, /^Package not empty/)

  const deletedBinding = await ow.packages.delete('b')
  assert.equal(deletedBinding.name, 'b')
  await rejectsWith(ow.packages.get('b'), 404)

  await ow.actions.delete('p/a')
  await ow.actions.delete('p/f')
  const deleted = await ow.packages.delete('p')
  assert.equal(deleted.name, 'p')
  await rejectsWith(ow.packages.get('p'), 404)
  await rejectsWith(ow.packages.delete('p'), 404)
})
