# SPDX-License-Identifier: GPL-3.0-or-later
# feedscope blackbox runner (kind blackbox / native executables): one warm "container" for one
# action, following the OpenWhisk docker-skeleton contract (openwhisk-runtime-docker
# actionproxy.py) but speaking the action-proxy protocol over a socket on fd 3 with the same
# framing as runtimes/nodejs/runner.js:
#   engine -> runner  {"path":"/init"|"/run","body":{...same bodies as the HTTP proxy...}}\n
#   runner -> engine  {"status":200|403|500|502,"body":{...}}\n   (one reply per request, in order)
#
# /init: binary=true -> base64 zip with an executable `exec` at its root (extracted with its
#        permission bits; `exec` is made executable). A base64 payload that is not a zip but
#        an ELF file or a "#!" script is taken as `exec` itself. binary=false -> the code must
#        be a script starting with "#!"; it is written as `exec`.
# /run:  `exec` is started in the action directory, in this process group, with the JSON
#        params as argv[1] (omitted when longer than MAX_ARG_STRLEN) and also on stdin, env =
#        this environment + __OW_* of the run. Its stdout lines except the last non-empty one
#        and all of its stderr are forwarded to our stdout/stderr as they arrive (the action's
#        logs); the last non-empty stdout line is the result and must be a JSON object (or
#        array). After each run (and after a failed init) the sentinel line is written once
#        to stdout and once to stderr, flushed, before the reply is sent.

import base64
import binascii
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

# The fd-3 channel framing shared with the other runner (../common); the directory is removed
# from sys.path again so it cannot shadow the action's own modules.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'common'))
import feedscope_fdchannel  # noqa: E402
del sys.path[0]

SENTINEL = b'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n'
MAX_ARG_STRLEN = 131071   # linux/binfmts.h, as in the skeleton's actionproxy.py
DRAIN_GRACE = 2.0         # seconds to wait for output pipes held open by orphaned children

initialised = False
action_dir = None
executable = None
out_lock = threading.Lock()


class InitError(Exception):
    pass


def write_out(data):
    with out_lock:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def write_err(data):
    sys.stderr.buffer.write(data)
    sys.stderr.buffer.flush()


def log_err(text):
    write_err((text.rstrip('\n') + '\n').encode('utf-8', errors='replace'))


def write_sentinels():
    with out_lock:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
                stream.buffer.write(SENTINEL)
                stream.buffer.flush()
            except Exception:
                pass


def inside(root, target):
    return target == root or target.startswith(root + os.sep)


def extract_zip(archive, directory):
    """Extract into directory keeping unix permission bits; refuse entries escaping it."""
    root = os.path.realpath(directory)
    with archive:
        for info in archive.infolist():
            name = info.filename
            target = os.path.realpath(os.path.join(root, name))
            if os.path.isabs(name) or not inside(root, target):
                raise InitError("the zip entry '%s' points outside the action directory." % name)
            mode = (info.external_attr >> 16) & 0xFFFF
            if info.is_dir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if stat.S_ISLNK(mode):
                link = archive.read(info).decode('utf-8')
                resolved = os.path.realpath(os.path.join(os.path.dirname(target), link))
                if os.path.isabs(link) or not inside(root, resolved):
                    raise InitError("the zip entry '%s' links outside the action directory."
                                    % name)
                os.symlink(link, target)
                continue
            with archive.open(info) as src, open(target, 'wb') as dst:
                shutil.copyfileobj(src, dst)
            if mode & 0o7777:
                os.chmod(target, mode & 0o7777)


def init(body):
    global initialised, action_dir, executable
    value = body.get('value') if isinstance(body, dict) else None
    if not isinstance(value, dict):
        value = {}
    if initialised:
        return 403, {'error': 'Cannot initialize the action more than once.'}
    main_name = value.get('main')
    code = value.get('code')
    if not isinstance(main_name, str) or not isinstance(code, str) or code == '':
        return 403, {'error': 'Missing main/no code to execute.'}
    env = value.get('env')
    if isinstance(env, dict):
        for k, v in env.items():
            os.environ[str(k)] = v if isinstance(v, str) else json.dumps(v)
    try:
        directory = tempfile.mkdtemp(prefix='feedscope-action-')
        action_dir = directory
        target = os.path.join(directory, 'exec')
        if value.get('binary'):
            try:
                data = base64.b64decode(code, validate=False)
            except (binascii.Error, ValueError) as e:
                raise InitError('the action code is not valid base64 (%s).' % e)
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                archive = None
            if archive is not None:
                extract_zip(archive, directory)
            elif data.startswith(b'\x7fELF') or data.startswith(b'#!'):
                with open(target, 'wb') as f:
                    f.write(data)
            else:
                raise InitError('the action code is not a zip archive (nor an executable '
                                'or a "#!" script).')
        else:
            if not code.startswith('#!'):
                raise InitError('the action code must be a zip (binary) or a script starting '
                                'with "#!".')
            with open(target, 'w', encoding='utf-8') as f:
                f.write(code)
        if not os.path.isfile(target):
            raise InitError("the zip has no executable 'exec' at its root.")
        os.chmod(target, stat.S_IMODE(os.stat(target).st_mode) | 0o755)
        executable = target
        initialised = True
        return 200, {'OK': True}
    except Exception as e:
        details = str(e) if isinstance(e, InitError) else '%s: %s' % (type(e).__name__, e)
        log_err(details)
        write_sentinels()
        return 502, {'error': 'Initialization has failed due to: %s' % details}


class StdoutCollector:
    """Forwards the child's stdout line by line, holding back the last non-empty line (and
    any empty lines after it) until a later non-empty line shows it was a log line."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.held = []          # [last non-empty line, trailing empty lines...]
        self.lock = threading.Lock()
        self.closed = False     # once taken, later output goes straight to the logs
        self.thread = threading.Thread(target=self.pump, daemon=True)
        self.thread.start()

    def pump(self):
        try:
            for line in iter(self.pipe.readline, b''):
                if not line.endswith(b'\n'):
                    line += b'\n'
                with self.lock:
                    if self.closed:
                        write_out(line)
                    elif line.strip():
                        if self.held:
                            write_out(b''.join(self.held))
                        self.held = [line]
                    elif self.held:
                        self.held.append(line)
                    else:
                        write_out(line)  # leading empty lines are plain logs
        except (OSError, ValueError):
            pass

    def take(self):
        """The held-back last non-empty line (bytes without newline) or None."""
        with self.lock:
            self.closed = True
            held, self.held = self.held, []
        return held[0].rstrip(b'\r\n') if held else None


def pump_stderr(pipe):
    try:
        for line in iter(pipe.readline, b''):
            if not line.endswith(b'\n'):
                line += b'\n'
            write_err(line)
    except (OSError, ValueError):
        pass


def feed_stdin(pipe, data):
    try:
        pipe.write(data)
    except (OSError, ValueError):
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


def describe_status(returncode):
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = 'signal %d' % -returncode
        return 'the action was killed by %s' % name
    return 'the action exited with status %d' % returncode


def run(body):
    if not initialised:
        return 403, {'error': 'System not initialized.'}
    value = body.get('value')
    if not isinstance(value, dict):
        return 403, {'error': 'Internal system error: value must be an object.'}
    for k, v in body.items():
        if k != 'value' and isinstance(v, str):
            os.environ['__OW_' + k.upper()] = v
    params = json.dumps(value, ensure_ascii=False, separators=(',', ':'))
    argv = [executable]
    if len(params.encode('utf-8')) <= MAX_ARG_STRLEN:
        argv.append(params)
    try:
        child = subprocess.Popen(argv, cwd=action_dir, env=dict(os.environ),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, close_fds=True)
    except OSError as e:
        log_err("Cannot execute the action's 'exec': %s" % e)
        write_sentinels()
        return 502, {'error': "An error has occurred: cannot execute the action's 'exec': %s"
                              % e}
    threading.Thread(target=feed_stdin, args=(child.stdin, params.encode('utf-8')),
                     daemon=True).start()
    collector = StdoutCollector(child.stdout)
    err_thread = threading.Thread(target=pump_stderr, args=(child.stderr,), daemon=True)
    err_thread.start()
    returncode = child.wait()
    # A background process the action left behind may keep the pipes open: do not wait for
    # it past a short grace period (what it prints later lands in the next logs).
    deadline = time.monotonic() + DRAIN_GRACE
    collector.thread.join(DRAIN_GRACE)
    err_thread.join(max(0.0, deadline - time.monotonic()))
    last = collector.take()

    result = None
    if last is not None:
        try:
            parsed = json.loads(last.decode('utf-8', errors='replace'))
            if isinstance(parsed, (dict, list)):
                result = parsed
        except ValueError:
            pass
    if result is not None:
        try:
            encoded = json.dumps(result, ensure_ascii=True, allow_nan=False,
                                 separators=(',', ':'))
            reply = (200, encoded)
        except ValueError as e:  # NaN/Infinity cannot be sent to the engine
            write_out(last + b'\n')
            reply = (502, {'error': 'The action did not produce a valid JSON response: %s' % e})
    else:
        if last is not None:
            write_out(last + b'\n')  # as the skeleton does: the non-JSON last line is a log
        if returncode != 0:
            text = describe_status(returncode)
            if last is not None:
                text += ': ' + last.decode('utf-8', errors='replace')[:512]
            reply = (502, {'error': 'The action did not produce a valid JSON response: %s'
                                    % text})
        else:
            reply = (502, {'error': 'The action did not return a dictionary.'})
    write_sentinels()
    return reply


def main():
    try:
        feedscope_fdchannel.serve(init, run)
    finally:
        if action_dir:
            shutil.rmtree(action_dir, ignore_errors=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


if __name__ == '__main__':
    main()
