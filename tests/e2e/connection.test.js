// SPDX-License-Identifier: GPL-3.0-or-later
'use strict'
// Connection pattern end to end: resources/templates/connection/feed.js deployed as demo/feed
// relays the lifecycle to feedscope-engine's built-in SSE provider (its default providerUrl),
// which keeps the sample event service's /stream open and fires the trigger per event
// (DESIGN.md "The three feed patterns", PROTOCOL.md 3; engine/providers/feedservice.h).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const h = require('./harness')

const PROVIDER_FEED = '/feedscope/v1/providers/sse/feeds/guest/t'

let engine
let service

before(async () => {
  engine = await h.startEngine()
  service = await h.startEventService()
  await h.deployTemplate(engine, 'connection/feed.js')
})

after(async () => {
  if (service) await service.stop()
  if (engine) await engine.stop()
})

const provider = () => h.api(engine, 'GET', PROVIDER_FEED)

test('CREATE registers the trigger with the SSE provider; events reach the rule', async () => {
  const result = await h.createFeedTrigger(engine, { url: `${service.url}/stream` })
  assert.deepEqual(result, { status: 'success' })

  const entry = await provider()
  assert.equal(entry.status, 200, JSON.stringify(entry.body))
  assert.equal(entry.body.config.url, `${service.url}/stream`)
  assert.equal(entry.body.status.active, true)

  await h.createEchoRule(engine)
  // The stream only carries events emitted while it is open: wait for the provider to connect.
  await h.eventually(async () => (await service.health()).streams >= 1, 'the provider\'s SSE connection')
  const event = await service.emit('order.created', { order: 7 })
  const got = await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id}`)
  assert.equal(got.event, 'order.created')
  assert.deepEqual(got.data, { order: 7 })
})

test('READ returns the provider\'s config and status', async () => {
  const result = await h.feedOk(engine, 'READ')
  assert.equal(result.config.url, `${service.url}/stream`)
  assert.equal(result.config.name, 't')
  assert.equal(result.config.namespace, 'guest')
  assert.equal(result.status.active, true)
  // The template's own parameter is not part of the feed's configuration.
  assert.equal('providerUrl' in result.config, false)
})

test('UPDATE changes the configuration through PATCH', async () => {
  const result = await h.feedOk(engine, 'UPDATE', { events: ['order.paid'] })
  assert.deepEqual(result, { status: 'success' })
  const read = await h.feedOk(engine, 'READ')
  assert.deepEqual(read.config.events, ['order.paid'])
  assert.equal(read.config.url, `${service.url}/stream`)

  await h.eventually(async () => (await service.health()).streams >= 1, 'the SSE reconnection after UPDATE')
  const event = await service.emit('order.paid', { order: 8 })
  await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id} after UPDATE`)
})

test('PAUSE and UNPAUSE map onto the provider\'s pause / resume', async () => {
  assert.deepEqual(await h.feedOk(engine, 'PAUSE'), { status: 'success' })
  let read = await h.feedOk(engine, 'READ')
  assert.equal(read.status.active, false)
  assert.equal((await provider()).body.status.active, false)

  assert.deepEqual(await h.feedOk(engine, 'UNPAUSE'), { status: 'success' })
  read = await h.feedOk(engine, 'READ')
  assert.equal(read.status.active, true)
})

test('provider errors and unsupported events are application errors', async () => {
  let { status, activation } = await h.invokeFeed(engine, 'RESTART')
  assert.equal(status, 502)
  assert.deepEqual(activation.response.result, { error: { error: 'unsupported lifecycleEvent' } })

  // The provider validates the configuration: CREATE without a url is refused (400), and the
  // provider's message becomes the error, with its status.
  await engine.ow.triggers.create({ name: 'other' })
  ;({ status, activation } = await h.invokeFeed(engine, 'CREATE', {}, 'other'))
  assert.equal(status, 502)
  assert.equal(activation.response.status, 'application error')
  assert.match(activation.response.result.error.error, /url/)
  assert.equal(activation.response.result.error.statusCode, 400)
  await engine.ow.triggers.delete({ name: 'other' })
  assert.equal((await h.api(engine, 'GET', '/feedscope/v1/providers/sse/feeds/guest/other')).status, 404)
})

test('DELETE removes the provider entry; nothing is left behind', async () => {
  const result = await h.deleteFeedTrigger(engine)
  assert.deepEqual(result, { status: 'success' })

  const entry = await provider()
  assert.equal(entry.status, 404, JSON.stringify(entry.body))
  assert.equal((await h.api(engine, 'GET', '/api/v1/namespaces/_/triggers/t')).status, 404)
  await h.eventually(async () => (await service.health()).streams === 0, 'the SSE connection to close')

  const contents = await h.namespaceContents(engine)
  assert.deepEqual(contents.triggers, [])
  assert.deepEqual(contents.rules, ['r'])
})
