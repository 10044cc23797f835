// SPDX-License-Identifier: GPL-3.0-or-later
// An action's memory limit covers all its memory, for every kind the engine runs: node's
// Buffers (outside the V8 heap), python objects, a native blackbox program and the processes it
// starts, and a sequence's components. Each hog over its limit fails as OpenWhisk reports a
// container killed for memory (developer error, "The action exhausted its memory and was
// aborted."), the same action under the limit succeeds, the killed runner's process group is
// gone and the next invocation runs in a fresh runner.
//
// The hogs keep what they allocate in a global (or, for the blackbox program, hold it until
// killed): the engine samples the runner's process tree, so memory that is allocated and let go
// between two samples would not be seen. Each hog also appends one byte to a progress file per
// megabyte it got, which gives how far past the limit a hog came before it was killed (printed
// as a figure, never asserted: nothing here is timed).
#include "feedtesting.h"
#include "processtree.h"
#include "testzip.h"

#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString memoryExhausted = u"The action exhausted its memory and was aborted."_s;
constexpr int limitMb = 128;
constexpr int underMb = 16; // plus the interpreter (node ~45 MB, python ~10 MB): under 128
constexpr int overMb = 600; // what the issue's hog allocated
constexpr int settleMs = 20000;

// Buffers live outside the V8 heap, so --max-old-space-size alone never stopped them.
const QString nodeHog = uR"JS(
const fs = require('fs');
const hoard = [];
function main(p) {
    for (let i = 0; i < (p.mb || 0); i++) {
        hoard.push(Buffer.alloc(1 << 20, 1));
        if (p.progress) fs.appendFileSync(p.progress, 'x');
    }
    if (p.backstop) hoard.push(Buffer.alloc(p.backstop * (1 << 20), 1));
    return { pid: process.pid, held: hoard.length };
}
)JS"_s;

const QString pythonHog = uR"PY(
import os
hoard = []

def main(args):
    for _ in range(args.get('mb', 0)):
        hoard.append(bytearray(b'x' * (1 << 20)))
        if args.get('progress'):
            with open(args['progress'], 'a') as f:
                f.write('x')
    if args.get('backstop'):
        hoard.append(bytearray(args['backstop'] << 20))
    return {'pid': os.getpid(), 'held': len(hoard)}
)PY"_s;

// The blackbox's `exec` runs as a child of the runner, once per activation: its memory is a
// descendant's, and it holds the hoard (until killed) when asked to.
const QByteArray blackboxHog = R"PY(#!/usr/bin/env python3
import json, os, signal, sys
args = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
hoard = []
for _ in range(args.get('mb', 0)):
    hoard.append(bytearray(b'x' * (1 << 20)))
    if args.get('progress'):
        with open(args['progress'], 'a') as f:
            f.write('x')
if args.get('hold'):
    signal.pause()
print(json.dumps({'pid': os.getppid(), 'held': len(hoard)}))
)PY";

QJsonObject withLimits(QJsonObject body, int memoryMb)
{
    body.insert(u"limits"_s, QJsonObject{{u"memory"_s, memoryMb}, {u"timeout"_s, 120000}});
    return body;
}

QJsonObject kindAction(const QString &kind, const QString &code, bool binary = false)
{
    QJsonObject exec{{u"kind"_s, kind}, {u"code"_s, code}};
    if (binary)
        exec.insert(u"binary"_s, true);
    return QJsonObject{{u"exec"_s, exec}};
}

} // namespace

class TestMemoryLimits : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QTemporaryDir m_scratch;

    HttpResult invoke(const QString &name, const QJsonObject &params = {})
    {
        return m_engine.post(actionPath(name) + u"?blocking=true"_s, params);
    }

    // A blocking invoke that must succeed; the runner's pid (0 on failure).
    qint64 runUnder(const QString &name, const QJsonObject &params)
    {
        const HttpResult r = invoke(name, params);
        if (r.status != 200 || statusOf(r.object()) != u"success"_s) {
            qWarning("%s under its limit: %d %s",
                     qPrintable(name),
                     r.status,
                     r.body.left(800).constData());
            return 0;
        }
        return resultOf(r.object()).value(u"pid"_s).toInteger();
    }

    static void verifyMemoryExhausted(const HttpResult &r, const QString &kind)
    {
        QVERIFY2(r.status == 502, r.body.left(800).constData());
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"action developer error"_s);
        QCOMPARE(responseOf(record).value(u"success"_s), QJsonValue(false));
        QCOMPARE(resultOf(record), (QJsonObject{{u"error"_s, memoryExhausted}}));
        if (kind.isEmpty())
            return; // a sequence's record carries neither annotation
        QCOMPARE(annotation(record, u"timeout"_s), QJsonValue(false));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(kind));
    }

    static void verifyGroupGone(qint64 runner)
    {
        QVERIFY(runner > 0);
        QList<Proc> left;
        const bool gone = waitFor(
            [&] {
                left = liveInGroups({runner});
                return left.isEmpty() && !isLive(runner);
            },
            settleMs);
        QVERIFY2(gone,
                 QByteArray("the killed runner's processes survive:" + describe(left)).constData());
    }

    QString progressFile(const QString &name) { return m_scratch.filePath(name + u".progress"_s); }

    void reportProgress(const QString &kind, const QString &name)
    {
        const qint64 reached = QFileInfo(progressFile(name)).size();
        qInfo("%s hog: killed after allocating %lld MB of %d (limit %d MB)",
              qPrintable(kind),
              reached,
              overMb,
              limitMb);
        QVERIFY2(reached < overMb, "the hog allocated everything it asked for");
    }

    // The shape shared by every kind: under the limit, then the hog over it, then under again.
    void underOverUnder(const QString &kind, const QString &name, const QJsonObject &hold = {})
    {
        const qint64 first = runUnder(name, {{u"mb"_s, underMb}});
        QVERIFY(first > 0);
        QJsonObject over{{u"mb"_s, overMb}, {u"progress"_s, progressFile(name)}};
        for (auto it = hold.begin(); it != hold.end(); ++it)
            over.insert(it.key(), it.value());
        const HttpResult r = invoke(name, over);
        verifyMemoryExhausted(r, kind);
        if (QTest::currentTestFailed())
            return;
        reportProgress(kind, name);
        verifyGroupGone(first);
        if (QTest::currentTestFailed())
            return;
        const qint64 next = runUnder(name, {{u"mb"_s, underMb}});
        QVERIFY(next > 0);
        QVERIFY(next != first);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_scratch.isValid());
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
    }

    void nodeBuffersCount()
    {
        QVERIFY(!createAction(m_engine, u"hog-node"_s, withLimits(nodeAction(nodeHog), limitMb))
                     .isEmpty());
        underOverUnder(u"nodejs:20"_s, u"hog-node"_s);
    }

    void nodeHeapCounts()
    {
        // Live JavaScript objects: V8's own heap limit or the sampler, whichever comes first,
        // give the same result.
        QVERIFY(!createAction(m_engine,
                              u"hog-node-heap"_s,
                              withLimits(nodeAction(u"const hoard = [];\n"
                                                    "function main(p) {\n"
                                                    "  if (p.grow) for (let i = 0; ; i++)\n"
                                                    "    hoard.push('x'.repeat(64) + i);\n"
                                                    "  return {pid: process.pid};\n"
                                                    "}"_s),
                                         limitMb))
                     .isEmpty());
        const qint64 first = runUnder(u"hog-node-heap"_s, {});
        QVERIFY(first > 0);
        verifyMemoryExhausted(invoke(u"hog-node-heap"_s, {{u"grow"_s, true}}), u"nodejs:20"_s);
        verifyGroupGone(first);
        QVERIFY(runUnder(u"hog-node-heap"_s, {}) > 0);
    }

    void pythonCounts()
    {
        QVERIFY(!createAction(m_engine,
                              u"hog-python"_s,
                              withLimits(kindAction(u"python:3"_s, pythonHog), limitMb))
                     .isEmpty());
        underOverUnder(u"python:3"_s, u"hog-python"_s);
    }

    void blackboxChildCounts()
    {
        const QString zip = zipBase64({{u"exec"_s, blackboxHog, true}});
        QVERIFY(!zip.isEmpty());
        QJsonObject body = kindAction(u"blackbox"_s, zip, true);
        QJsonObject exec = body.value(u"exec"_s).toObject();
        exec.insert(u"image"_s, u"openwhisk/dockerskeleton"_s);
        body.insert(u"exec"_s, exec);
        QVERIFY(!createAction(m_engine, u"hog-blackbox"_s, withLimits(body, limitMb)).isEmpty());
        underOverUnder(u"blackbox"_s, u"hog-blackbox"_s, {{u"hold"_s, true}});
    }

    void allocationBeyondTheBackstopIsTheSameFailure()
    {
        // One allocation larger than the kernel backstop (RLIMIT_DATA, 2 x limit + 512 MB) fails
        // inside the action before any sample: the runners report it as memory exhaustion.
        QVERIFY(
            !createAction(m_engine, u"hog-node-once"_s, withLimits(nodeAction(nodeHog), limitMb))
                 .isEmpty());
        verifyMemoryExhausted(invoke(u"hog-node-once"_s, {{u"backstop"_s, 2048}}), u"nodejs:20"_s);
        QVERIFY(runUnder(u"hog-node-once"_s, {{u"mb"_s, underMb}}) > 0);

        QVERIFY(!createAction(m_engine,
                              u"hog-python-once"_s,
                              withLimits(kindAction(u"python:3"_s, pythonHog), limitMb))
                     .isEmpty());
        verifyMemoryExhausted(invoke(u"hog-python-once"_s, {{u"backstop"_s, 4096}}), u"python:3"_s);
        QVERIFY(runUnder(u"hog-python-once"_s, {{u"mb"_s, underMb}}) > 0);
    }

    void sequenceComponentCounts()
    {
        QVERIFY(!createAction(m_engine, u"hog-seq-part"_s, withLimits(nodeAction(nodeHog), limitMb))
                     .isEmpty());
        const QJsonObject sequence{
            {u"exec"_s,
             QJsonObject{{u"kind"_s, u"sequence"_s},
                         {u"components"_s, QJsonArray{u"/guest/hog-seq-part"_s}}}}};
        QVERIFY(!createAction(m_engine, u"hog-seq"_s, sequence).isEmpty());
        const HttpResult under = invoke(u"hog-seq"_s, {{u"mb"_s, underMb}});
        QCOMPARE(under.status, 200);
        QCOMPARE(statusOf(under.object()), u"success"_s);
        verifyMemoryExhausted(invoke(u"hog-seq"_s, {{u"mb"_s, overMb}}), QString());
        const HttpResult again = invoke(u"hog-seq"_s, {{u"mb"_s, underMb}});
        QCOMPARE(again.status, 200);
        QCOMPARE(statusOf(again.object()), u"success"_s);
    }

    void otherActionsKeepWorking()
    {
        QVERIFY(!createAction(m_engine, u"echo"_s).isEmpty());
        const HttpResult r = invoke(u"echo"_s, {{u"still"_s, u"here"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(resultOf(r.object()), (QJsonObject{{u"still"_s, u"here"_s}}));
    }
};

QTEST_GUILESS_MAIN(TestMemoryLimits)
#include "tst_memorylimits.moc"
