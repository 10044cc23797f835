// SPDX-License-Identifier: GPL-3.0-or-later
'use strict'
// End-to-end harness: starts a feedscope-engine (path in $FEEDSCOPE_ENGINE) on an ephemeral port
// with a fresh data directory, and the sample event service (resources/samples/event-service.js)
// on another; deploys a feed template as a package like `wsk` would, and drives the feed
// lifecycle the way `wsk trigger create/get/update/delete` does (PROTOCOL.md 3.2, 3.3).
// The engine start-up follows tests/conformance/engine.js.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')

const ROOT = path.resolve(__dirname, '..', '..')
const TEMPLATES = path.join(ROOT, 'resources', 'templates')
const EVENT_SERVICE = path.join(ROOT, 'resources', 'samples', 'event-service.js')

const GUEST_KEY =
  '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP'
const ENGINE_LISTENING = /^feedscope-engine listening on (http:\/\/\S+)$/
const SERVICE_LISTENING = /^event-service listening on (http:\/\/\S+)$/

// Generous deadline of every "eventually" wait: it only bounds a hang, nothing is timed.
const DEADLINE_MS = 90000

// Child processes still running, killed even if a test file never reaches after().
const running = new Set()
process.on('exit', () => {
  for (const child of running) child.cleanup()
})
// 'exit' is not emitted when a signal ends the process (ctest timeout, Ctrl-C): exit instead.
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.once(signal, () => process.exit(128 + number))
}

// Spawns a program whose first stdout line announces its URL; resolves to {url, stop, output}.
function startProcess ({ command, args, listening, what, onCleanup }) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', chunk => { stderr += chunk })

  let cleaned = false
  const handle = {
    cleanup () {
      if (cleaned) return
      cleaned = true
      running.delete(handle)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      if (onCleanup) onCleanup()
    }
  }
  running.add(handle)

  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    let started = false
    const fail = message => {
      if (started) return
      started = true
      handle.cleanup()
      reject(new Error(`${message}\n${what} stderr:\n${stderr}`))
    }
    child.once('error', err => fail(`cannot start ${what}: ${err.message}`))
    child.once('exit', (code, signal) =>
      fail(`${what} exited (code ${code}, signal ${signal}) before listening`))
    lines.once('line', first => {
      const match = listening.exec(first)
      if (!match) {
        fail(`unexpected first stdout line from ${what}: ${JSON.stringify(first)}`)
        return
      }
      started = true
      lines.on('line', () => {}) // keep draining stdout
      resolve({
        url: match[1],
        stderr: () => stderr,
        stop () {
          return new Promise(resolveStop => {
            if (child.exitCode !== null || child.signalCode !== null) {
              handle.cleanup()
              resolveStop()
              return
            }
            child.once('exit', () => resolveStop())
            handle.cleanup()
          })
        }
      })
    })
  })
}

async function startEngine () {
  const binary = process.env.FEEDSCOPE_ENGINE
  if (!binary) throw new Error('FEEDSCOPE_ENGINE must name the feedscope-engine binary')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedscope-e2e-'))
  const proc = await startProcess({
    command: binary,
    args: ['--port', '0', '--data', dataDir],
    listening: ENGINE_LISTENING,
    what: binary,
    onCleanup: () => fs.rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    ...proc,
    key: GUEST_KEY,
    dataDir,
    ow: openwhisk({ apihost: proc.url, api_key: GUEST_KEY })
  }
}

async function startEventService () {
  const proc = await startProcess({
    command: process.execPath,
    args: [EVENT_SERVICE, '--port', '0'],
    listening: SERVICE_LISTENING,
    what: 'event-service'
  })
  const json = async (method, route, body) => {
    const response = await fetch(proc.url + route, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }
  return {
    ...proc,
    json,
    // POST /emit → the event {id, type, time, data}
    async emit (type, data) {
      const { status, body } = await json('POST', '/emit', { type, data })
      assert.equal(status, 201, JSON.stringify(body))
      return body.event
    },
    async webhooks () {
      const { status, body } = await json('GET', '/webhooks')
      assert.equal(status, 200)
      return body.webhooks
    },
    async health () {
      return (await json('GET', '/health')).body
    }
  }
}

function authHeader () {
  return 'Basic ' + Buffer.from(GUEST_KEY).toString('base64')
}

// Raw call on the engine with the guest key: {status, body}.
async function api (engine, method, route, body) {
  const response = await fetch(engine.url + route, {
    method,
    headers: {
      Authorization: authHeader(),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  let parsed = null
  try { parsed = text ? JSON.parse(text) : null } catch (e) { parsed = text }
  return { status: response.status, body: parsed }
}

// Deploys a template as `wsk package create demo -p k v...` +
// `wsk action create demo/feed <file> --kind nodejs:20 -a feed true`.
async function deployTemplate (engine, file, packageParams = {}) {
  const code = fs.readFileSync(path.join(TEMPLATES, file), 'utf8')
  await engine.ow.packages.create({
    name: 'demo',
    package: {
      parameters: Object.entries(packageParams).map(([key, value]) => ({ key, value }))
    }
  })
  await engine.ow.actions.create({
    name: 'demo/feed',
    action: code,
    kind: 'nodejs:20',
    annotations: { feed: true }
  })
}

// Invokes the feed action as the CLI does: POST ...?blocking=true&result=false with the
// lifecycle parameters. Answers {status, activation}.
async function invokeFeed (engine, lifecycleEvent, params = {}, trigger = 't', feed = 'demo/feed') {
  const { status, body } = await api(engine, 'POST',
    `/api/v1/namespaces/_/actions/${feed}?blocking=true&result=false`,
    { ...params, lifecycleEvent, triggerName: `/_/${trigger}`, authKey: GUEST_KEY })
  return { status, activation: body }
}

// A successful feed invocation's result (asserts HTTP 200 and response.success).
async function feedOk (engine, lifecycleEvent, params, trigger) {
  const { status, activation } = await invokeFeed(engine, lifecycleEvent, params, trigger)
  assert.equal(status, 200, `${lifecycleEvent}: HTTP ${status} ${JSON.stringify(activation)}`)
  assert.equal(activation.response.success, true,
    `${lifecycleEvent}: ${JSON.stringify(activation.response)}\nlogs: ${JSON.stringify(activation.logs)}`)
  return activation.response.result
}

// `wsk trigger create T --feed demo/feed -p ...`: PUT the trigger with the feed annotation, then
// CREATE; on failure the CLI's rollback (DELETE through the feed, then the trigger).
async function createFeedTrigger (engine, params, trigger = 't') {
  const put = await api(engine, 'PUT', `/api/v1/namespaces/_/triggers/${trigger}?overwrite=false`, {
    name: trigger,
    annotations: [{ key: 'feed', value: '/_/demo/feed' }]
  })
  assert.equal(put.status, 200, JSON.stringify(put.body))
  const { status, activation } = await invokeFeed(engine, 'CREATE', params, trigger)
  if (status !== 200 || !activation.response || !activation.response.success) {
    await invokeFeed(engine, 'DELETE', params, trigger)
    await api(engine, 'DELETE', `/api/v1/namespaces/_/triggers/${trigger}`)
    assert.fail(`CREATE failed: HTTP ${status} ${JSON.stringify(activation)}`)
  }
  return activation.response.result
}

// `wsk trigger delete T`: the feed's DELETE (its outcome returned), then the trigger.
async function deleteFeedTrigger (engine, params = {}, trigger = 't') {
  const result = await feedOk(engine, 'DELETE', params, trigger)
  const del = await api(engine, 'DELETE', `/api/v1/namespaces/_/triggers/${trigger}`)
  assert.equal(del.status, 200, JSON.stringify(del.body))
  return result
}

// The echo action and the rule t → echo.
async function createEchoRule (engine, trigger = 't') {
  await engine.ow.actions.create({ name: 'echo', action: 'function main(params) { return params }' })
  await engine.ow.rules.create({ name: 'r', trigger, action: 'echo' })
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// Polls fn until it returns a truthy value (returned); a generous deadline only bounds a hang.
async function eventually (fn, what, { deadlineMs = DEADLINE_MS, delayMs = 100 } = {}) {
  const end = Date.now() + deadlineMs
  let last
  for (;;) {
    try {
      last = await fn()
      if (last) return last
    } catch (err) {
      last = err
    }
    if (Date.now() > end) {
      assert.fail(`timed out waiting for ${what}; last: ${last && last.stack ? last.stack : JSON.stringify(last)}`)
    }
    await sleep(delayMs)
  }
}

// Full records of the echo action's activations, oldest first.
async function echoActivations (engine) {
  const list = await engine.ow.activations.list({ name: 'echo', docs: true, limit: 200 })
  return list.slice().sort((a, b) => a.start - b.start)
}

// Waits for the echo activation whose result has the given id; answers its result.
async function echoed (engine, matches, what) {
  const activation = await eventually(async () => {
    const all = await echoActivations(engine)
    return all.find(a => a.response && a.response.result && matches(a.response.result))
  }, what)
  return activation.response.result
}

// Names of the entities of the namespace, per collection.
async function namespaceContents (engine) {
  const [actions, triggers, rules, packages] = await Promise.all([
    engine.ow.actions.list({ limit: 200 }),
    engine.ow.triggers.list({ limit: 200 }),
    engine.ow.rules.list({ limit: 200 }),
    engine.ow.packages.list({ limit: 200 })
  ])
  return {
    actions: actions.map(a => a.name).sort(),
    triggers: triggers.map(t => t.name).sort(),
    rules: rules.map(r => r.name).sort(),
    packages: packages.map(p => p.name).sort()
  }
}

module.exports = {
  ROOT,
  TEMPLATES,
  GUEST_KEY,
  startEngine,
  startEventService,
  api,
  deployTemplate,
  invokeFeed,
  feedOk,
  createFeedTrigger,
  deleteFeedTrigger,
  createEchoRule,
  eventually,
  echoActivations,
  echoed,
  namespaceContents,
  sleep
}
