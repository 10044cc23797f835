// SPDX-License-Identifier: GPL-3.0-or-later
'use strict'
// Hook pattern end to end: resources/templates/hook/feed.js deployed as demo/feed with the
// sample event service's URL bound on the package; the service POSTs events straight to the
// trigger's fire URL, the rule runs echo (DESIGN.md "The three feed patterns", PROTOCOL.md 3, 5.2).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const h = require('./harness')

let engine
let service
let fireUrl

before(async () => {
  engine = await h.startEngine()
  service = await h.startEventService()
  fireUrl = `${engine.url}/api/v1/namespaces/guest/triggers/t`
  await h.deployTemplate(engine, 'hook/feed.js', { serviceUrl: service.url })
})

after(async () => {
  if (service) await service.stop()
  if (engine) await engine.stop()
})

const ours = async () => (await service.webhooks()).filter(w => w.url === fireUrl)

test('the package lists the template as a feed', async () => {
  const pkg = await engine.ow.packages.get('demo')
  assert.deepEqual(pkg.parameters, [{ key: 'serviceUrl', value: service.url }])
  // An action with a `feed` annotation is listed under `feeds` (PROTOCOL.md 1.7).
  const feed = pkg.feeds.find(a => a.name === 'feed')
  assert.ok(feed, JSON.stringify(pkg))
  assert.equal(feed.annotations.find(a => a.key === 'feed').value, true)
})

test('CREATE registers the trigger URL with Basic auth; events reach the rule', async () => {
  const result = await h.createFeedTrigger(engine, {})
  assert.equal(result.status, 'success')
  assert.equal(typeof result.webhook, 'string')

  const hooks = await ours()
  assert.equal(hooks.length, 1, JSON.stringify(hooks))
  assert.equal(hooks[0].id, result.webhook)
  assert.deepEqual(hooks[0].headers, { Authorization: 'Basic ***' })
  assert.equal(hooks[0].types, null)

  await h.createEchoRule(engine)
  const event = await service.emit('order.created', { order: 42 })
  const got = await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id}`)
  assert.equal(got.type, 'order.created')
  assert.equal(got.time, event.time)
  assert.deepEqual(got.data, { order: 42 })

  // The service saw a 2xx from the engine (202: the rule is active).
  const [hook] = await ours()
  assert.equal(hook.lastStatus, 202)
  assert.equal(hook.lastError, null)
})

test('READ reports the registration', async () => {
  const result = await h.feedOk(engine, 'READ')
  assert.equal(result.status.active, true)
  assert.equal(result.config.serviceUrl, service.url)
  assert.equal(result.config.url, fireUrl)
  assert.equal(result.config.webhooks.length, 1)
  assert.equal(result.config.webhooks[0].url, fireUrl)
})

test('UPDATE re-registers with the new types', async () => {
  const [before] = await ours()
  const result = await h.feedOk(engine, 'UPDATE', { types: ['order.created', 'order.paid'] })
  assert.equal(result.status, 'success')
  assert.deepEqual(result.replaced, [before.id])
  const hooks = await ours()
  assert.equal(hooks.length, 1)
  assert.notEqual(hooks[0].id, before.id)
  assert.deepEqual(hooks[0].types, ['order.created', 'order.paid'])

  const event = await service.emit('order.paid', { order: 43 })
  await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id} after UPDATE`)

  // UPDATE without anything to update is refused.
  const { status, activation } = await h.invokeFeed(engine, 'UPDATE')
  assert.equal(status, 502)
  assert.match(activation.response.result.error.error, /no updatable parameters/)
})

test('PAUSE removes the registration, UNPAUSE brings it back', async () => {
  const paused = await h.feedOk(engine, 'PAUSE')
  assert.equal(paused.status, 'success')
  assert.equal(paused.deleted.length, 1)
  assert.deepEqual(await ours(), [])
  const read = await h.feedOk(engine, 'READ')
  assert.equal(read.status.active, false)
  assert.deepEqual(read.config.webhooks, [])

  // UPDATE does not resume a paused feed.
  const { status } = await h.invokeFeed(engine, 'UPDATE', { types: ['x'] })
  assert.equal(status, 502)
  assert.deepEqual(await ours(), [])

  const resumed = await h.feedOk(engine, 'UNPAUSE')
  assert.equal(resumed.status, 'success')
  assert.equal((await ours()).length, 1)
  const event = await service.emit('order.shipped', { order: 44 })
  await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id} after UNPAUSE`)
})

test('an unsupported lifecycleEvent is an application error', async () => {
  const { status, activation } = await h.invokeFeed(engine, 'RESTART')
  assert.equal(status, 502)
  assert.equal(activation.response.status, 'application error')
  assert.deepEqual(activation.response.result, { error: { error: 'unsupported lifecycleEvent' } })
})

test('errors of the service surface as {error}', async () => {
  // A serviceUrl that answers 404 to /webhooks.
  const { status, activation } = await h.invokeFeed(engine, 'READ', { serviceUrl: `${service.url}/nowhere` })
  assert.equal(status, 502)
  assert.match(activation.response.result.error.error, /answered 404/)
})

test('DELETE unregisters; nothing is left behind', async () => {
  const result = await h.deleteFeedTrigger(engine)
  assert.equal(result.status, 'success')
  assert.equal(result.deleted.length, 1)
  assert.equal(result.message, undefined)
  assert.deepEqual(await service.webhooks(), [])
  assert.equal((await h.api(engine, 'GET', '/api/v1/namespaces/_/triggers/t')).status, 404)

  // A second DELETE (a CLI rollback, a retry) succeeds and says there was nothing.
  const again = await h.feedOk(engine, 'DELETE')
  assert.deepEqual(again.deleted, [])
  assert.match(again.message, /no webhook registration/)

  const contents = await h.namespaceContents(engine)
  assert.deepEqual(contents.triggers, [])
  assert.deepEqual(contents.packages, ['demo'])
})
