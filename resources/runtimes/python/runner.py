# SPDX-License-Identifier: GPL-3.0-or-later
# feedscope python runner (kind python:3): one warm "container" for one action, speaking the
# OpenWhisk action-proxy protocol (PROTOCOL.md 7: /init, /run, log sentinels) over a socket on
# fd 3 instead of HTTP on port 8080 -- the same framing as runtimes/nodejs/runner.js:
#   engine -> runner  {"path":"/init"|"/run","body":{...same bodies as the HTTP proxy...}}\n
#   runner -> engine  {"status":200|403|500|502,"body":{...}}\n   (one reply per request, in order)
# Action output goes to this process's stdout/stderr; after every run (and after a failed init)
# the sentinel line is written once to each, flushed, before the reply is sent.
#
# Action contract (openwhisk-runtime-python): `main(args)` returns a dict (a list is accepted,
# None means {}). Plain code is loaded as module "main__" from <action dir>/main__.py, as the
# upstream launcher does (so `if __name__ == "__main__":` blocks do not run at init). A zip
# (binary) must hold __main__.py at its root; it is extracted to the action directory, which
# is put on sys.path, and __main__.py is loaded the same way. Only the standard library is used.

import asyncio
import base64
import binascii
import importlib.util
import inspect
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import traceback
import zipfile

# The fd-3 channel framing shared with the other runner (../common); the directory is removed
# from sys.path again so it cannot shadow the action's own modules.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'common'))
import feedscope_fdchannel  # noqa: E402
del sys.path[0]

SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX'
MODULE_NAME = 'main__'

action = None        # the resolved main function once initialised
initialised = False
action_dir = None


class InitError(Exception):
    """A load failure whose message is shown to the user as is."""


class TrackedStream:
    """Delegates to a text stream and remembers whether the last text written through it
    ended a line, so that the sentinel is never glued to an unterminated log line."""

    def __init__(self, stream):
        self._stream = stream
        self.at_line_start = True

    def write(self, text):
        n = self._stream.write(text)
        if text:
            self.at_line_start = text.endswith('\n')
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


tracked = []  # the TrackedStream wrappers of stdout and stderr


def write_sentinels():
    # Flush whatever the action buffered (it may have replaced sys.stdout/sys.stderr), then
    # write the sentinel on the real streams, on a line of its own.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    for wrapper in tracked:
        try:
            wrapper.write(('' if wrapper.at_line_start else '\n') + SENTINEL + '\n')
            wrapper.flush()
        except Exception:
            pass


# OpenWhisk's text for an action killed for memory. An allocation fails here only under the
# engine's RLIMIT_DATA backstop, when the action outgrew its limit faster than it is sampled.
MEMORY_EXHAUSTED = 'The action exhausted its memory and was aborted.'


def exception_text(e):
    text = ''.join(traceback.format_exception_only(type(e), e)).strip()
    return text or type(e).__name__


def extract_zip(data, directory):
    """Extract a zip into directory, keeping unix permission bits; refuse escaping entries."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise InitError('the action code is not a valid zip archive (%s).' % e)
    root = os.path.realpath(directory)
    with archive:
        for info in archive.infolist():
            name = info.filename
            target = os.path.realpath(os.path.join(root, name))
            if os.path.isabs(name) or (target != root and not target.startswith(root + os.sep)):
                raise InitError("the zip entry '%s' points outside the action directory." % name)
            mode = (info.external_attr >> 16) & 0xFFFF
            if info.is_dir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if stat.S_ISLNK(mode):
                link = archive.read(info).decode('utf-8')
                resolved = os.path.realpath(os.path.join(os.path.dirname(target), link))
                if os.path.isabs(link) or (resolved != root and
                                           not resolved.startswith(root + os.sep)):
                    raise InitError("the zip entry '%s' links outside the action directory."
                                    % name)
                os.symlink(link, target)
                continue
            with archive.open(info) as src, open(target, 'wb') as dst:
                shutil.copyfileobj(src, dst)
            if mode & 0o777:
                os.chmod(target, mode & 0o777)


def add_virtualenv(directory):
    # Upstream python runtimes accept a `virtualenv/` folder in the zip.
    lib = os.path.join(directory, 'virtualenv', 'lib')
    if not os.path.isdir(lib):
        return
    for entry in sorted(os.listdir(lib)):
        site = os.path.join(lib, entry, 'site-packages')
        if entry.startswith('python') and os.path.isdir(site):
            sys.path.insert(1, site)


def load_module(path):
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(MODULE_NAME, None)
        raise
    return module


def init(body):
    global action, initialised, action_dir
    value = body.get('value') if isinstance(body, dict) else None
    if not isinstance(value, dict):
        value = {}
    if initialised:
        return 403, {'error': 'Cannot initialize the action more than once.'}
    main_name = value.get('main')
    code = value.get('code')
    if not isinstance(main_name, str) or not isinstance(code, str) or code == '':
        return 403, {'error': 'Missing main/no code to execute.'}
    main_name = main_name or 'main'
    env = value.get('env')
    if isinstance(env, dict):
        for k, v in env.items():
            os.environ[str(k)] = v if isinstance(v, str) else json.dumps(v)
    try:
        directory = tempfile.mkdtemp(prefix='feedscope-action-')
        action_dir = directory
        os.chdir(directory)
        sys.path.insert(0, directory)
        if value.get('binary'):
            try:
                data = base64.b64decode(code, validate=False)
            except (binascii.Error, ValueError) as e:
                raise InitError('the action code is not valid base64 (%s).' % e)
            extract_zip(data, directory)
            entry = os.path.join(directory, '__main__.py')
            if not os.path.isfile(entry):
                raise InitError('Zipped actions must contain __main__.py at the root.')
            add_virtualenv(directory)
        else:
            entry = os.path.join(directory, MODULE_NAME + '.py')
            with open(entry, 'w', encoding='utf-8') as f:
                f.write(code)
        module = load_module(entry)
        main = getattr(module, main_name, None)
        if main is None or not callable(main):
            raise InitError("Action entrypoint '%s' is not a function." % main_name)
        action = main
        initialised = True
        return 200, {'OK': True}
    except BaseException as e:  # SystemExit from module code is a load failure too
        if isinstance(e, KeyboardInterrupt):
            raise
        if isinstance(e, InitError):
            details = str(e)
            print(details, file=sys.stderr)
        else:
            details = exception_text(e)
            traceback.print_exc(file=sys.stderr)
        write_sentinels()
        if isinstance(e, MemoryError):
            return 502, {'error': MEMORY_EXHAUSTED}
        return 502, {'error': 'Initialization has failed due to: %s' % details}


def run(body):
    if not initialised:
        return 403, {'error': 'System not initialized.'}
    value = body.get('value')
    if not isinstance(value, dict):
        return 403, {'error': 'Internal system error: value must be an object.'}
    for k, v in body.items():
        if k != 'value' and isinstance(v, str):
            os.environ['__OW_' + k.upper()] = v
    try:
        result = action(value)
        if inspect.isawaitable(result):
            async def wait(awaitable):
                return await awaitable
            result = asyncio.run(wait(result))
        if result is None:
            result = {}
        if isinstance(result, (dict, list)):
            try:
                reply = (200, feedscope_fdchannel.encode(result))
            except (TypeError, ValueError, RecursionError) as e:
                print('The result cannot be encoded as JSON: %s' % e, file=sys.stderr)
                reply = (502, {'error': 'An error has occurred: the result is not JSON '
                                        'serializable (%s)' % e})
        else:
            reply = (502, {'error': 'The action did not return a dictionary.'})
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        traceback.print_exc(file=sys.stderr)
        if isinstance(e, MemoryError):
            reply = (502, {'error': MEMORY_EXHAUSTED})
        else:
            reply = (502, {'error': 'An error has occurred: %s' % exception_text(e)})
    write_sentinels()
    return reply


def main():
    # Line-buffered output so the action's logs reach the engine as they are printed.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except Exception:
            pass
    sys.stdout = TrackedStream(sys.stdout)
    sys.stderr = TrackedStream(sys.stderr)
    tracked.extend((sys.stdout, sys.stderr))
    # The runner's own directory must not shadow the action's modules.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != here]
    try:
        feedscope_fdchannel.serve(init, run)
    finally:
        if action_dir:
            shutil.rmtree(action_dir, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # do not wait for threads the action may have left running


if __name__ == '__main__':
    main()
