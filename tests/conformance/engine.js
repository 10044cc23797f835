'use strict'
// Starts a feedscope-engine (path in $FEEDSCOPE_ENGINE) on an ephemeral port with a fresh
// data directory, and hands back an openwhisk client pointed at it.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')
const OpenWhiskError = require('openwhisk/lib/openwhisk_error')

const GUEST_KEY =
  '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP'
const LISTENING = /^feedscope-engine listening on (http:\/\/\S+)$/

// Engines still running, so that they are killed even if a test file never reaches after().
const running = new Set()
process.on('exit', () => {
  for (const engine of running) engine.cleanup()
})
// 'exit' is not emitted when a signal ends the process (ctest timeout, Ctrl-C): exit instead.
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.once(signal, () => process.exit(128 + number))
}

function startEngine () {
  const binary = process.env.FEEDSCOPE_ENGINE
  if (!binary) throw new Error('FEEDSCOPE_ENGINE must name the feedscope-engine binary')

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedscope-conformance-'))
  const child = spawn(binary, ['--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe']
  })

  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', chunk => { stderr += chunk })

  let cleaned = false
  const engine = {
    cleanup () {
      if (cleaned) return
      cleaned = true
      running.delete(engine)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  running.add(engine)

  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    let started = false

    const fail = message => {
      if (started) return
      started = true
      engine.cleanup()
      reject(new Error(`${message}\nengine stderr:\n${stderr}`))
    }

    child.once('error', err => fail(`cannot start ${binary}: ${err.message}`))
    child.once('exit', (code, signal) =>
      fail(`${binary} exited (code ${code}, signal ${signal}) before listening`))

    lines.once('line', first => {
      const match = LISTENING.exec(first)
      if (!match) {
        fail(`unexpected first stdout line from the engine: ${JSON.stringify(first)}`)
        return
      }
      started = true
      // Keep draining stdout so that the engine never blocks on a full pipe.
      lines.on('line', () => {})
      const url = match[1]
      resolve({
        url,
        key: GUEST_KEY,
        dataDir,
        ow: openwhisk({ apihost: url, api_key: GUEST_KEY }),
        stop () {
          return new Promise(resolveStop => {
            if (child.exitCode !== null || child.signalCode !== null) {
              engine.cleanup()
              resolveStop()
              return
            }
            child.once('exit', () => resolveStop())
            engine.cleanup()
          })
        }
      })
    })
  })
}

// Polls fn until it resolves (the trigger activation is written asynchronously after the 202,
// PROTOCOL.md 1.8; an action activation when its run completes). Rejections with one of the
// retryOn status codes are retried. The default bound (~60 s) only limits a hang; nothing is timed.
async function eventually (fn, { attempts = 2400, delayMs = 25, retryOn = [404] } = {}) {
  let lastError
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn()
    } catch (err) {
      if (!retryOn.includes(err.statusCode)) throw err
      lastError = err
    }
    await new Promise(resolve => setTimeout(resolve, delayMs))
  }
  throw lastError
}

// Basic auth header for raw fetch calls.
function authHeader () {
  return 'Basic ' + Buffer.from(GUEST_KEY).toString('base64')
}

// Asserts that promise rejects with an OpenWhiskError of the given HTTP status whose body is the
// OpenWhisk error shape {error, code} (PROTOCOL.md 1.3); returns the error.
async function rejectsWith (promise, statusCode) {
  let caught
  await assert.rejects(promise, err => { caught = err; return true })
  assert.ok(caught instanceof OpenWhiskError,
    `expected an OpenWhiskError, got ${caught && caught.stack}`)
  assert.equal(caught.statusCode, statusCode, caught.message)
  return caught
}

function assertErrorBody (err, message) {
  assert.equal(typeof err.error, 'object')
  if (message !== undefined) assert.equal(err.error.error, message)
  else assert.equal(typeof err.error.error, 'string')
  assert.match(err.error.code, /^[A-Za-z0-9]{32}$/)
}

const ACTIVATION_ID = /^[0-9a-f]{32}$/

module.exports = {
  startEngine, eventually, authHeader, rejectsWith, assertErrorBody, OpenWhiskError,
  GUEST_KEY, ACTIVATION_ID
}
