// SPDX-License-Identifier: GPL-3.0-or-later
// Actions run as local processes: the nodejs, python and blackbox runners, the action-proxy
// contract they implement, warm reuse and per-action limits (PROTOCOL.md 1.6, 2.1-2.3, 7).
#include "feedtesting.h"
#include "testzip.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

// "<30-char RFC 3339 UTC nanosecond timestamp> <stream>: <text>" (PROTOCOL.md 2.3).
const QRegularExpression
    logLine(u"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z) (stdout|stderr): (.*)$"_s,
            QRegularExpression::DotMatchesEverythingOption);

// The index of the log line of `stream` whose text is `text`, or -1.
qsizetype findLog(const QStringList &logs, const QString &stream, const QString &text)
{
    for (qsizetype i = 0; i < logs.size(); ++i) {
        const auto m = logLine.match(logs[i]);
        if (m.hasMatch() && m.captured(2) == stream && m.captured(3) == text)
            return i;
    }
    return -1;
}

QJsonObject execOf(const QString &kind, const QString &code, const QJsonObject &extra = {})
{
    QJsonObject exec = extra;
    exec.insert(u"kind"_s, kind);
    exec.insert(u"code"_s, code);
    return QJsonObject{{u"exec"_s, exec}};
}

} // namespace

class TestRuntimes : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    bool create(const QString &name, const QJsonObject &body, bool overwrite = false)
    {
        const HttpResult r
            = m_engine.put(actionPath(name) + (overwrite ? u"?overwrite=true"_s : QString()), body);
        if (r.status != 200)
            qWarning("creating action %s: %d %s", qPrintable(name), r.status, r.body.constData());
        return r.status == 200;
    }

    HttpResult invoke(const QString &name,
                      const QJsonObject &payload = {},
                      const QString &query = u"?blocking=true"_s)
    {
        return m_engine.post(actionPath(name) + query, payload);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    // ---- nodejs ------------------------------------------------------------------------------

    void nodejsSingleFileResultAndLogs()
    {
        QVERIFY(create(u"node-hello"_s,
                       nodeAction(u"function main(p) {\n"
                                  "  console.log('hello ' + p.name);\n"
                                  "  console.error('careful ' + p.name);\n"
                                  "  return {greeting: 'Hello, ' + p.name + '!'};\n"
                                  "}"_s)));
        const HttpResult r = invoke(u"node-hello"_s, QJsonObject{{u"name"_s, u"Ada"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"success"_s);
        QCOMPARE(responseOf(record).value(u"success"_s), QJsonValue(true));
        QCOMPARE(resultOf(record), (QJsonObject{{u"greeting"_s, u"Hello, Ada!"_s}}));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"nodejs:20"_s));

        const QStringList logs = logsOf(record);
        QCOMPARE(logs.size(), 2);
        for (const QString &line : logs) {
            const auto m = logLine.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(line));
            QCOMPARE(m.captured(1).size(), 30);
            const QDateTime when
                = QDateTime::fromString(m.captured(1).left(23) + u'Z', Qt::ISODateWithMs);
            QVERIFY2(when.isValid(), qPrintable(line));
        }
        QVERIFY2(findLog(logs, u"stdout"_s, u"hello Ada"_s) >= 0, qPrintable(logs.join(u'\n')));
        QVERIFY2(findLog(logs, u"stderr"_s, u"careful Ada"_s) >= 0, qPrintable(logs.join(u'\n')));

        // result=true gives only the result.
        const HttpResult only = invoke(
            u"node-hello"_s, QJsonObject{{u"name"_s, u"Bob"_s}}, u"?blocking=true&result=true"_s);
        QCOMPARE(only.status, 200);
        QCOMPARE(only.object(), (QJsonObject{{u"greeting"_s, u"Hello, Bob!"_s}}));
    }

    void nodejsDefaultKindRuns()
    {
        const HttpResult put
            = m_engine.put(actionPath(u"node-default"_s),
                           execOf(u"nodejs:default"_s,
                                  u"function main() { return {v: process.versions.node}; }"_s));
        QCOMPARE(put.status, 200);
        QCOMPARE(put.object().value(u"exec"_s).toObject().value(u"kind"_s).toString(),
                 u"nodejs:20"_s);
        const HttpResult r = invoke(u"node-default"_s);
        QCOMPARE(r.status, 200);
        QVERIFY2(resultOf(r.object()).value(u"v"_s).toString().startsWith(u"20."_s), r.body);
        QCOMPARE(annotation(r.object(), u"kind"_s), QJsonValue(u"nodejs:20"_s));
    }

    void nodejsPromisesAreAwaited()
    {
        QVERIFY(create(u"node-async"_s,
                       nodeAction(u"async function main(p) {\n"
                                  "  await new Promise(r => setTimeout(r, 50));\n"
                                  "  return {doubled: p.x * 2};\n"
                                  "}"_s)));
        const HttpResult r = invoke(u"node-async"_s, QJsonObject{{u"x"_s, 21}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"doubled"_s, 42}}));

        QVERIFY(create(u"node-promise"_s,
                       nodeAction(u"function main() {\n"
                                  "  return new Promise(resolve =>\n"
                                  "    setTimeout(() => resolve({done: true}), 20));\n"
                                  "}"_s)));
        const HttpResult p = invoke(u"node-promise"_s);
        QCOMPARE(p.status, 200);
        QCOMPARE(resultOf(p.object()), (QJsonObject{{u"done"_s, true}}));
    }

    void nodejsRejectedPromiseIsAnApplicationError()
    {
        QVERIFY(
            create(u"node-reject"_s,
                   nodeAction(u"function main() { return Promise.reject({reason: 'nope'}); }"_s)));
        const HttpResult r = invoke(u"node-reject"_s);
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"application error"_s);
        QCOMPARE(responseOf(record).value(u"success"_s), QJsonValue(false));
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"error"_s, QJsonObject{{u"reason"_s, u"nope"_s}}}}));

        const HttpResult only = invoke(u"node-reject"_s, {}, u"?blocking=true&result=true"_s);
        QCOMPARE(only.status, 502);
        QCOMPARE(only.object(), (QJsonObject{{u"error"_s, QJsonObject{{u"reason"_s, u"nope"_s}}}}));
    }

    void nodejsNonObjectResultIsADeveloperError()
    {
        QVERIFY(create(u"node-42"_s, nodeAction(u"function main() { return 42; }"_s)));
        const HttpResult r = invoke(u"node-42"_s);
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"action developer error"_s);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"error"_s, u"The action did not return a dictionary."_s}}));
    }

    void nodejsEmptyRejectionAndArrayResult()
    {
        QVERIFY(create(u"node-reject-empty"_s,
                       nodeAction(u"function main() { return Promise.reject(); }"_s)));
        const HttpResult r = invoke(u"node-reject-empty"_s);
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"application error"_s);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"error"_s, QJsonObject()}}));

        // An array result is a success, returned as-is (PROTOCOL.md 1.6, 2.2).
        QVERIFY(create(u"node-array"_s, nodeAction(u"function main() { return [1, 'two']; }"_s)));
        const HttpResult a = invoke(u"node-array"_s, {}, u"?blocking=true&result=true"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(QJsonDocument::fromJson(a.body).array(), (QJsonArray{1, u"two"_s}));
        // ...even without result=true.
        const HttpResult full = invoke(u"node-array"_s);
        QCOMPARE(full.status, 200);
        QVERIFY2(QJsonDocument::fromJson(full.body).isArray(), full.body.left(300).constData());
        QCOMPARE(QJsonDocument::fromJson(full.body).array(), (QJsonArray{1, u"two"_s}));
    }

    void nodejsThrownExceptionThenRecovery()
    {
        QVERIFY(create(u"node-throw"_s,
                       nodeAction(u"let calls = 0;\n"
                                  "function main(p) {\n"
                                  "  calls++;\n"
                                  "  if (p.fail) throw new Error('sync boom');\n"
                                  "  return {calls};\n"
                                  "}"_s)));
        const HttpResult r = invoke(u"node-throw"_s, QJsonObject{{u"fail"_s, true}});
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"action developer error"_s);
        const QString error = resultOf(r.object()).value(u"error"_s).toString();
        QVERIFY2(error.startsWith(u"An error has occurred: "_s) && error.contains(u"sync boom"_s),
                 qPrintable(error));
        // The proxy refuses further runs after a throw: the next activation gets a new runner.
        const HttpResult next = invoke(u"node-throw"_s);
        QCOMPARE(next.status, 200);
        QCOMPARE(resultOf(next.object()), (QJsonObject{{u"calls"_s, 1}}));
        QVERIFY2(annotation(next.object(), u"initTime"_s).isDouble(), next.body);
    }

    void nodejsNonBlockingInvokeCompletes()
    {
        QVERIFY(
            create(u"node-async-invoke"_s,
                   nodeAction(u"function main(p) { console.log('bg'); return {got: p.v}; }"_s)));
        const HttpResult r = invoke(u"node-async-invoke"_s, QJsonObject{{u"v"_s, 5}}, QString());
        QCOMPARE(r.status, 202);
        const QString id = r.object().value(u"activationId"_s).toString();
        QCOMPARE(id.size(), 32);
        HttpResult a;
        for (int attempt = 0; attempt < 300; ++attempt) { // generous deadline
            a = m_engine.get(u"/api/v1/namespaces/_/activations/"_s + id);
            if (a.status == 200)
                break;
            QTest::qWait(100);
        }
        QCOMPARE(a.status, 200);
        QCOMPARE(statusOf(a.object()), u"success"_s);
        QCOMPARE(resultOf(a.object()), (QJsonObject{{u"got"_s, 5}}));
        QVERIFY(findLog(logsOf(a.object()), u"stdout"_s, u"bg"_s) >= 0);
    }

    void nodejsInitFailureIsADeveloperError()
    {
        QVERIFY(create(u"node-syntax"_s, nodeAction(u"function main( { return {}; }"_s)));
        const HttpResult r = invoke(u"node-syntax"_s);
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"action developer error"_s);
        const QString error = resultOf(r.object()).value(u"error"_s).toString();
        QVERIFY2(error.startsWith(u"Initialization has failed due to: "_s), qPrintable(error));
    }

    void nodejsModuleExportsMain()
    {
        QVERIFY(create(u"node-exports"_s,
                       nodeAction(u"module.exports.main = function (p) {\n"
                                  "  return {style: 'module.exports', got: p.k};\n"
                                  "};"_s)));
        const HttpResult r = invoke(u"node-exports"_s, QJsonObject{{u"k"_s, 7}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"style"_s, u"module.exports"_s}, {u"got"_s, 7}}));

        QVERIFY(create(u"node-exports2"_s,
                       nodeAction(u"exports.main = () => ({style: 'exports'});"_s)));
        const HttpResult e = invoke(u"node-exports2"_s);
        QCOMPARE(e.status, 200);
        QCOMPARE(resultOf(e.object()), (QJsonObject{{u"style"_s, u"exports"_s}}));
    }

    void nodejsCustomMainName()
    {
        QVERIFY(create(u"node-custom-main"_s,
                       execOf(u"nodejs:20"_s,
                              u"function main() { return {fn: 'main'}; }\n"
                              "function greet(p) { return {fn: 'greet', who: p.who}; }"_s,
                              QJsonObject{{u"main"_s, u"greet"_s}})));
        const HttpResult r = invoke(u"node-custom-main"_s, QJsonObject{{u"who"_s, u"you"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"fn"_s, u"greet"_s}, {u"who"_s, u"you"_s}}));
    }

    void nodejsRequireOpenwhiskResolves()
    {
        QVERIFY(create(u"node-require-ow"_s,
                       nodeAction(u"const openwhisk = require('openwhisk');\n"
                                  "function main() { return {type: typeof openwhisk}; }"_s)));
        const HttpResult r = invoke(u"node-require-ow"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"type"_s, u"function"_s}}));
    }

    void nodejsOpenwhiskClientCallsBackIntoTheEngine()
    {
        QJsonObject body
            = nodeAction(u"const openwhisk = require('openwhisk');\n"
                         "async function main() {\n"
                         "  const ow = openwhisk();\n"
                         "  const list = await ow.actions.list();\n"
                         "  return {count: list.length, names: list.map(a => a.name)};\n"
                         "}"_s);
        body.insert(u"annotations"_s, QJsonArray{kv(u"provide-api-key"_s, true)});
        QVERIFY(create(u"node-ow-list"_s, body));
        const HttpResult r = invoke(u"node-ow-list"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject result = resultOf(r.object());
        const QJsonArray expected = m_engine.get(u"/api/v1/namespaces/_/actions"_s).array();
        QVERIFY(!expected.isEmpty());
        QCOMPARE(result.value(u"count"_s).toInt(-1), int(expected.size()));
        QVERIFY2(result.value(u"names"_s).toArray().contains(u"node-ow-list"_s), r.body);
    }

    void nodejsEnvironment()
    {
        const QString code
            = u"function main() {\n"
              "  const e = process.env;\n"
              "  return {ns: e.__OW_NAMESPACE, name: e.__OW_ACTION_NAME,\n"
              "          version: e.__OW_ACTION_VERSION, activation: e.__OW_ACTIVATION_ID,\n"
              "          transaction: e.__OW_TRANSACTION_ID, deadline: e.__OW_DEADLINE,\n"
              "          host: e.__OW_API_HOST,\n"
              "          hasKey: Object.prototype.hasOwnProperty.call(e, '__OW_API_KEY'),\n"
              "          key: e.__OW_API_KEY === undefined ? null : e.__OW_API_KEY,\n"
              "          now: Date.now()};\n"
              "}"_s;
        const HttpResult put = m_engine.put(actionPath(u"node-env"_s), nodeAction(code));
        QCOMPARE(put.status, 200);
        // The engine adds provide-api-key: false on create.
        QCOMPARE(annotation(put.object(), u"provide-api-key"_s), QJsonValue(false));

        for (int round = 0; round < 2; ++round) { // cold, then warm
            const HttpResult r = invoke(u"node-env"_s);
            QCOMPARE(r.status, 200);
            const QJsonObject record = r.object();
            const QJsonObject env = resultOf(record);
            QCOMPARE(env.value(u"ns"_s).toString(), u"guest"_s);
            QCOMPARE(env.value(u"name"_s).toString(), u"/guest/node-env"_s);
            QCOMPARE(env.value(u"version"_s).toString(), u"0.0.1"_s);
            QCOMPARE(env.value(u"activation"_s).toString(),
                     record.value(u"activationId"_s).toString());
            QCOMPARE(env.value(u"transaction"_s).toString(),
                     QString::fromLatin1(r.header("X-Request-ID")));
            bool ok = false;
            const qint64 deadline = env.value(u"deadline"_s).toString().toLongLong(&ok);
            QVERIFY2(ok, r.body);
            QVERIFY2(deadline > env.value(u"now"_s).toInteger(), r.body);
            QCOMPARE(env.value(u"host"_s).toString(), m_engine.baseUrl());
            QCOMPARE(env.value(u"hasKey"_s), QJsonValue(false));
            QCOMPARE(env.value(u"key"_s), QJsonValue(QJsonValue::Null));
        }

        QJsonObject withKey = nodeAction(code);
        withKey.insert(u"annotations"_s, QJsonArray{kv(u"provide-api-key"_s, true)});
        QVERIFY(create(u"node-env-key"_s, withKey));
        for (int round = 0; round < 2; ++round) {
            const HttpResult r = invoke(u"node-env-key"_s);
            QCOMPARE(r.status, 200);
            const QJsonObject env = resultOf(r.object());
            QCOMPARE(env.value(u"hasKey"_s), QJsonValue(true));
            QCOMPARE(env.value(u"key"_s).toString(), QString::fromLatin1(guestKey));
            QCOMPARE(env.value(u"name"_s).toString(), u"/guest/node-env-key"_s);
        }
    }

    void nodejsZipWithPackageJsonMain()
    {
        const QString zip = zipBase64({
            {u"package.json"_s, R"({"name": "zipped", "main": "lib/entry.js"})"},
            {u"lib/entry.js"_s,
             "const helper = require('./helper');\n"
             "exports.main = (p) => ({from: 'lib/entry.js', shout: helper.shout(p.word)});\n"},
            {u"lib/helper.js"_s, "exports.shout = (s) => String(s).toUpperCase() + '!';\n"},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(u"node-zip-pkg"_s,
                       execOf(u"nodejs:20"_s, zip, QJsonObject{{u"binary"_s, true}})));
        const HttpResult r = invoke(u"node-zip-pkg"_s, QJsonObject{{u"word"_s, u"hey"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"from"_s, u"lib/entry.js"_s}, {u"shout"_s, u"HEY!"_s}}));
    }

    void nodejsZipWithIndexJs()
    {
        const QString zip = zipBase64({
            {u"index.js"_s,
             "function main(p) { return {from: 'index.js', n: p.n + 1}; }\n"
             "exports.main = main;\n"},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(u"node-zip-index"_s,
                       execOf(u"nodejs:20"_s, zip, QJsonObject{{u"binary"_s, true}})));
        const HttpResult r = invoke(u"node-zip-index"_s, QJsonObject{{u"n"_s, 1}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"from"_s, u"index.js"_s}, {u"n"_s, 2}}));
    }

    void nodejsZipWithFileDotFunctionMain()
    {
        const QString zip = zipBase64({
            {u"index.js"_s, "exports.main = () => ({from: 'index.main'});\n"},
            {u"tools.js"_s, "exports.run = (p) => ({from: 'tools.run', p: p.p});\n"},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(u"node-zip-filefunc"_s,
                       execOf(u"nodejs:20"_s,
                              zip,
                              QJsonObject{{u"binary"_s, true}, {u"main"_s, u"tools.run"_s}})));
        const HttpResult r = invoke(u"node-zip-filefunc"_s, QJsonObject{{u"p"_s, u"q"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"from"_s, u"tools.run"_s}, {u"p"_s, u"q"_s}}));
    }

    void nodejsZipWithBundledNodeModules()
    {
        const QString zip = zipBase64({
            {u"package.json"_s, R"({"name": "withdeps", "main": "index.js"})"},
            {u"index.js"_s,
             "const pad = require('feedscope-test-pad');\n"
             "exports.main = (p) => ({padded: pad(p.s, 6)});\n"},
            {u"node_modules/feedscope-test-pad/package.json"_s,
             R"({"name": "feedscope-test-pad", "version": "1.0.0", "main": "pad.js"})"},
            {u"node_modules/feedscope-test-pad/pad.js"_s,
             "module.exports = (s, n) => String(s).padStart(n, '*');\n"},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(u"node-zip-deps"_s,
                       execOf(u"nodejs:20"_s, zip, QJsonObject{{u"binary"_s, true}})));
        const HttpResult r = invoke(u"node-zip-deps"_s, QJsonObject{{u"s"_s, u"ab"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"padded"_s, u"****ab"_s}}));
    }

    // ---- python ------------------------------------------------------------------------------

    void pythonSingleFile()
    {
        QVERIFY(create(u"py-hello"_s,
                       execOf(u"python:3"_s,
                              u"import sys\n"
                              "def main(args):\n"
                              "    print('python says ' + args.get('name', '?'))\n"
                              "    return {'greeting': 'Hello, ' + args.get('name', '?'),\n"
                              "            'major': sys.version_info[0]}\n"_s)));
        const HttpResult r = invoke(u"py-hello"_s, QJsonObject{{u"name"_s, u"Guido"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"success"_s);
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"greeting"_s, u"Hello, Guido"_s}, {u"major"_s, 3}}));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"python:3"_s));
        const QStringList logs = logsOf(record);
        QVERIFY2(findLog(logs, u"stdout"_s, u"python says Guido"_s) >= 0,
                 qPrintable(logs.join(u'\n')));
    }

    void pythonZipWithMainModule()
    {
        const QString zip = zipBase64({
            {u"__main__.py"_s,
             "from helper import twice\n"
             "def main(args):\n"
             "    return {'twice': twice(args.get('n', 0))}\n"},
            {u"helper.py"_s, "def twice(n):\n    return n * 2\n"},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(u"py-zip"_s, execOf(u"python:3"_s, zip, QJsonObject{{u"binary"_s, true}})));
        const HttpResult r = invoke(u"py-zip"_s, QJsonObject{{u"n"_s, 21}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"twice"_s, 42}}));
    }

    void pythonExceptionIsADeveloperError()
    {
        QVERIFY(create(u"py-raise"_s,
                       execOf(u"python:3"_s,
                              u"def main(args):\n"
                              "    raise ValueError('boom from python')\n"_s)));
        const HttpResult r = invoke(u"py-raise"_s);
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"action developer error"_s);
        const QString error = resultOf(record).value(u"error"_s).toString();
        QVERIFY2(error.contains(u"boom from python"_s), qPrintable(error));
    }

    // ---- blackbox ----------------------------------------------------------------------------

    void blackboxShellScript()
    {
        const QString zip = zipBase64({
            {u"exec"_s,
             "#!/bin/sh\n"
             "echo \"shell log line\"\n"
             "echo \"{\\\"from\\\": \\\"sh\\\", \\\"args\\\": $1}\"\n",
             true},
        });
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(
            u"bb-sh"_s,
            execOf(u"blackbox"_s,
                   zip,
                   QJsonObject{{u"binary"_s, true}, {u"image"_s, u"openwhisk/dockerskeleton"_s}})));
        const HttpResult r = invoke(u"bb-sh"_s, QJsonObject{{u"x"_s, 1}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"success"_s);
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"from"_s, u"sh"_s}, {u"args"_s, QJsonObject{{u"x"_s, 1}}}}));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"blackbox"_s));
        const QStringList logs = logsOf(record);
        QVERIFY2(findLog(logs, u"stdout"_s, u"shell log line"_s) >= 0,
                 qPrintable(logs.join(u'\n')));
        // The result line is not a log line.
        for (const QString &line : logs)
            QVERIFY2(!line.contains(u"\"from\""_s), qPrintable(line));
    }

    void blackboxCompiledProgram()
    {
        const QString cc = QStandardPaths::findExecutable(u"cc"_s);
        QVERIFY2(!cc.isEmpty(), "no C compiler (cc): scripts/setup.sh installs build-essential");
        QTemporaryDir build;
        QVERIFY(build.isValid());
        const QString source = build.filePath(u"action.c"_s);
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#include <stdio.h>\n"
                    "int main(int argc, char **argv) {\n"
                    "    printf(\"compiled log line\\n\");\n"
                    "    printf(\"{\\\"from\\\": \\\"c\\\", \\\"args\\\": %s}\\n\",\n"
                    "           argc > 1 ? argv[1] : \"null\");\n"
                    "    return 0;\n"
                    "}\n");
        }
        const QString binary = build.filePath(u"exec"_s);
        QProcess compiler;
        compiler.start(cc, {u"-o"_s, binary, source});
        QVERIFY(compiler.waitForFinished(60000));
        QVERIFY2(compiler.exitCode() == 0, compiler.readAllStandardError().constData());
        QFile exe(binary);
        QVERIFY(exe.open(QIODevice::ReadOnly));
        const QString zip = zipBase64({{u"exec"_s, exe.readAll(), true}});
        QVERIFY(!zip.isEmpty());
        QVERIFY(create(
            u"bb-c"_s,
            execOf(u"blackbox"_s,
                   zip,
                   QJsonObject{{u"binary"_s, true}, {u"image"_s, u"openwhisk/dockerskeleton"_s}})));
        const HttpResult r = invoke(u"bb-c"_s, QJsonObject{{u"y"_s, u"z"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"from"_s, u"c"_s}, {u"args"_s, QJsonObject{{u"y"_s, u"z"_s}}}}));
        QVERIFY2(findLog(logsOf(r.object()), u"stdout"_s, u"compiled log line"_s) >= 0, r.body);
    }

    // ---- a runtime that went missing ---------------------------------------------------------

    void missingRunnerFailsItsActions()
    {
        // Stored while python ran, invoked by an engine whose resources (a copy without the
        // python runner) cannot run it: the invoker's runtime-missing path, for real.
        EngineProcess engine;
        QVERIFY2(engine.start({u"--no-prewarm"_s}), qPrintable(engine.errorString()));
        QVERIFY(ok(engine.put(actionPath(u"py-gone"_s),
                              execOf(u"python:3"_s, u"def main(a):\n    return {'ran': True}\n"_s)),
                   "py-gone"));
        QCOMPARE(resultOf(engine.post(actionPath(u"py-gone"_s) + u"?blocking=true"_s).object()),
                 (QJsonObject{{u"ran"_s, true}}));
        engine.stop();

        QTemporaryDir copy;
        QVERIFY(copy.isValid());
        const QDir source(QStringLiteral(FEEDSCOPE_RESOURCES_DIR));
        QDirIterator it(source.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString relative = source.relativeFilePath(it.next());
            if (relative == u"runtimes/python/runner.py" || relative.contains(u"node_modules"))
                continue;
            QVERIFY(QDir().mkpath(QFileInfo(copy.filePath(relative)).path()));
            QVERIFY2(QFile::copy(source.filePath(relative), copy.filePath(relative)),
                     qPrintable(relative));
        }
        QVERIFY2(engine.start({u"--resources"_s, copy.path(), u"--no-prewarm"_s}),
                 qPrintable(engine.errorString()));
        QCOMPARE(engine.get(actionPath(u"py-gone"_s)).status, 200); // still stored
        const HttpResult r = engine.post(actionPath(u"py-gone"_s) + u"?blocking=true"_s);
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"action developer error"_s);
        QCOMPARE(errorOf(r.object()),
                 u"Actions of kind 'python:3' cannot run here: the runner %1 is missing."_s.arg(
                     QDir(copy.path()).filePath(u"runtimes/python/runner.py"_s)));
        // What is there still runs.
        QVERIFY(ok(engine.put(actionPath(u"node-still"_s), nodeAction()), "node-still"));
        QCOMPARE(statusOf(engine.post(actionPath(u"node-still"_s) + u"?blocking=true"_s).object()),
                 u"success"_s);
    }

    // ---- warm containers ---------------------------------------------------------------------

    void warmContainerKeepsState()
    {
        QVERIFY(create(u"node-counter"_s,
                       nodeAction(u"let counter = 0;\n"
                                  "function main() { counter++; return {counter}; }"_s)));
        const HttpResult first = invoke(u"node-counter"_s);
        QCOMPARE(first.status, 200);
        QCOMPARE(resultOf(first.object()), (QJsonObject{{u"counter"_s, 1}}));
        QVERIFY2(annotation(first.object(), u"initTime"_s).isDouble(), first.body);

        const HttpResult second = invoke(u"node-counter"_s);
        QCOMPARE(second.status, 200);
        QCOMPARE(resultOf(second.object()), (QJsonObject{{u"counter"_s, 2}}));
        QVERIFY2(annotation(second.object(), u"initTime"_s).isUndefined(), second.body);
        QVERIFY(annotation(second.object(), u"waitTime"_s).isDouble());
    }

    void updatedActionRunsTheNewCode()
    {
        QVERIFY(
            create(u"node-update"_s,
                   nodeAction(u"let n = 0; function main() { n++; return {version: 1, n}; }"_s)));
        const HttpResult before = invoke(u"node-update"_s);
        QCOMPARE(before.status, 200);
        QCOMPARE(resultOf(before.object()), (QJsonObject{{u"version"_s, 1}, {u"n"_s, 1}}));
        QCOMPARE(invoke(u"node-update"_s).status, 200); // warm now

        QVERIFY(create(u"node-update"_s,
                       nodeAction(u"let n = 0; function main() { n++; return {version: 2, n}; }"_s),
                       true));
        const HttpResult after = invoke(u"node-update"_s);
        QCOMPARE(after.status, 200);
        QCOMPARE(resultOf(after.object()), (QJsonObject{{u"version"_s, 2}, {u"n"_s, 1}}));
        QCOMPARE(after.object().value(u"version"_s).toString(), u"0.0.2"_s);
        QVERIFY2(annotation(after.object(), u"initTime"_s).isDouble(), after.body);
    }

    // ---- limits ------------------------------------------------------------------------------

    void memoryLimitReachesNode()
    {
        QJsonObject body = nodeAction(u"function main() { return {argv: process.execArgv}; }"_s);
        body.insert(u"limits"_s, QJsonObject{{u"memory"_s, 128}});
        QVERIFY(create(u"node-memory"_s, body));
        const HttpResult r = invoke(u"node-memory"_s);
        QCOMPARE(r.status, 200);
        QVERIFY2(
            resultOf(r.object()).value(u"argv"_s).toArray().contains(u"--max-old-space-size=128"_s),
            r.body);
    }

    void oversizedResultIsAnApplicationError()
    {
        QVERIFY(create(u"node-big-result"_s,
                       nodeAction(u"function main() { return {big: 'x'.repeat(1100000)}; }"_s)));
        const HttpResult r = invoke(u"node-big-result"_s);
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"application error"_s);
        const QString error = resultOf(record).value(u"error"_s).toString();
        QVERIFY2(error.startsWith(
                     u"The action produced a response that exceeded the allowed length: "_s),
                 qPrintable(error.left(300)));
        QVERIFY2(QRegularExpression(u"^The action produced a response that exceeded the allowed "
                                    "length: \\d+ > 1048576 bytes\\."_s)
                     .match(error)
                     .hasMatch(),
                 qPrintable(error.left(300)));
    }

    void logsOverTheLimitAreTruncated()
    {
        QJsonObject body = nodeAction(u"function main() {\n"
                                      "  const line = 'y'.repeat(1023);\n"
                                      "  for (let i = 0; i < 2048; i++) console.log(line);\n"
                                      "  return {printed: 2048};\n"
                                      "}"_s);
        body.insert(u"limits"_s, QJsonObject{{u"logs"_s, 1}});
        QVERIFY(create(u"node-chatty"_s, body));
        const HttpResult r = invoke(u"node-chatty"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(resultOf(record), (QJsonObject{{u"printed"_s, 2048}}));
        const QStringList logs = logsOf(record);
        QVERIFY(logs.size() > 1);
        QVERIFY2(logs.size() < 2048 + 1, qPrintable(QString::number(logs.size())));
        const QString last = logs.last();
        const auto m = logLine.match(last);
        QVERIFY2(m.hasMatch(), qPrintable(last));
        QCOMPARE(m.captured(3),
                 u"Logs were truncated because the total bytes size exceeds the limit of "
                 "1048576 bytes."_s);
        qint64 kept = 0;
        for (qsizetype i = 0; i + 1 < logs.size(); ++i) {
            const auto line = logLine.match(logs[i]);
            QVERIFY2(line.hasMatch(), qPrintable(logs[i].left(80)));
            QCOMPARE(line.captured(2), u"stdout"_s);
            kept += line.captured(3).toUtf8().size();
        }
        QVERIFY2(kept <= 1048576, qPrintable(QString::number(kept)));
    }
};

QTEST_GUILESS_MAIN(TestRuntimes)
#include "tst_runtimes.moc"
