// SPDX-License-Identifier: GPL-3.0-or-later
'use strict'
// Polling pattern end to end: resources/templates/polling/feed.js deployed as demo/feed with the
// sample event service's URL bound on the package. CREATE builds t-poll (action), t-tick (trigger
// fed by /whisk.system/alarms/alarm) and t-poll-rule; the poll action reads GET /events?since=
// and fires t once per new event; DELETE removes all of it (DESIGN.md "The three feed patterns").

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const h = require('./harness')

const CRON = '* * * * * *' // every second (6 fields, seconds allowed by the engine's alarms)

let engine
let service
let oldEvent

before(async () => {
  engine = await h.startEngine()
  service = await h.startEventService()
  await h.deployTemplate(engine, 'polling/feed.js', { serviceUrl: service.url })
})

after(async () => {
  if (service) await service.stop()
  if (engine) await engine.stop()
})

function param (entity, key) {
  const found = (entity.parameters || []).find(p => p.key === key)
  return found ? found.value : undefined
}

function annotation (entity, key) {
  const found = (entity.annotations || []).find(a => a.key === key)
  return found ? found.value : undefined
}

test('poll.js is the poll action that feed.js carries', () => {
  // feed.js sends pollMain's source as the poll action's code; poll.js must stay the same.
  const feed = require(path.join(h.TEMPLATES, 'polling', 'feed.js'))
  const poll = require(path.join(h.TEMPLATES, 'polling', 'poll.js'))
  assert.equal(poll.main.toString(), feed.pollMain.toString())
  assert.ok(feed.POLL_SOURCE.includes(feed.pollMain.toString()))
  assert.match(feed.POLL_SOURCE, /exports\.main = pollMain;/)
})

test('CREATE makes the poll action, the alarm-fed tick trigger and the rule', async () => {
  // An event from before the feed existed: not fired (the default start is "now").
  oldEvent = await service.emit('order.created', { order: 'old' })

  const result = await h.createFeedTrigger(engine, { cron: CRON })
  assert.equal(result.status, 'success')
  assert.equal(result.pollAction, '/guest/t-poll')
  assert.equal(result.tickTrigger, '/guest/t-tick')
  assert.equal(result.rule, '/guest/t-poll-rule')
  assert.equal(result.cursor, oldEvent.id)

  const poll = await engine.ow.actions.get('t-poll')
  assert.equal(param(poll, 'serviceUrl'), service.url)
  assert.equal(param(poll, 'triggerName'), '/guest/t')
  assert.equal(param(poll, 'tickTrigger'), '/guest/t-tick')
  assert.equal(annotation(poll, 'provide-api-key'), true)

  const tick = await engine.ow.triggers.get('t-tick')
  assert.equal(annotation(tick, 'feed'), '/whisk.system/alarms/alarm')
  assert.equal(param(tick, 'cursor'), oldEvent.id)

  const rule = await engine.ow.rules.get('t-poll-rule')
  assert.equal(rule.status, 'active')
  assert.deepEqual(rule.trigger, { path: 'guest', name: 't-tick' })
  assert.deepEqual(rule.action, { path: 'guest', name: 't-poll' })

  const alarm = await h.api(engine, 'GET', '/feedscope/v1/providers/alarms/feeds/guest/t-tick')
  assert.equal(alarm.status, 200, JSON.stringify(alarm.body))
  assert.equal(alarm.body.config.cron, CRON)
})

test('new events are fired once each, in order, and the cursor follows', async () => {
  await h.createEchoRule(engine)
  const events = []
  for (let i = 1; i <= 3; i++) events.push(await service.emit('order.created', { order: i }))

  for (const event of events) {
    const got = await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id}`)
    assert.equal(got.type, 'order.created')
    assert.equal(got.time, event.time)
    assert.deepEqual(got.data, event.data)
  }
  const last = events[events.length - 1].id
  await h.eventually(async () => param(await engine.ow.triggers.get('t-tick'), 'cursor') === last,
    `the cursor to reach ${last}`)

  const echoes = (await h.echoActivations(engine)).map(a => a.response.result.id)
  assert.deepEqual(echoes, events.map(e => e.id), 'each new event once, oldest first; not the old one')
  assert.equal(echoes.includes(oldEvent.id), false)
})

test('READ reports the entities, the cursor and the schedule', async () => {
  const result = await h.feedOk(engine, 'READ')
  assert.equal(result.config.serviceUrl, service.url)
  assert.equal(result.config.pollAction, '/guest/t-poll')
  assert.equal(result.config.tickTrigger, '/guest/t-tick')
  assert.equal(result.config.rule, '/guest/t-poll-rule')
  assert.equal(result.config.cron, CRON)
  assert.equal(result.config.cursor, param(await engine.ow.triggers.get('t-tick'), 'cursor'))
  assert.equal(result.status.active, true)
  assert.equal(result.status.rule, 'active')
})

test('PAUSE stops polling; UNPAUSE catches up from the cursor', async () => {
  const paused = await h.feedOk(engine, 'PAUSE')
  assert.equal(paused.status, 'success')
  assert.equal((await engine.ow.rules.get('t-poll-rule')).status, 'inactive')
  const read = await h.feedOk(engine, 'READ')
  assert.equal(read.status.active, false)
  assert.equal(read.status.rule, 'inactive')

  const event = await service.emit('order.paid', { order: 'while paused' })
  const resumed = await h.feedOk(engine, 'UNPAUSE')
  assert.equal(resumed.status, 'success')
  assert.equal((await engine.ow.rules.get('t-poll-rule')).status, 'active')
  const got = await h.echoed(engine, r => r.id === event.id, `echo of event ${event.id} after UNPAUSE`)
  assert.deepEqual(got.data, { order: 'while paused' })
})

test('UPDATE changes the types and the schedule', async () => {
  const result = await h.feedOk(engine, 'UPDATE', { types: ['order.shipped'], cron: '*/2 * * * * *' })
  assert.equal(result.status, 'success')
  assert.deepEqual(result.changed.sort(), ['cron', 'types'])
  assert.deepEqual(param(await engine.ow.actions.get('t-poll'), 'types'), ['order.shipped'])
  const alarm = await h.api(engine, 'GET', '/feedscope/v1/providers/alarms/feeds/guest/t-tick')
  assert.equal(alarm.body.config.cron, '*/2 * * * * *')

  // Only the subscribed type is fired; the cursor moves past both.
  await service.emit('order.created', { order: 'filtered out' })
  const shipped = await service.emit('order.shipped', { order: 'shipped' })
  await h.echoed(engine, r => r.id === shipped.id, `echo of event ${shipped.id} after UPDATE`)
  const echoes = (await h.echoActivations(engine)).map(a => a.response.result.type)
  assert.equal(echoes.filter(t => t === 'order.created').length, 3, JSON.stringify(echoes))
})

test('an unsupported lifecycleEvent is an application error', async () => {
  const { status, activation } = await h.invokeFeed(engine, 'RESTART')
  assert.equal(status, 502)
  assert.deepEqual(activation.response.result, { error: { error: 'unsupported lifecycleEvent' } })
})

test('DELETE removes the alarm, the tick trigger, the rule and the poll action', async () => {
  const result = await h.deleteFeedTrigger(engine)
  assert.equal(result.status, 'success')
  assert.deepEqual(result.skipped, [])
  assert.deepEqual(result.absent, [])
  assert.ok(result.deleted.includes('/guest/t-tick'))
  assert.ok(result.deleted.includes('/guest/t-poll-rule'))
  assert.ok(result.deleted.includes('/guest/t-poll'))

  const alarm = await h.api(engine, 'GET', '/feedscope/v1/providers/alarms/feeds/guest/t-tick')
  assert.equal(alarm.status, 404, JSON.stringify(alarm.body))
  for (const route of ['triggers/t-tick', 'triggers/t', 'rules/t-poll-rule', 'actions/t-poll']) {
    const got = await h.api(engine, 'GET', `/api/v1/namespaces/_/${route}`)
    assert.equal(got.status, 404, `${route}: ${JSON.stringify(got.body)}`)
  }
  const contents = await h.namespaceContents(engine)
  assert.deepEqual(contents.triggers, [])
  assert.deepEqual(contents.rules, ['r'])
  assert.deepEqual(contents.actions.filter(a => a !== 'feed'), ['echo'])

  // A second DELETE finds nothing and says so.
  const again = await h.feedOk(engine, 'DELETE')
  assert.deepEqual(again.deleted, [])
  assert.match(again.message, /no polling feed entities/)
})

test('a failed CREATE rolls back what it made', async () => {
  // The alarm step fails on an invalid cron: the poll action and the tick trigger made before
  // it are removed again.
  const put = await h.api(engine, 'PUT', '/api/v1/namespaces/_/triggers/u?overwrite=false',
    { name: 'u', annotations: [{ key: 'feed', value: '/_/demo/feed' }] })
  assert.equal(put.status, 200)
  const { status, activation } = await h.invokeFeed(engine, 'CREATE', { cron: 'not a cron' }, 'u')
  assert.equal(status, 502)
  assert.match(activation.response.result.error.error, /CREATE failed \(rolled back\)/)
  for (const route of ['triggers/u-tick', 'rules/u-poll-rule', 'actions/u-poll']) {
    const got = await h.api(engine, 'GET', `/api/v1/namespaces/_/${route}`)
    assert.equal(got.status, 404, `${route}: ${JSON.stringify(got.body)}`)
  }
  assert.equal((await h.api(engine, 'DELETE', '/api/v1/namespaces/_/triggers/u')).status, 200)
})
