// SPDX-License-Identifier: GPL-3.0-or-later
// Faulty actions against the process invoker (PROTOCOL.md 2.1-2.3, 7): an action that throws,
// returns a non-object, never returns, allocates without bound, floods its logs, exits mid-run,
// fails its init or ships a corrupt zip. Each case checks the activation status and message,
// that other actions keep working, that the pool replaces the broken runner process, and that
// no child process is left behind: the engine's descendants are counted from /proc and every
// runner process group seen during the run must be empty once it is killed or the engine stops.
// No timing thresholds: waits poll with generous deadlines and only then assert.
#include "feedtesting.h"
#include "processtree.h"
#include "testzip.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

// One action body for every fault; the payload's `mode` picks the behaviour. Healthy modes
// report the runner's pid so the tests can tell a warm reuse from a replacement process.
const QString faultyCode = uR"JS(
const cp = require('child_process');
const fs = require('fs');
function main(p) {
    switch (p.mode) {
    case 'throw':
        throw new Error('boom ' + p.tag);
    case 'nondict':
        return 'just a string';
    case 'hang':
        return new Promise(() => {});
    case 'exit':
        console.log('exiting now');
        process.exit(3);
    case 'oom': {
        const hoard = [];
        for (let i = 0; ; i++) hoard.push('x'.repeat(64) + i);
    }
    case 'flood': {
        const line = 'y'.repeat(1023);
        for (let i = 0; i < 20 * 1024; i++) console.log(line);
        return { flooded: true, pid: process.pid };
    }
    case 'spawn': {
        const child = cp.spawn('sleep', ['1000'], { stdio: 'ignore' });
        fs.writeFileSync(p.file, JSON.stringify({ runner: process.pid, child: child.pid }));
        return new Promise(() => {});
    }
    case 'sleep':
        return new Promise((resolve) => setTimeout(() => resolve({ pid: process.pid, i: p.i }), p.ms));
    case 'log':
        console.log(p.text);
        return { pid: process.pid };
    }
    return { pid: process.pid };
}
)JS"_s;

// How long a wait for processes to settle may take before the test asserts (never a timing
// threshold: only a deadline on polling).
constexpr int settleMs = 20000;

const QString exitedUnexpectedly
    = u"The action did not produce a valid response and exited unexpectedly."_s;
const QString initFailedPrefix = u"Initialization has failed due to: "_s;
const QString initFailedGenericPrefix = u"The action failed during initialization"_s;

QJsonObject actionBody(const QString &code, const QJsonObject &limits = {})
{
    QJsonObject body = nodeAction(code);
    if (!limits.isEmpty())
        body.insert(u"limits"_s, limits);
    return body;
}

qint64 pidOf(const QJsonObject &record)
{
    return resultOf(record).value(u"pid"_s).toInteger();
}

// A nodejs:20 action whose code is the base64 of `zip`.
QJsonObject zipAction(const QString &zipBase64)
{
    return QJsonObject{
        {u"exec"_s,
         QJsonObject{{u"kind"_s, u"nodejs:20"_s}, {u"binary"_s, true}, {u"code"_s, zipBase64}}}};
}

} // namespace

class TestInvokerFaults : public QObject
{
    Q_OBJECT

private:
    static constexpr int maxContainers = 4;
    EngineProcess m_engine;
    QSet<qint64> m_groups; // every runner process group seen on the shared engine
    QTemporaryDir m_scratch;

    qint64 enginePid() { return m_engine.process().processId(); }

    bool create(EngineProcess &engine, const QString &name, const QJsonObject &body)
    {
        const HttpResult r = engine.put(actionPath(name) + u"?overwrite=true"_s, body);
        if (r.status != 200)
            qWarning("PUT %s: %d %s", qPrintable(name), r.status, r.body.constData());
        return r.status == 200;
    }

    HttpResult invoke(EngineProcess &engine, const QString &name, const QJsonObject &params = {})
    {
        return engine.post(actionPath(name) + u"?blocking=true"_s, params);
    }

    // A blocking invoke of the shared engine's healthy mode: the runner's pid (0 on failure).
    qint64 healthyPid(const QString &name)
    {
        const HttpResult r = invoke(m_engine, name, QJsonObject{{u"mode"_s, u"pid"_s}});
        const QJsonObject record = r.object();
        if (r.status != 200 || statusOf(record) != u"success"_s) {
            qWarning("healthy invoke of %s failed: %d %s",
                     qPrintable(name),
                     r.status,
                     r.body.left(600).constData());
            return 0;
        }
        const qint64 pid = pidOf(record);
        m_groups.insert(pid); // a runner leads its own process group
        return pid;
    }

    // The echo action still answers: other actions keep working after a fault.
    void verifyEchoWorks(const QString &tag)
    {
        const HttpResult r = invoke(m_engine, u"healthy-echo"_s, QJsonObject{{u"tag"_s, tag}});
        QCOMPARE(r.status, 200);
        QCOMPARE(statusOf(r.object()), u"success"_s);
        QCOMPARE(responseOf(r.object()).value(u"result"_s).toObject(),
                 (QJsonObject{{u"tag"_s, tag}}));
    }

    // Once the pool settled, the engine's only descendants are its runners (idle warm ones and
    // the prewarmed one): direct children running runner.js, never more than --max-containers.
    void verifyOnlyRunnersRemain(EngineProcess &engine, int bound)
    {
        const qint64 root = engine.process().processId();
        QList<Proc> now;
        const bool settled = waitFor(
            [&] {
                now = liveDescendants(root);
                for (const Proc &p : std::as_const(now)) {
                    // A runner leads its own process group, so a kill reaches all it started.
                    if (p.ppid != root || !p.cmdline.contains("runner.js") || p.pgid != p.pid)
                        return false;
                }
                return now.size() <= bound;
            },
            settleMs);
        for (const Proc &p : std::as_const(now)) {
            if (p.pgid == p.pid)
                m_groups.insert(p.pgid);
        }
        QVERIFY2(
            settled,
            QByteArray("engine descendants after the fault settled:" + describe(now)).constData());
    }

    // A killed runner is gone together with its whole process group.
    void verifyGroupGone(qint64 runnerPid)
    {
        QVERIFY(runnerPid > 0);
        const QSet<qint64> group{runnerPid};
        QList<Proc> left;
        const bool gone = waitFor(
            [&] {
                left = liveInGroups(group);
                return left.isEmpty() && !isLive(runnerPid);
            },
            settleMs);
        QVERIFY2(gone,
                 QByteArray("processes of the replaced runner's group survive:" + describe(left))
                     .constData());
    }

    // The common shape of a fault case on the shared engine: two healthy invokes share a warm
    // runner; the fault gives `check`'s verdict; the echo action still works; the next healthy
    // invoke works and, when the fault broke the runner, runs in a new process while the old
    // process group is gone; the engine's descendants settle to its runners.
    void faultThenRecover(const QString &action,
                          const QJsonObject &faultParams,
                          const std::function<void(const HttpResult &)> &check,
                          bool breaksRunner)
    {
        const qint64 first = healthyPid(action);
        QVERIFY(first > 0);
        const qint64 warm = healthyPid(action);
        QCOMPARE(warm, first); // warm reuse of the same runner process

        const HttpResult fault = invoke(m_engine, action, faultParams);
        check(fault);
        if (QTest::currentTestFailed())
            return;
        // Every fault is recorded: the record can be read back by its id.
        const QString id = fault.object().value(u"activationId"_s).toString();
        QCOMPARE(id.size(), 32);
        const HttpResult stored = m_engine.get(u"/api/v1/namespaces/_/activations/"_s + id);
        QCOMPARE(stored.status, 200);
        QCOMPARE(responseOf(stored.object()), responseOf(fault.object()));

        verifyEchoWorks(u"after "_s + action);
        if (QTest::currentTestFailed())
            return;

        const qint64 after = healthyPid(action);
        QVERIFY2(after > 0, "the action does not work again after its fault");
        if (breaksRunner) {
            QVERIFY2(after != first, "the broken runner process was reused");
            verifyGroupGone(first);
            if (QTest::currentTestFailed())
                return;
            // The replacement is warm in turn.
            QCOMPARE(healthyPid(action), after);
        }
        verifyOnlyRunnersRemain(m_engine, maxContainers);
    }

    static void verifyDeveloperError(const HttpResult &r)
    {
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"action developer error"_s);
        QCOMPARE(responseOf(record).value(u"success"_s), QJsonValue(false));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"nodejs:20"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
#ifndef Q_OS_LINUX
        QSKIP("process accounting reads /proc");
#endif
        QVERIFY(m_scratch.isValid());
        QVERIFY2(m_engine.start({u"--max-containers"_s, QString::number(maxContainers)}),
                 qPrintable(m_engine.errorString()));
        QVERIFY(enginePid() > 0);
        QVERIFY(create(m_engine, u"healthy-echo"_s, nodeAction()));
        verifyEchoWorks(u"first"_s);
    }

    void actionThrows()
    {
        QVERIFY(create(m_engine, u"fault-throw"_s, actionBody(faultyCode)));
        faultThenRecover(
            u"fault-throw"_s,
            {{u"mode"_s, u"throw"_s}, {u"tag"_s, u"t1"_s}},
            [](const HttpResult &r) {
                verifyDeveloperError(r);
                QCOMPARE(errorOf(r.object()), u"An error has occurred: Error: boom t1"_s);
                QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
            },
            true);
    }

    void actionReturnsNonObject()
    {
        QVERIFY(create(m_engine, u"fault-nondict"_s, actionBody(faultyCode)));
        faultThenRecover(
            u"fault-nondict"_s,
            {{u"mode"_s, u"nondict"_s}},
            [](const HttpResult &r) {
                verifyDeveloperError(r);
                QCOMPARE(errorOf(r.object()), u"The action did not return a dictionary."_s);
                QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
            },
            false);
    }

    void actionNeverReturns()
    {
        QVERIFY(create(m_engine, u"fault-hang"_s, actionBody(faultyCode, {{u"timeout"_s, 1000}})));
        faultThenRecover(
            u"fault-hang"_s,
            {{u"mode"_s, u"hang"_s}},
            [](const HttpResult &r) {
                verifyDeveloperError(r);
                QCOMPARE(errorOf(r.object()),
                         u"The action exceeded its time limits of 1000 milliseconds."_s);
                QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(true));
            },
            true);
    }

    void timedOutActionLeavesNoChildProcess()
    {
        // The action starts `sleep 1000` (same process group) and never returns: the time limit
        // must kill the whole group, not just the runner.
        QVERIFY(create(m_engine, u"fault-spawn"_s, actionBody(faultyCode, {{u"timeout"_s, 1000}})));
        const qint64 runner = healthyPid(u"fault-spawn"_s); // warm first: no init in the limit
        QVERIFY(runner > 0);
        const QString file = m_scratch.filePath(u"spawn.json"_s);
        const HttpResult r
            = invoke(m_engine, u"fault-spawn"_s, {{u"mode"_s, u"spawn"_s}, {u"file"_s, file}});
        verifyDeveloperError(r);
        QCOMPARE(errorOf(r.object()),
                 u"The action exceeded its time limits of 1000 milliseconds."_s);
        QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(true));

        QFile report(file);
        QVERIFY2(report.open(QIODevice::ReadOnly), "the action did not get to spawn its child");
        const QJsonObject pids = QJsonDocument::fromJson(report.readAll()).object();
        QCOMPARE(pids.value(u"runner"_s).toInteger(), runner);
        const qint64 child = pids.value(u"child"_s).toInteger();
        QVERIFY(child > 0);
        const bool childGone = waitFor([&] { return !isLive(child); }, settleMs);
        QVERIFY2(childGone,
                 QByteArray("the action's `sleep 1000` survived the time limit:"
                            + describe(liveInGroups({runner})))
                     .constData());
        verifyGroupGone(runner);
        verifyEchoWorks(u"after spawn"_s);
        const qint64 next = healthyPid(u"fault-spawn"_s);
        QVERIFY(next > 0);
        QVERIFY(next != runner);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
    }

    void actionAllocatesWithoutBound()
    {
        // The runner's process tree is held to the memory limit (V8's heap limit or the
        // engine's sampler, whichever comes first; every kind in tst_memorylimits): the runner
        // is killed with OpenWhisk's text for a container killed for memory.
        QVERIFY(create(m_engine, u"fault-oom"_s, actionBody(faultyCode, {{u"memory"_s, 128}})));
        faultThenRecover(
            u"fault-oom"_s,
            {{u"mode"_s, u"oom"_s}},
            [](const HttpResult &r) {
                verifyDeveloperError(r);
                QCOMPARE(errorOf(r.object()),
                         u"The action exhausted its memory and was aborted."_s);
                QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
            },
            true);
    }

    void actionFloodsLogs()
    {
        QVERIFY(create(m_engine, u"fault-flood"_s, actionBody(faultyCode, {{u"logs"_s, 1}})));
        const qint64 first = healthyPid(u"fault-flood"_s);
        QVERIFY(first > 0);

        const HttpResult r = invoke(m_engine, u"fault-flood"_s, {{u"mode"_s, u"flood"_s}});
        QCOMPARE(r.status, 200); // the activation completes
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"success"_s);
        QCOMPARE(responseOf(record).value(u"result"_s).toObject().value(u"flooded"_s),
                 QJsonValue(true));
        const QStringList logs = logsOf(record);
        QVERIFY(logs.size() > 1);
        QVERIFY2(logs.last().endsWith(u"Logs were truncated because the total bytes size exceeds "
                                      "the limit of 1048576 bytes."_s),
                 qPrintable(logs.last()));
        qint64 kept = 0;
        for (qsizetype i = 0; i + 1 < logs.size(); ++i) {
            QVERIFY2(logs[i].contains(u" stdout: yyyy"_s), qPrintable(logs[i].left(120)));
            kept += logs[i].section(u" stdout: "_s, 1).toUtf8().size();
        }
        QVERIFY2(kept <= 1048576, QByteArray::number(kept).constData());
        QVERIFY(kept > 0);

        // Other actions work; the flooding action's next activation has only its own log line
        // (the flood's end-of-activation sentinels were consumed by the flood).
        verifyEchoWorks(u"after flood"_s);
        const HttpResult next = invoke(
            m_engine, u"fault-flood"_s, {{u"mode"_s, u"log"_s}, {u"text"_s, u"after-flood"_s}});
        QCOMPARE(next.status, 200);
        const QStringList nextLogs = logsOf(next.object());
        QCOMPARE(nextLogs.size(), 1);
        QVERIFY2(nextLogs.first().endsWith(u" stdout: after-flood"_s),
                 qPrintable(nextLogs.first()));
        QVERIFY(pidOf(next.object()) > 0);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
    }

    void actionExitsMidRun()
    {
        QVERIFY(create(m_engine, u"fault-exit"_s, actionBody(faultyCode)));
        faultThenRecover(
            u"fault-exit"_s,
            {{u"mode"_s, u"exit"_s}},
            [](const HttpResult &r) {
                verifyDeveloperError(r);
                QCOMPARE(errorOf(r.object()), exitedUnexpectedly);
                QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
                const QStringList logs = logsOf(r.object());
                QVERIFY2(logs.size() == 1 && logs.first().endsWith(u" stdout: exiting now"_s),
                         qPrintable(logs.join(u'\n')));
            },
            true);
    }

    void initFails()
    {
        QVERIFY(create(m_engine, u"fault-init"_s, nodeAction(u"function main(p) {"_s)));
        for (int attempt = 0; attempt < 2; ++attempt) { // each attempt fails the same way
            const HttpResult r = invoke(m_engine, u"fault-init"_s);
            verifyDeveloperError(r);
            const QString error = errorOf(r.object());
            QVERIFY2(error.startsWith(initFailedPrefix) && error.contains(u"SyntaxError"_s),
                     qPrintable(error));
            QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
        }
        verifyEchoWorks(u"after init failure"_s);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
        if (QTest::currentTestFailed())
            return;

        // Fixed code: a new runner, which then stays warm.
        QVERIFY(create(m_engine, u"fault-init"_s, actionBody(faultyCode)));
        const qint64 pid = healthyPid(u"fault-init"_s);
        QVERIFY(pid > 0);
        QCOMPARE(healthyPid(u"fault-init"_s), pid);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
    }

    void corruptZip()
    {
        QByteArray garbage;
        for (int i = 0; i < 256; ++i)
            garbage += "this is not a zip archive, only bytes " + QByteArray::number(i) + '\n';
        QVERIFY(
            create(m_engine, u"fault-zip"_s, zipAction(QString::fromLatin1(garbage.toBase64()))));
        for (int attempt = 0; attempt < 2; ++attempt) { // each attempt fails the same way
            const HttpResult r = invoke(m_engine, u"fault-zip"_s);
            verifyDeveloperError(r);
            const QString error = errorOf(r.object());
            QVERIFY2(error.startsWith(initFailedPrefix)
                         || error.startsWith(initFailedGenericPrefix),
                     qPrintable(error));
            QCOMPARE(annotation(r.object(), u"timeout"_s), QJsonValue(false));
        }
        verifyEchoWorks(u"after corrupt zip"_s);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
        if (QTest::currentTestFailed())
            return;

        // The same action with a valid zip runs, and stays warm.
        QVERIFY(create(m_engine,
                       u"fault-zip"_s,
                       zipAction(zipBase64(
                           {{u"index.js"_s, faultyCode.toUtf8() + "\nexports.main = main;\n"}}))));
        const qint64 pid = healthyPid(u"fault-zip"_s);
        QVERIFY(pid > 0);
        QCOMPARE(healthyPid(u"fault-zip"_s), pid);
        verifyOnlyRunnersRemain(m_engine, maxContainers);
    }

    void concurrencyIsCappedAndQueued()
    {
        EngineProcess engine;
        QVERIFY2(engine.start({u"--max-containers"_s, u"2"_s, u"--no-prewarm"_s}),
                 qPrintable(engine.errorString()));
        const qint64 root = engine.process().processId();
        QVERIFY(create(engine, u"sleeper"_s, actionBody(faultyCode)));

        int most = 0;
        QList<Proc> worst;
        QSet<qint64> groups;
        const auto sample = [&] {
            const QList<Proc> now = liveDescendants(root);
            for (const Proc &p : now) {
                if (p.pgid == p.pid) // a runner (not a child caught between fork and setpgid)
                    groups.insert(p.pgid);
            }
            if (now.size() > most) {
                most = int(now.size());
                worst = now;
            }
        };

        QStringList ids;
        for (int i = 0; i < 6; ++i) {
            const HttpResult r = engine.post(
                actionPath(u"sleeper"_s), {{u"mode"_s, u"sleep"_s}, {u"ms"_s, 300}, {u"i"_s, i}});
            QCOMPARE(r.status, 202);
            ids.append(r.object().value(u"activationId"_s).toString());
            sample();
        }
        QHash<QString, QJsonObject> records;
        waitFor(
            [&] {
                sample();
                for (const QString &id : std::as_const(ids)) {
                    if (records.contains(id))
                        continue;
                    const HttpResult a = engine.get(u"/api/v1/namespaces/_/activations/"_s + id);
                    if (a.status == 200)
                        records.insert(id, a.object());
                }
                return records.size() == ids.size();
            },
            60000);
        QCOMPARE(records.size(), ids.size());

        int queued = 0;
        QSet<qint64> pids;
        QSet<qint64> indices;
        for (const QJsonObject &record : std::as_const(records)) {
            QCOMPARE(statusOf(record), u"success"_s);
            const QJsonObject result = responseOf(record).value(u"result"_s).toObject();
            pids.insert(result.value(u"pid"_s).toInteger());
            indices.insert(result.value(u"i"_s).toInteger());
            const QJsonValue wait = annotation(record, u"waitTime"_s);
            QVERIFY(wait.isDouble());
            if (wait.toInteger() > 0)
                ++queued;
        }
        QCOMPARE(indices.size(), 6);
        QVERIFY2(queued > 0, "no invocation waited although only 2 runners may run at once");
        QVERIFY2(pids.size() <= 2,
                 QByteArray(QByteArray::number(pids.size()) + " runner processes").constData());
        QVERIFY2(most <= 2,
                 QByteArray(QByteArray::number(most) + " descendants at once:" + describe(worst))
                     .constData());
        QVERIFY(most > 0); // the sampling did see the runners

        for (qint64 pid : std::as_const(pids))
            groups.insert(pid);
        engine.stop();
        QList<Proc> left;
        const bool clean = waitFor(
            [&] {
                left = liveInGroups(groups);
                return left.isEmpty();
            },
            settleMs);
        QVERIFY2(clean,
                 QByteArray("runner processes survived the engine:" + describe(left)).constData());
    }

    void stoppingTheEngineKillsBusyRunnersAndTheirChildren()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        const qint64 root = engine.process().processId();
        QVERIFY(create(engine, u"busy-spawn"_s, actionBody(faultyCode)));
        const QString file = m_scratch.filePath(u"busy.json"_s);
        const HttpResult r = engine.post(actionPath(u"busy-spawn"_s),
                                         {{u"mode"_s, u"spawn"_s}, {u"file"_s, file}});
        QCOMPARE(r.status, 202);
        QJsonObject pids;
        const bool spawned = waitFor(
            [&] {
                QFile f(file);
                if (!f.open(QIODevice::ReadOnly))
                    return false;
                pids = QJsonDocument::fromJson(f.readAll()).object();
                return pids.contains(u"child"_s);
            },
            settleMs);
        QVERIFY2(spawned, "the action did not get to spawn its child");
        const qint64 runner = pids.value(u"runner"_s).toInteger();
        const qint64 child = pids.value(u"child"_s).toInteger();
        QVERIFY(isLive(runner));
        QVERIFY(isLive(child));
        QSet<qint64> groups{runner};
        for (const Proc &p : liveDescendants(root)) {
            if (p.pgid == p.pid)
                groups.insert(p.pgid);
        }

        engine.stop();
        QCOMPARE(engine.process().exitStatus(), QProcess::NormalExit);
        QList<Proc> left;
        const bool clean = waitFor(
            [&] {
                left = liveInGroups(groups);
                return left.isEmpty();
            },
            settleMs);
        QVERIFY2(clean,
                 QByteArray("processes survived the engine's stop:" + describe(left)).constData());
    }

    void cleanupTestCase()
    {
        const qint64 root = enginePid();
        if (root <= 0)
            return;
        for (const Proc &p : liveDescendants(root)) {
            if (p.pgid == p.pid)
                m_groups.insert(p.pgid);
        }
        QVERIFY(!m_groups.isEmpty());
        m_engine.stop();
        QList<Proc> left;
        const bool clean = waitFor(
            [&] {
                left = liveInGroups(m_groups);
                return left.isEmpty();
            },
            settleMs);
        QVERIFY2(clean,
                 QByteArray("runner processes survived the engine:" + describe(left)).constData());
    }
};

QTEST_GUILESS_MAIN(TestInvokerFaults)
#include "tst_invokerfaults.moc"
