// SPDX-License-Identifier: GPL-3.0-or-later
'use strict'
// Tests of the sample third-party event service (resources/samples/event-service.js): its
// emit API, the polling face (GET /events), the hook face (webhook registration and delivery),
// the connection face (SSE), the built-in generator (--rate) and clean shutdown on signals.
// Node's built-in test runner only; the service runs as a child process on an ephemeral port.

const { test, describe, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const http = require('node:http')
const path = require('node:path')
const readline = require('node:readline')

const SERVICE = path.join(__dirname, '..', '..', 'resources', 'samples', 'event-service.js')
const LISTENING = /^event-service listening on (http:\/\/127\.0\.0\.1:(\d+))$/
const DEADLINE_MS = 15000 // generous: these are deadlines, not timing requirements

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

// Every child started, so that a crash of the test process still kills them.
const children = new Set()
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

// Starts the service with the given extra arguments; resolves to { url, child, exited, stderr }.
function startService (args = []) {
  const child = spawn(process.execPath, [SERVICE, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.add(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', chunk => { stderr += chunk })
  const exited = new Promise(resolve => {
    child.once('exit', (code, signal) => { children.delete(child); resolve({ code, signal }) })
  })

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`event-service did not report listening within ${DEADLINE_MS} ms\n${stderr}`))
    }, DEADLINE_MS)
    child.once('error', err => { clearTimeout(timer); reject(err) })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`event-service exited (code ${code}, signal ${signal}) before listening\n${stderr}`))
    })
    const lines = readline.createInterface({ input: child.stdout })
    lines.once('line', first => {
      clearTimeout(timer)
      lines.on('line', () => {}) // keep draining stdout
      const match = LISTENING.exec(first)
      if (!match) {
        child.kill('SIGKILL')
        reject(new Error(`unexpected first stdout line: ${JSON.stringify(first)}`))
        return
      }
      assert.notEqual(Number(match[2]), 0)
      resolve({ url: match[1], child, exited, stderr: () => stderr })
    })
  })
}

async function stopService (service) {
  if (!service) return
  const { child, exited } = service
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await exited
}

// One HTTP request; body objects are sent as JSON, strings as they are. Resolves to
// { status, headers, text, json }.
function request (method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined
      : (typeof body === 'string' ? body : JSON.stringify(body))
    const req = http.request(url, {
      method,
      agent: false,
      headers: payload === undefined ? headers
        : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...headers }
    }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { text += chunk })
      res.on('end', () => {
        let json
        try { json = text.length > 0 ? JSON.parse(text) : undefined } catch (e) { json = undefined }
        resolve({ status: res.statusCode, headers: res.headers, text, json })
      })
    })
    req.setTimeout(DEADLINE_MS, () => req.destroy(new Error(`${method} ${url}: no answer`)))
    req.on('error', reject)
    req.end(payload)
  })
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// Polls check() until it returns a truthy value (returned) or the deadline passes.
async function waitFor (what, check, deadlineMs = DEADLINE_MS) {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

async function emit (url, body, query = '') {
  const res = await request('POST', `${url}/emit${query}`, body)
  assert.equal(res.status, 201, res.text)
  return res.json
}

// A local HTTP server standing in for a webhook receiver (an OpenWhisk trigger URL).
// `status` is the answer it gives; every request is recorded with its headers and JSON body.
async function startReceiver (status = 202) {
  const received = []
  const server = http.createServer((req, res) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', chunk => { text += chunk })
    req.on('end', () => {
      let body
      try { body = JSON.parse(text) } catch (e) { body = text }
      received.push({ method: req.method, url: req.url, headers: req.headers, body })
      res.writeHead(receiver.status, { 'Content-Type': 'application/json' })
      res.end('{}')
    })
  })
  const receiver = {
    status,
    received,
    url: null,
    bodies (pathname) {
      return received.filter(r => pathname === undefined || r.url === pathname).map(r => r.body)
    },
    close () {
      return new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
    }
  }
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${server.address().port}`
  return receiver
}

// A port nobody listens on: bind an ephemeral port and release it.
async function deadPort () {
  const server = http.createServer()
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise(resolve => server.close(resolve))
  return port
}

// Opens an SSE stream; `events` fills with {id, event, data} as frames arrive, `comments` with
// comment lines. Resolves once the response headers are in.
function openStream (url, headers = {}) {
  return new Promise((resolve, reject) => {
    const stream = { events: [], comments: [], ended: false, status: null, headers: null, req: null }
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false }, res => {
      stream.status = res.statusCode
      stream.headers = res.headers
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', chunk => {
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = {}
          let isEvent = false
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) { stream.comments.push(line.slice(1).trim()); continue }
            const colon = line.indexOf(':')
            const field = colon < 0 ? line : line.slice(0, colon)
            let value = colon < 0 ? '' : line.slice(colon + 1)
            if (value.startsWith(' ')) value = value.slice(1)
            if (field === 'data') { event.data = JSON.parse(value); isEvent = true } else event[field] = value
          }
          if (isEvent) stream.events.push(event)
        }
      })
      res.on('end', () => { stream.ended = true })
      res.on('close', () => { stream.ended = true })
      resolve(stream)
    })
    stream.req = req
    stream.close = () => req.destroy()
    req.on('error', err => { if (stream.status === null) reject(err) })
  })
}

// ---------------------------------------------------------------------------------------------
// One shared service for the API tests (they run in order, each with its own types and cursors)
// ---------------------------------------------------------------------------------------------

describe('event service API', () => {
  let service
  let url
  const receivers = []

  before(async () => {
    service = await startService()
    url = service.url
  })

  after(async () => {
    for (const receiver of receivers) await receiver.close()
    await stopService(service)
  })

  async function receiver (status) {
    const r = await startReceiver(status)
    receivers.push(r)
    return r
  }

  async function lastEventId () {
    return (await request('GET', `${url}/health`)).json.events
  }

  test('GET / describes the endpoints and GET /health reports the state', async () => {
    const root = await request('GET', `${url}/`)
    assert.equal(root.status, 200)
    assert.match(root.headers['content-type'], /^application\/json/)
    assert.equal(typeof root.json.endpoints, 'object')
    assert.ok(Object.keys(root.json.endpoints).some(k => k.includes('/events')))

    const health = await request('GET', `${url}/health`)
    assert.equal(health.status, 200)
    assert.equal(health.json.ok, true)
    assert.equal(health.json.events, 0)
    assert.equal(health.json.webhooks, 0)
    assert.equal(health.json.streams, 0)
    assert.equal(health.json.rate, 0)
  })

  test('POST /emit stores events with increasing ids and the documented shape', async () => {
    const first = await emit(url, { type: 'order.created', data: { order: 42 } })
    assert.equal(first.id, '1')
    assert.deepEqual(Object.keys(first.event).sort(), ['data', 'id', 'time', 'type'])
    assert.equal(first.event.id, '1')
    assert.equal(first.event.type, 'order.created')
    assert.deepEqual(first.event.data, { order: 42 })
    assert.equal(new Date(first.event.time).toISOString(), first.event.time)

    // Neither "type" nor "data": the whole body is the data, the type is the default.
    const second = await emit(url, { hello: 'world' })
    assert.equal(second.id, '2')
    assert.equal(second.event.type, 'message')
    assert.deepEqual(second.event.data, { hello: 'world' })

    // Only a type: data is null. A non-object body is the data.
    const third = await emit(url, { type: 'ping' })
    assert.equal(third.event.data, null)
    const fourth = await emit(url, [1, 2, 3])
    assert.deepEqual(fourth.event.data, [1, 2, 3])
    const fifth = await emit(url, undefined)
    assert.equal(fifth.event.type, 'message')

    const ids = [first, second, third, fourth, fifth].map(e => Number(e.id))
    assert.deepEqual(ids, [1, 2, 3, 4, 5])

    const batch = await emit(url, { type: 'batch' }, '?count=3')
    assert.equal(batch.count, 3)
    assert.deepEqual(batch.ids, ['6', '7', '8'])
    assert.equal(batch.id, '8')
    assert.deepEqual(batch.event.data, { n: 3 })
    const listed = await request('GET', `${url}/events?since=5`)
    assert.deepEqual(listed.json.events.map(e => e.data), [{ n: 1 }, { n: 2 }, { n: 3 }])
    assert.ok(listed.json.events.every(e => e.type === 'batch'))

    assert.equal((await lastEventId()), 8)
  })

  test('POST /emit rejects bad input', async () => {
    for (const [query, body] of [['', { type: 42 }], ['', { type: '' }], ['', { type: 'a\nb' }],
      ['?count=0', {}], ['?count=x', {}], ['?count=1000000', {}]]) {
      const res = await request('POST', `${url}/emit${query}`, body)
      assert.equal(res.status, 400, `${query} ${JSON.stringify(body)}: ${res.text}`)
      assert.equal(typeof res.json.error, 'string')
    }
    const wrongMethod = await request('GET', `${url}/emit`)
    assert.equal(wrongMethod.status, 405)
    assert.equal(wrongMethod.headers.allow, 'POST')
  })

  test('GET /events: since, limit, cursor, type', async () => {
    const all = await request('GET', `${url}/events`)
    assert.equal(all.status, 200)
    assert.equal(all.json.events[0].id, '1') // since missing: everything retained
    const ids = all.json.events.map(e => Number(e.id))
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b))
    assert.equal(all.json.cursor, all.json.events[all.json.events.length - 1].id)

    const base = await lastEventId()
    await emit(url, { type: 'poll.a', data: 1 })
    await emit(url, { type: 'poll.b', data: 2 })
    await emit(url, { type: 'poll.a', data: 3 })
    await emit(url, { type: 'poll.b', data: 4 })
    await emit(url, { type: 'poll.a', data: 5 })

    // Page through with limit=2, following the cursor.
    const seen = []
    let cursor = String(base)
    for (let page = 0; page < 3; ++page) {
      const res = await request('GET', `${url}/events?since=${cursor}&limit=2`)
      assert.equal(res.status, 200)
      assert.ok(res.json.events.length <= 2)
      for (const e of res.json.events) assert.ok(Number(e.id) > Number(cursor))
      seen.push(...res.json.events.map(e => e.data))
      cursor = res.json.cursor
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5])
    assert.equal(cursor, String(base + 5))

    // Nothing new: no events, the cursor stays where it was.
    const empty = await request('GET', `${url}/events?since=${cursor}`)
    assert.deepEqual(empty.json, { events: [], cursor })
    const future = await request('GET', `${url}/events?since=999999`)
    assert.deepEqual(future.json, { events: [], cursor: '999999' })

    // Type filter; the cursor is the last returned event's id.
    const onlyA = await request('GET', `${url}/events?since=${base}&type=poll.a`)
    assert.deepEqual(onlyA.json.events.map(e => e.data), [1, 3, 5])
    assert.equal(onlyA.json.cursor, String(base + 5))
    const onlyB = await request('GET', `${url}/events?since=${base}&type=poll.b&limit=1`)
    assert.deepEqual(onlyB.json.events.map(e => e.data), [2])
    assert.equal(onlyB.json.cursor, String(base + 2))
  })

  test('GET /events: limit defaults to 100 and is capped at 1000', async () => {
    await emit(url, { type: 'bulk' }, '?count=1000')
    await emit(url, { type: 'bulk' }, '?count=200')
    const byDefault = await request('GET', `${url}/events?type=bulk`)
    assert.equal(byDefault.json.events.length, 100)
    const capped = await request('GET', `${url}/events?type=bulk&limit=5000`)
    assert.equal(capped.json.events.length, 1000)
  })

  test('GET /events: a bad since or limit is a 400', async () => {
    for (const query of ['since=abc', 'since=-1', 'since=', 'since=1.5', 'limit=0', 'limit=x']) {
      const res = await request('GET', `${url}/events?${query}`)
      assert.equal(res.status, 400, query)
      assert.equal(typeof res.json.error, 'string')
    }
  })

  test('webhook: registered URL receives events with the registered Authorization header', async () => {
    const r = await receiver()
    const auth = 'Basic ' + Buffer.from('user:s3cret-password').toString('base64')
    const created = await request('POST', `${url}/webhooks`, {
      url: `${r.url}/api/v1/namespaces/_/triggers/t1`,
      headers: { Authorization: auth }
    })
    assert.equal(created.status, 201, created.text)
    const hook = created.json
    assert.equal(typeof hook.id, 'string')
    assert.equal(hook.url, `${r.url}/api/v1/namespaces/_/triggers/t1`)
    assert.equal(hook.types, null)
    assert.equal(new Date(hook.created).toISOString(), hook.created)
    assert.equal(hook.headers.Authorization, 'Basic ***')
    assert.ok(!created.text.includes('s3cret'))

    const { event } = await emit(url, { type: 'order.created', data: { order: 7 } })
    await waitFor('the webhook delivery', () => r.received.length >= 1)
    const delivery = r.received[0]
    assert.equal(delivery.method, 'POST')
    assert.equal(delivery.url, '/api/v1/namespaces/_/triggers/t1')
    assert.equal(delivery.headers.authorization, auth)
    assert.match(delivery.headers['content-type'], /^application\/json/)
    assert.deepEqual(delivery.body, event)

    const stats = await waitFor('the delivery statistics', async () => {
      const res = await request('GET', `${url}/webhooks/${hook.id}`)
      return res.json.deliveries === 1 ? res.json : null
    })
    assert.equal(stats.failures, 0)
    assert.equal(stats.lastStatus, 202)
    assert.equal(stats.lastError, null)

    await request('DELETE', `${url}/webhooks/${hook.id}`)
  })

  test('webhook: listings never show header values in full', async () => {
    const r = await receiver()
    const auth = 'Basic ' + Buffer.from('lister:very-secret').toString('base64')
    const created = await request('POST', `${url}/webhooks`, {
      url: r.url, headers: { Authorization: auth, 'X-Api-Key': 'key-123456' }
    })
    assert.equal(created.status, 201)
    for (const res of [await request('GET', `${url}/webhooks`), await request('GET', `${url}/webhooks/${created.json.id}`)]) {
      assert.equal(res.status, 200)
      assert.ok(!res.text.includes(auth.slice(6)), 'the credentials must not be listed')
      assert.ok(!res.text.includes('key-123456'), 'header values must not be listed')
    }
    const listing = (await request('GET', `${url}/webhooks`)).json
    assert.ok(Array.isArray(listing.webhooks))
    const mine = listing.webhooks.find(h => h.id === created.json.id)
    assert.equal(mine.headers.Authorization, 'Basic ***')
    assert.equal(mine.headers['X-Api-Key'], '***')

    // The stored values are still the real ones for delivery.
    await emit(url, { type: 'masked' })
    await waitFor('the delivery', () => r.received.length >= 1)
    assert.equal(r.received[0].headers.authorization, auth)
    assert.equal(r.received[0].headers['x-api-key'], 'key-123456')
    await request('DELETE', `${url}/webhooks/${created.json.id}`)
  })

  test('webhook: the types filter selects which events are delivered', async () => {
    const r = await receiver()
    const filtered = await request('POST', `${url}/webhooks`, { url: `${r.url}/filtered`, types: ['order.created', 'order.paid'] })
    assert.equal(filtered.status, 201)
    assert.deepEqual(filtered.json.types, ['order.created', 'order.paid'])
    const all = await request('POST', `${url}/webhooks`, { url: `${r.url}/all` })

    await emit(url, { type: 'order.shipped', data: 'a' })
    await emit(url, { type: 'order.created', data: 'b' })
    await emit(url, { type: 'other', data: 'c' })
    await emit(url, { type: 'order.paid', data: 'd' })

    await waitFor('all deliveries', () => r.bodies('/all').length >= 4 && r.bodies('/filtered').length >= 2)
    await sleep(300) // let any (wrong) extra delivery arrive
    assert.deepEqual(r.bodies('/filtered').map(e => e.data).sort(), ['b', 'd'])
    assert.deepEqual(r.bodies('/all').map(e => e.data).sort(), ['a', 'b', 'c', 'd'])

    await request('DELETE', `${url}/webhooks/${filtered.json.id}`)
    await request('DELETE', `${url}/webhooks/${all.json.id}`)
  })

  test('webhook: after DELETE no more deliveries', async () => {
    const r = await receiver()
    const gone = (await request('POST', `${url}/webhooks`, { url: `${r.url}/gone` })).json
    const kept = (await request('POST', `${url}/webhooks`, { url: `${r.url}/kept` })).json

    await emit(url, { type: 'before.delete' })
    await waitFor('the first deliveries', () => r.bodies('/gone').length === 1 && r.bodies('/kept').length === 1)

    const deleted = await request('DELETE', `${url}/webhooks/${gone.id}`)
    assert.equal(deleted.status, 204)
    assert.equal(deleted.text, '')
    assert.equal((await request('DELETE', `${url}/webhooks/${gone.id}`)).status, 404)
    const missing = await request('GET', `${url}/webhooks/${gone.id}`)
    assert.equal(missing.status, 404)
    assert.equal(typeof missing.json.error, 'string')
    const listing = (await request('GET', `${url}/webhooks`)).json.webhooks
    assert.ok(!listing.some(h => h.id === gone.id))

    await emit(url, { type: 'after.delete' })
    await emit(url, { type: 'after.delete' })
    await waitFor('the kept webhook deliveries', () => r.bodies('/kept').length === 3)
    await sleep(300)
    assert.equal(r.bodies('/gone').length, 1)
    await request('DELETE', `${url}/webhooks/${kept.id}`)
  })

  test('webhook: a dead URL counts a failure (after one retry)', async () => {
    const port = await deadPort()
    const dead = (await request('POST', `${url}/webhooks`, { url: `http://127.0.0.1:${port}/nobody` })).json
    await emit(url, { type: 'to.nowhere' })
    const stats = await waitFor('the failure to be counted', async () => {
      const res = await request('GET', `${url}/webhooks/${dead.id}`)
      return res.json.failures >= 1 ? res.json : null
    })
    assert.equal(stats.failures, 1)
    assert.equal(stats.deliveries, 0)
    assert.equal(stats.lastStatus, null)
    assert.equal(typeof stats.lastError, 'string')
    assert.ok(stats.lastError.length > 0)
    await request('DELETE', `${url}/webhooks/${dead.id}`)
  })

  test('webhook: a 5xx answer is retried once, a 4xx is not', async () => {
    const failing = await receiver(503)
    const hook = (await request('POST', `${url}/webhooks`, { url: `${failing.url}/busy` })).json
    await emit(url, { type: 'retry.me' })
    const stats = await waitFor('the failure after the retry', async () => {
      const res = await request('GET', `${url}/webhooks/${hook.id}`)
      return res.json.failures >= 1 ? res.json : null
    })
    assert.equal(failing.received.length, 2)
    assert.deepEqual(failing.received[0].body, failing.received[1].body)
    assert.equal(stats.lastStatus, 503)
    assert.equal(stats.deliveries, 0)
    await request('DELETE', `${url}/webhooks/${hook.id}`)

    const refusing = await receiver(403)
    const hook2 = (await request('POST', `${url}/webhooks`, { url: `${refusing.url}/no` })).json
    await emit(url, { type: 'no.retry' })
    const stats2 = await waitFor('the 4xx failure', async () => {
      const res = await request('GET', `${url}/webhooks/${hook2.id}`)
      return res.json.failures >= 1 ? res.json : null
    })
    assert.equal(stats2.lastStatus, 403)
    await sleep(1500) // a retry would come after 1 s
    assert.equal(refusing.received.length, 1)
    await request('DELETE', `${url}/webhooks/${hook2.id}`)
  })

  test('webhook: registration validates its input', async () => {
    for (const body of [{}, { url: 'ftp://example.com/x' }, { url: 'not a url' }, { url: 42 },
      { url: 'http://127.0.0.1:1/', headers: 'x' }, { url: 'http://127.0.0.1:1/', headers: { A: 1 } },
      { url: 'http://127.0.0.1:1/', headers: { 'Bad Name': 'v' } },
      { url: 'http://127.0.0.1:1/', types: 'a' }, { url: 'http://127.0.0.1:1/', types: [1] }, [1]]) {
      const res = await request('POST', `${url}/webhooks`, body)
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`)
      assert.equal(typeof res.json.error, 'string')
    }
    assert.equal((await request('GET', `${url}/webhooks/no-such-id`)).status, 404)
    assert.equal((await request('PUT', `${url}/webhooks/no-such-id`)).status, 405)
  })

  test('SSE: events arrive live, as id / event / data frames', async () => {
    const stream = await openStream(`${url}/stream`)
    try {
      assert.equal(stream.status, 200)
      assert.match(stream.headers['content-type'], /^text\/event-stream/)
      await waitFor('the stream to be registered', async () => (await request('GET', `${url}/health`)).json.streams === 1)

      const a = (await emit(url, { type: 'live.one', data: { x: 1 } })).event
      const b = (await emit(url, { type: 'live.two', data: 'text' })).event
      await waitFor('two live events', () => stream.events.length >= 2)
      assert.deepEqual(stream.events, [
        { id: a.id, event: 'live.one', data: { x: 1 } },
        { id: b.id, event: 'live.two', data: 'text' }
      ])
    } finally {
      stream.close()
    }
    await waitFor('the closed stream to be removed', async () => (await request('GET', `${url}/health`)).json.streams === 0)
  })

  test('SSE: Last-Event-ID (header or ?lastEventId=) replays retained events first', async () => {
    const first = (await emit(url, { type: 'replay', data: 1 })).event
    await emit(url, { type: 'replay', data: 2 })
    await emit(url, { type: 'replay', data: 3 })

    const stream = await openStream(`${url}/stream?types=replay`, { 'Last-Event-ID': first.id })
    const viaQuery = await openStream(`${url}/stream?types=replay&lastEventId=${first.id}`)
    try {
      await waitFor('the replay', () => stream.events.length >= 2 && viaQuery.events.length >= 2)
      await emit(url, { type: 'replay', data: 4 })
      await waitFor('the live event after the replay', () => stream.events.length >= 3 && viaQuery.events.length >= 3)
      for (const s of [stream, viaQuery]) {
        assert.deepEqual(s.events.map(e => e.data), [2, 3, 4])
        assert.deepEqual(s.events.map(e => Number(e.id)),
          [Number(first.id) + 1, Number(first.id) + 2, Number(first.id) + 3])
      }
    } finally {
      stream.close()
      viaQuery.close()
    }

    const bad = await request('GET', `${url}/stream`, undefined, { 'Last-Event-ID': 'nonsense' })
    assert.equal(bad.status, 400)
  })

  test('SSE: ?types= filters the stream', async () => {
    const stream = await openStream(`${url}/stream?types=sse.a,sse.c`)
    try {
      await waitFor('the stream to be registered', async () => (await request('GET', `${url}/health`)).json.streams >= 1)
      await emit(url, { type: 'sse.a', data: 'a' })
      await emit(url, { type: 'sse.b', data: 'b' })
      await emit(url, { type: 'sse.c', data: 'c' })
      // Frames are written in emit order, so once "c" is in, "b" would have been seen already.
      await waitFor('the filtered events', () => stream.events.length >= 2)
      assert.deepEqual(stream.events.map(e => e.event), ['sse.a', 'sse.c'])
      assert.deepEqual(stream.events.map(e => e.data), ['a', 'c'])
    } finally {
      stream.close()
    }
  })

  test('bad JSON is a 400, an unknown route a 404', async () => {
    for (const route of ['/emit', '/webhooks', '/rate']) {
      const res = await request('POST', `${url}${route}`, '{"not json')
      assert.equal(res.status, 400, route)
      assert.match(res.json.error, /JSON/)
    }
    for (const [method, route] of [['GET', '/nope'], ['POST', '/emit/extra'], ['GET', '/webhooks/a/b'], ['DELETE', '/']]) {
      const res = await request(method, `${url}${route}`)
      if (route === '/') {
        assert.equal(res.status, 405)
      } else {
        assert.equal(res.status, 404, `${method} ${route}`)
        assert.equal(typeof res.json.error, 'string')
      }
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The generator and the default type, in a service of their own
// ---------------------------------------------------------------------------------------------

describe('event service generator (--rate, --type, POST /rate)', () => {
  let service
  let url

  before(async () => {
    service = await startService(['--rate', '20', '--type', 'demo.tick', '--heartbeat', '0.5'])
    url = service.url
  })

  after(async () => {
    await stopService(service)
  })

  async function health () {
    return (await request('GET', `${url}/health`)).json
  }

  test('--rate emits events of the --type with data {n}', async () => {
    assert.equal((await health()).rate, 20)
    await waitFor('generated events', async () => (await health()).events >= 5)
    const { events } = (await request('GET', `${url}/events`)).json
    assert.ok(events.length >= 5)
    assert.ok(events.every(e => e.type === 'demo.tick'))
    const ns = events.map(e => e.data.n)
    assert.deepEqual(ns, ns.map((_, i) => i + 1))
  })

  test('POST /rate changes the rate at runtime; 0 stops', async () => {
    const stopped = await request('POST', `${url}/rate`, { perSecond: 0 })
    assert.equal(stopped.status, 200)
    assert.equal(stopped.json.perSecond, 0)
    assert.equal((await health()).rate, 0)
    const before = (await health()).events
    await sleep(400)
    assert.equal((await health()).events, before)

    const restarted = await request('POST', `${url}/rate`, { perSecond: 50 })
    assert.equal(restarted.status, 200)
    assert.equal((await request('GET', `${url}/rate`)).json.perSecond, 50)
    await waitFor('events at the new rate', async () => (await health()).events >= before + 5)
    await request('POST', `${url}/rate`, { perSecond: 0 })

    for (const body of [{}, { perSecond: -1 }, { perSecond: 'fast' }, { perSecond: 1e9 }]) {
      assert.equal((await request('POST', `${url}/rate`, body)).status, 400, JSON.stringify(body))
    }
  })

  test('--type is also the default type of POST /emit', async () => {
    const { event } = await emit(url, { some: 'data' })
    assert.equal(event.type, 'demo.tick')
    assert.deepEqual(event.data, { some: 'data' })
  })

  test('SSE sends ": keep-alive" heartbeats', async () => {
    const stream = await openStream(`${url}/stream`)
    try {
      await waitFor('a heartbeat', () => stream.comments.includes('keep-alive'))
    } finally {
      stream.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Command line and signals
// ---------------------------------------------------------------------------------------------

describe('event service process', () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} stops the process cleanly, with a stream open`, async () => {
      const service = await startService()
      try {
        const stream = await openStream(`${service.url}/stream`)
        await emit(service.url, { type: 'bye' })
        await waitFor('the event', () => stream.events.length === 1)
        service.child.kill(signal)
        let timer
        const { code, signal: bySignal } = await Promise.race([
          service.exited,
          new Promise((resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`no exit after ${signal}`)), DEADLINE_MS)
          })
        ]).finally(() => clearTimeout(timer))
        assert.equal(code, 0, service.stderr())
        assert.equal(bySignal, null)
        await waitFor('the stream to end', () => stream.ended)
      } finally {
        await stopService(service)
      }
    })
  }

  test('--state keeps webhooks and event ids across a restart', async () => {
    const fs = require('node:fs')
    const os = require('node:os')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-service-'))
    const state = path.join(dir, 'state.json')
    const received = []
    const receiver = http.createServer((req, res) => {
      let body = ''
      req.on('data', chunk => { body += chunk })
      req.on('end', () => { received.push({ auth: req.headers.authorization, event: JSON.parse(body) }); res.end() })
    })
    await new Promise(resolve => receiver.listen(0, '127.0.0.1', resolve))
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`
    let service = await startService(['--state', state])
    try {
      const hook = await request('POST', `${service.url}/webhooks`,
        { url: hookUrl, headers: { Authorization: 'Basic a2V5' }, types: ['kept'] })
      assert.equal(hook.status, 201)
      await emit(service.url, { type: 'kept' })
      const { event: last } = await emit(service.url, { type: 'kept' })
      await waitFor('two deliveries', () => received.length === 2)
      service.child.kill('SIGTERM')
      await service.exited
      assert.equal(fs.statSync(state).mode & 0o077, 0, 'the state file is private')

      service = await startService(['--state', state])
      const hooks = (await request('GET', `${service.url}/webhooks`)).json.webhooks
      assert.equal(hooks.length, 1)
      assert.equal(hooks[0].id, hook.json.id)
      assert.deepEqual(hooks[0].types, ['kept'])
      const { event: next } = await emit(service.url, { type: 'kept' })
      assert.equal(Number(next.id), Number(last.id) + 1, 'ids continue after a restart')
      await waitFor('the delivery after the restart', () => received.length === 3)
      assert.equal(received[2].auth, 'Basic a2V5')
      assert.equal(received[2].event.id, next.id)
      // A cursor from before the restart still means "after that event".
      const polled = (await request('GET', `${service.url}/events?since=${last.id}`)).json.events
      assert.deepEqual(polled.map(e => e.id), [next.id])
    } finally {
      await stopService(service)
      receiver.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('bad arguments are refused with exit code 2', async () => {
    const child = spawn(process.execPath, [SERVICE, '--port', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    let stderr = ''
    child.stderr.on('data', chunk => { stderr += chunk })
    const code = await new Promise(resolve => child.once('exit', resolve))
    children.delete(child)
    assert.equal(code, 2)
    assert.match(stderr, /bad port/)
  })
})
