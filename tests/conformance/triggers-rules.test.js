'use strict'
// Triggers, rules and firing through the openwhisk client, plus the raw HTTP of the two
// non-JSON answers (rule enable/disable "OK", fire 204) (PROTOCOL.md 1.8, 1.9, 2.4).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const {
  startEngine, eventually, rejectsWith, assertErrorBody, authHeader, ACTIVATION_ID
} = require('./engine')

const CODE = 'function main(params) { return params }'

let engine
let ow

before(async () => {
  engine = await startEngine()
  ow = engine.ow
  await ow.actions.create({ name: 'target', action: CODE })
  await ow.actions.create({ name: 'other', action: CODE })
})

after(async () => {
  if (engine) await engine.stop()
})

function annotation (entity, key) {
  const found = entity.annotations.find(a => a.key === key)
  return found ? found.value : undefined
}

async function triggerActivations (name) {
  return ow.activations.list({ name, limit: 200 })
}

test('create and get a trigger', async () => {
  const trigger = await ow.triggers.create({
    name: 't',
    trigger: { parameters: [{ key: 'tp', value: 'from-trigger' }] },
    annotations: { note: 'hello' }
  })
  assert.equal(trigger.namespace, 'guest')
  assert.equal(trigger.name, 't')
  assert.equal(trigger.version, '0.0.1')
  assert.equal(trigger.publish, false)
  assert.deepEqual(trigger.parameters, [{ key: 'tp', value: 'from-trigger' }])
  assert.deepEqual(trigger.limits, {})
  assert.equal(annotation(trigger, 'note'), 'hello')
  assert.equal('rules' in trigger, false, 'no rules map before a rule was attached')
  assert.equal(typeof trigger.updated, 'number')

  assert.deepEqual(await ow.triggers.get('t'), trigger)
})

test('feed annotation: a valid entity path is accepted without checking the action', async () => {
  const trigger = await ow.triggers.create({
    name: 'fed', annotations: { feed: '/whisk.system/alarms/alarm' }
  })
  assert.equal(annotation(trigger, 'feed'), '/whisk.system/alarms/alarm')

  const err = await rejectsWith(ow.triggers.create({ name: 'badfeed', annotations: { feed: 42 } }), 400)
  assertErrorBody(err, 'Feed name is not valid')
  await rejectsWith(ow.triggers.get('badfeed'), 404)
})

test('firing a trigger without rules: 204, the client resolves, no activation', async () => {
  const result = await ow.triggers.invoke({ name: 't', params: { payload: 1 } })
  // needle parses the empty 204 body into an empty Buffer; the client hands that back.
  assert.ok(Buffer.isBuffer(result), `fire without rules resolved with ${JSON.stringify(result)}`)
  assert.equal(result.length, 0)
  assert.deepEqual(await triggerActivations('t'), [])
})

test('rule create is active and is recorded in the trigger', async () => {
  const rule = await ow.rules.create({ name: 'r', trigger: 't', action: 'target' })
  assert.equal(rule.namespace, 'guest')
  assert.equal(rule.name, 'r')
  assert.equal(rule.version, '0.0.1')
  assert.equal(rule.publish, false)
  assert.equal(rule.status, 'active')
  assert.deepEqual(rule.trigger, { path: 'guest', name: 't' })
  assert.deepEqual(rule.action, { path: 'guest', name: 'target' })
  assert.deepEqual(rule.annotations, [])

  const got = await ow.rules.get('r')
  assert.equal(got.status, 'active')
  assert.deepEqual(got.trigger, rule.trigger)
  assert.deepEqual(got.action, rule.action)

  const trigger = await ow.triggers.get('t')
  assert.deepEqual(trigger.rules, {
    'guest/r': { action: { path: 'guest', name: 'target' }, status: 'active' }
  })
})

test('rule create with a missing trigger or action is 400; existing rule is 409', async () => {
  await rejectsWith(ow.rules.create({ name: 'bad1', trigger: 'nope', action: 'target' }), 400)
  await rejectsWith(ow.rules.create({ name: 'bad2', trigger: 't', action: 'nope' }), 400)
  await rejectsWith(ow.rules.get('bad1'), 404)
  await rejectsWith(ow.rules.get('bad2'), 404)

  const err = await rejectsWith(ow.rules.create({ name: 'r', trigger: 't', action: 'target' }), 409)
  assertErrorBody(err, 'resource already exists')
})

test('firing with an active rule returns an activation id and records the trigger activation', async () => {
  const fired = await ow.triggers.invoke({ name: 't', params: { temperature: 60 } })
  assert.deepEqual(Object.keys(fired), ['activationId'])
  assert.match(fired.activationId, ACTIVATION_ID)

  const activation = await eventually(() => ow.activations.get(fired.activationId))
  assert.equal(activation.activationId, fired.activationId)
  assert.equal(activation.namespace, 'guest')
  assert.equal(activation.name, 't')
  assert.equal(activation.subject, 'guest')
  assert.equal(activation.version, '0.0.1')
  assert.equal(activation.publish, false)
  assert.deepEqual(activation.annotations, [])
  assert.equal(typeof activation.start, 'number')
  assert.equal('end' in activation, false)
  assert.equal('duration' in activation, false)
  assert.equal('cause' in activation, false)
  assert.deepEqual(activation.response, {
    status: 'success', success: true, result: { temperature: 60 }
  }, 'the result is the fire payload, not merged with trigger parameters')

  assert.equal(activation.logs.length, 1)
  const entry = JSON.parse(activation.logs[0])
  assert.deepEqual(Object.keys(entry).sort(),
    ['action', 'activationId', 'rule', 'statusCode', 'success'])
  assert.equal(entry.statusCode, 0)
  assert.equal(entry.success, true)
  assert.equal(entry.rule, 'guest/r')
  assert.equal(entry.action, 'guest/target')
  assert.match(entry.activationId, ACTIVATION_ID)

  const actionActivation = await eventually(() => ow.activations.get(entry.activationId))
  assert.equal(actionActivation.name, 'target')
  assert.equal(annotation(actionActivation, 'path'), 'guest/target')
  assert.equal('cause' in actionActivation, false, 'rule-fired actions have no cause')
  assert.equal(actionActivation.response.status, 'success')
  assert.equal(actionActivation.response.success, true)
  // The echo action received the trigger parameters + the fire payload + the fire's headers.
  const { __ow_headers: headers, ...received } = actionActivation.response.result
  assert.deepEqual(received, { tp: 'from-trigger', temperature: 60 })
  assert.equal(typeof headers, 'object')
  assert.equal(headers.authorization, authHeader())
  for (const name of Object.keys(headers)) assert.equal(name, name.toLowerCase())
})

test('disable resolves with "OK" and the rule becomes inactive', async () => {
  const result = await ow.rules.disable({ name: 'r' })
  assert.equal(result, 'OK')

  assert.equal((await ow.rules.get('r')).status, 'inactive')
  assert.equal((await ow.triggers.get('t')).rules['guest/r'].status, 'inactive')

  assert.equal(await ow.rules.disable({ name: 'r' }), 'OK', 'disabling an inactive rule is fine')
})

test('firing when all rules are inactive is a 204 without activation', async () => {
  const before = (await triggerActivations('t')).length
  const result = await ow.triggers.invoke({ name: 't' })
  assert.ok(Buffer.isBuffer(result) && result.length === 0)
  assert.equal((await triggerActivations('t')).length, before)
})

test('enable resolves with "OK" and the rule becomes active again', async () => {
  assert.equal(await ow.rules.enable({ name: 'r' }), 'OK')
  assert.equal((await ow.rules.get('r')).status, 'active')
  assert.equal((await ow.triggers.get('t')).rules['guest/r'].status, 'active')
  assert.equal(await ow.rules.enable({ name: 'r' }), 'OK', 'enabling an active rule is fine')
})

test('an inactive rule next to an active one is logged as not activated', async () => {
  await ow.rules.create({ name: 'off', trigger: 't', action: 'other' })
  await ow.rules.disable({ name: 'off' })

  const fired = await ow.triggers.invoke({ name: 't', params: { n: 2 } })
  const activation = await eventually(() => ow.activations.get(fired.activationId))
  const entries = activation.logs.map(line => JSON.parse(line))
  entries.sort((a, b) => a.rule.localeCompare(b.rule))
  assert.equal(entries.length, 2)

  const [off, on] = entries
  assert.deepEqual(off, {
    statusCode: 1,
    success: false,
    error: "Rule 'guest/off' is inactive, action 'guest/other' was not activated.",
    rule: 'guest/off',
    action: 'guest/other'
  })
  assert.equal(on.rule, 'guest/r')
  assert.equal(on.statusCode, 0)
  assert.match(on.activationId, ACTIVATION_ID)
})

test('rule update keeps the stored status; list shows rules without status', async () => {
  const updated = await ow.rules.update({ name: 'off', trigger: 't', action: 'target' })
  assert.equal(updated.status, 'inactive')
  assert.deepEqual(updated.action, { path: 'guest', name: 'target' })
  assert.equal(updated.version, '0.0.2')
  assert.deepEqual((await ow.triggers.get('t')).rules['guest/off'],
    { action: { path: 'guest', name: 'target' }, status: 'inactive' })

  const all = await ow.rules.list({ limit: 200 })
  assert.deepEqual(all.map(r => r.name).sort(), ['off', 'r'])
  for (const rule of all) {
    assert.equal('status' in rule, false, 'rule list entries have no status')
    assert.deepEqual(rule.trigger, { path: 'guest', name: 't' })
  }
  assert.deepEqual((await ow.rules.list({ limit: 1, skip: 1 })).map(r => r.name),
    [all[1].name])
  assert.deepEqual(await ow.rules.list({ count: true }), { rules: 2 })
})

test('trigger update bumps the version, replaces parameters and keeps the rules', async () => {
  const updated = await ow.triggers.update({
    name: 't', trigger: { parameters: [{ key: 'tp', value: 'updated' }] }
  })
  assert.equal(updated.version, '0.0.2')
  assert.deepEqual(updated.parameters, [{ key: 'tp', value: 'updated' }])
  assert.deepEqual(Object.keys(updated.rules).sort(), ['guest/off', 'guest/r'])

  const err = await rejectsWith(ow.triggers.create({ name: 't' }), 409)
  assertErrorBody(err, 'resource already exists')
})

test('trigger list returns summaries with limit, skip and count', async () => {
  const all = await ow.triggers.list({ limit: 200 })
  assert.deepEqual(all.map(t => t.name).sort(), ['fed', 't'])
  for (const summary of all) {
    assert.deepEqual(Object.keys(summary).sort(),
      ['annotations', 'name', 'namespace', 'publish', 'updated', 'version'])
  }
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].updated >= all[i].updated, 'newest first')
  }
  assert.deepEqual((await ow.triggers.list({ limit: 1, skip: 1 })).map(t => t.name), [all[1].name])
  assert.deepEqual(await ow.triggers.list({ count: true }), { triggers: 2 })
})

test('raw HTTP: rule enable/disable answer 200 text/plain "OK"; fire answers 204 or 202', async () => {
  const base = `${engine.url}/api/v1/namespaces/_`
  const headers = { Authorization: authHeader(), 'Content-Type': 'application/json' }

  let res = await fetch(`${base}/rules/r`, {
    method: 'POST', headers, body: JSON.stringify({ status: 'inactive' })
  })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^text\/plain/)
  assert.equal(await res.text(), 'OK')
  await ow.rules.disable({ name: 'off' })

  res = await fetch(`${base}/triggers/t`, { method: 'POST', headers, body: '{"x":1}' })
  assert.equal(res.status, 204)
  assert.equal(await res.text(), '')
  assert.equal(res.headers.get('x-openwhisk-activation-id'), null)

  res = await fetch(`${base}/rules/r`, {
    method: 'POST', headers, body: JSON.stringify({ status: 'active' })
  })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^text\/plain/)
  assert.equal(await res.text(), 'OK')

  res = await fetch(`${base}/rules/r`, {
    method: 'POST', headers, body: JSON.stringify({ status: 'sleeping' })
  })
  assert.equal(res.status, 400)
  assert.equal(typeof (await res.json()).error, 'string')

  res = await fetch(`${base}/triggers/t`, { method: 'POST', headers, body: '{"x":1}' })
  assert.equal(res.status, 202)
  const body = await res.json()
  assert.match(body.activationId, ACTIVATION_ID)
  assert.equal(res.headers.get('x-openwhisk-activation-id'), body.activationId)
  assert.match(res.headers.get('x-request-id'), /^[A-Za-z0-9]{32}$/)
})

test('rule delete answers inactive and removes the trigger entry', async () => {
  const deleted = await ow.rules.delete('off')
  assert.equal(deleted.name, 'off')
  assert.equal(deleted.status, 'inactive')
  await rejectsWith(ow.rules.get('off'), 404)
  await rejectsWith(ow.rules.delete('off'), 404)
  assert.deepEqual(Object.keys((await ow.triggers.get('t')).rules), ['guest/r'])
})

test('trigger delete keeps its rules, which then report inactive and cannot be enabled', async () => {
  const deleted = await ow.triggers.delete('t')
  assert.equal(deleted.name, 't')
  await rejectsWith(ow.triggers.get('t'), 404)
  await rejectsWith(ow.triggers.invoke({ name: 't' }), 404)

  const orphan = await ow.rules.get('r')
  assert.equal(orphan.status, 'inactive')
  await rejectsWith(ow.rules.enable({ name: 'r' }), 404)

  const deletedRule = await ow.rules.delete('r')
  assert.equal(deletedRule.name, 'r')
  await rejectsWith(ow.rules.get('r'), 404)
})
