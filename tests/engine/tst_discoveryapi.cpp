// SPDX-License-Identifier: GPL-3.0-or-later
// Discovery routes, namespaces and limits (PROTOCOL.md 1.1, 1.5), and the runtimes an engine
// offers: what the root lists, and a kind whose runner is missing refused in words.
#include "enginefixture.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

class TestDiscoveryApi : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void root()
    {
        const HttpResult r = m_engine.get(QStringLiteral("/"), {});
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QLatin1String("description")).toString(), QStringLiteral("OpenWhisk"));
        QCOMPARE(o.value(QLatin1String("api_paths")).toArray(),
                 QJsonArray{QStringLiteral("/api/v1")});
        const QJsonObject limits = o.value(QLatin1String("limits")).toObject();
        QCOMPARE(limits.value(QLatin1String("sequence_length")).toInt(), 50);
        QCOMPARE(limits.value(QLatin1String("max_action_memory")).toInteger(), 536870912);
        QVERIFY(o.value(QLatin1String("runtimes")).isObject());
    }

    void apiInfo()
    {
        const HttpResult r = m_engine.get(QStringLiteral("/api/v1"), {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QLatin1String("api_version_path")).toString(),
                 QStringLiteral("v1"));
    }

    void ping()
    {
        const HttpResult r = m_engine.get(QStringLiteral("/ping"), {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("pong"));
        QCOMPARE(r.header("X-Request-ID").size(), 32);
    }

    void namespacesListsOnlyTheCallers()
    {
        QCOMPARE(m_engine.get(QStringLiteral("/api/v1/namespaces")).array(),
                 QJsonArray{QStringLiteral("guest")});
        QCOMPARE(m_engine.get(QStringLiteral("/api/v1/namespaces"), systemKey).array(),
                 QJsonArray{QStringLiteral("whisk.system")});
    }

    void limitsLocalProfile()
    {
        const HttpResult r = m_engine.get(QStringLiteral("/api/v1/namespaces/_/limits"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QLatin1String("maxActionMemory")).toInt(), 512);
        QCOMPARE(o.value(QLatin1String("minActionTimeout")).toInt(), 100);
        QCOMPARE(o.value(QLatin1String("maxParameterSize")).toString(), QStringLiteral("1 MB"));
    }

    void limitsOpenWhiskProfile()
    {
        EngineProcess engine;
        QVERIFY2(engine.start({QStringLiteral("--limits"), QStringLiteral("openwhisk")}),
                 qPrintable(engine.errorString()));
        const QJsonObject o
            = engine.get(QStringLiteral("/api/v1/namespaces/guest/limits")).object();
        QCOMPARE(o.value(QLatin1String("invocationsPerMinute")).toInt(), 60);
        QCOMPARE(o.value(QLatin1String("firesPerMinute")).toInt(), 60);
        QCOMPARE(o.value(QLatin1String("concurrentInvocations")).toInt(), 30);
    }

    void otherNamespaceLimitsAreForbidden()
    {
        const HttpResult r = m_engine.get(QStringLiteral("/api/v1/namespaces/whisk.system/limits"));
        QCOMPARE(r.status, 403);
        QVERIFY(
            r.error().startsWith(QLatin1String("The supplied authentication is not authorized")));
    }

    void startsQuicklyAndPrintsItsUrl()
    {
        // The readiness time is printed for the record, not asserted (no timing thresholds).
        QElapsedTimer timer;
        timer.start();
        EngineProcess engine;
        QVERIFY(engine.start());
        QVERIFY(engine.get(QStringLiteral("/ping"), {}).status == 200);
        qInfo("engine answered /ping %lld ms after start", timer.elapsed());
        QVERIFY(engine.baseUrl().startsWith(QLatin1String("http://127.0.0.1:")));
    }

    void helpAndVersion()
    {
        QProcess p;
        p.start(QStringLiteral(FEEDSCOPE_ENGINE_PATH), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(5000));
        QVERIFY(p.readAllStandardOutput().startsWith("feedscope-engine"));
        p.start(QStringLiteral(FEEDSCOPE_ENGINE_PATH), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(5000));
        const QByteArray help = p.readAllStandardOutput();
        for (const char *option : {"--host", "--port", "--data", "--limits"})
            QVERIFY2(help.contains(option), option);
    }

    void badOptionsAreRefusedInWords()
    {
        QProcess p;
        p.start(QStringLiteral(FEEDSCOPE_ENGINE_PATH),
                {QStringLiteral("--limits"),
                 QStringLiteral("cloud"),
                 QStringLiteral("--port"),
                 QStringLiteral("0")});
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--limits"));
    }

    // ---- runtimes ----------------------------------------------------------------------------

    void rootListsTheRuntimes()
    {
        const QJsonObject runtimes
            = m_engine.get(u"/"_s, {}).object().value(u"runtimes"_s).toObject();
        auto kinds = [&runtimes](const QString &family) {
            QStringList list;
            for (const QJsonValue &r : runtimes.value(family).toArray())
                list.append(r.toObject().value(u"kind"_s).toString());
            return list;
        };
        QVERIFY2(kinds(u"nodejs"_s).contains(u"nodejs:20"_s),
                 QJsonDocument(runtimes).toJson().constData());
        QVERIFY2(kinds(u"python"_s).contains(u"python:3"_s),
                 QJsonDocument(runtimes).toJson().constData());
        QVERIFY2(kinds(u"blackbox"_s).contains(u"blackbox"_s),
                 QJsonDocument(runtimes).toJson().constData());
    }

    void unavailableKindIsRefused()
    {
        // An engine whose resources lack the python runner (as if it were not installed).
        QTemporaryDir copy;
        QVERIFY(copy.isValid());
        const QDir source(QStringLiteral(FEEDSCOPE_RESOURCES_DIR));
        QDirIterator it(
            source.path(), QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString relative = source.relativeFilePath(file);
            if (relative == u"runtimes/python/runner.py" || relative.contains(u"node_modules"))
                continue;
            const QString target = copy.filePath(relative);
            QVERIFY(QDir().mkpath(QFileInfo(target).path()));
            QVERIFY2(QFile::copy(file, target), qPrintable(relative));
        }
        EngineProcess engine;
        QVERIFY2(engine.start({u"--resources"_s, copy.path(), u"--no-prewarm"_s}),
                 qPrintable(engine.errorString()));
        const QJsonObject runtimes
            = engine.get(u"/"_s, {}).object().value(u"runtimes"_s).toObject();
        QVERIFY2(!runtimes.contains(u"python"_s), QJsonDocument(runtimes).toJson().constData());
        QVERIFY(runtimes.contains(u"nodejs"_s));
        QJsonObject body{
            {u"exec"_s,
             QJsonObject{{u"kind"_s, u"python:3"_s}, {u"code"_s, u"def main(a):\n  return a"_s}}}};
        const HttpResult r = engine.put(u"/api/v1/namespaces/_/actions/no-python"_s, body);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(u"python:3"_s) && r.error().contains(u"missing"_s),
                 r.body.constData());
        QCOMPARE(engine.get(u"/api/v1/namespaces/_/actions/no-python"_s).status, 404);
        // What is there still runs.
        QCOMPARE(engine.put(u"/api/v1/namespaces/_/actions/still-node"_s, nodeAction()).status,
                 200);
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryApi)
#include "tst_discoveryapi.moc"
