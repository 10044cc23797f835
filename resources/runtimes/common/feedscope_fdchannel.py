# SPDX-License-Identifier: GPL-3.0-or-later
# The runner side of feedscope-engine's action-proxy channel, shared by the python and blackbox
# runners: one JSON object per line on fd 3 (a socketpair the engine passes in), the same framing
# as runtimes/nodejs/runner.js:
#   engine -> runner  {"path":"/init"|"/run","body":{...same bodies as the HTTP proxy...}}\n
#   runner -> engine  {"status":200|403|500|502,"body":{...}}\n   (one reply per request, in order)

import io
import json
import os

CHANNEL_FD = 3


def encode(body):
    """A reply body as compact ASCII JSON; already encoded text is passed through."""
    if isinstance(body, str):
        return body
    return json.dumps(body, ensure_ascii=True, allow_nan=False, separators=(',', ':'))


def dispatch(line, init, run):
    """Routes one request line to init(body) or run(body); returns (status, body)."""
    try:
        message = json.loads(line)
    except ValueError:
        return 500, {'error': 'Bad request.'}
    if not isinstance(message, dict):
        return 500, {'error': 'Bad request.'}
    path = message.get('path')
    body = message.get('body')
    if path == '/init':
        return init(body)
    if path == '/run':
        return run(body if isinstance(body, dict) else {})
    return 500, {'error': 'Bad request.'}


def send(status, body):
    data = ('{"status":%d,"body":%s}\n' % (status, encode(body))).encode('ascii')
    view = memoryview(data)
    while view:
        n = os.write(CHANNEL_FD, view)
        view = view[n:]


def serve(init, run):
    """Answers requests until the engine closes the channel (EOF) or it breaks."""
    # Processes started by the action must not hold the channel open.
    os.set_inheritable(CHANNEL_FD, False)
    channel = io.open(CHANNEL_FD, 'rb', buffering=65536, closefd=False)
    try:
        while True:
            line = channel.readline()
            if not line or not line.endswith(b'\n'):
                break  # EOF (a trailing partial line is ignored, as in the node runner)
            status, body = dispatch(line.decode('utf-8', errors='replace'), init, run)
            send(status, body)
    except (BrokenPipeError, ConnectionResetError):
        pass
