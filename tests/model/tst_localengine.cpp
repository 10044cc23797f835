// SPDX-License-Identifier: GPL-3.0-or-later
// The Local engine profile's engine: start, attach, side-step a foreign server, fail in words,
// and stop only what was started. Every test uses a random free port as the "preferred" one,
// never 3233, and a temporary data directory; every child process is gone when a test ends.
#include "enginefixture.h"
#include "feedtesting.h"
#include "localengine.h"
#include "processtree.h"
#include "whiskclient.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <optional>

using namespace Feedscope;
using Feedscope::Testing::acceptsConnections;
using Feedscope::Testing::processGone;

namespace {

constexpr int waitMs = 60000; // an upper bound for a hang, not a performance expectation

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

std::optional<Result<WhiskEndpoint>> startEngine(LocalEngine &engine)
{
    QObject context;
    std::optional<Result<WhiskEndpoint>> result;
    engine.start(&context, [&result](Result<WhiskEndpoint> r) { result.emplace(std::move(r)); });
    if (result) // never answered inside the call
        return std::nullopt;
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, waitMs))
        return std::nullopt;
    return result;
}

std::optional<Result<QStringList>> namespacesAt(const WhiskEndpoint &endpoint)
{
    WhiskClient client;
    client.setEndpoint(endpoint);
    std::optional<Result<QStringList>> result;
    client.listNamespaces(&client, [&result](Result<QStringList> r) { result.emplace(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, waitMs))
        return std::nullopt;
    return result;
}

} // namespace

class TestLocalEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QVERIFY(m_data.isValid());
        m_engine = std::make_unique<LocalEngine>();
        m_engine->setEnginePath(QStringLiteral(FEEDSCOPE_ENGINE_PATH));
        m_engine->setDataDirectory(
            m_data.filePath(QString::fromLatin1(QTest::currentTestFunction())));
        m_engine->setExtraArguments({QStringLiteral("--no-prewarm")});
        m_port = freePort();
        QVERIFY(m_port != 0);
        m_engine->setPreferredPort(m_port);
    }

    void cleanup() { m_engine.reset(); } // stops whatever it started

    void defaults()
    {
        LocalEngine engine;
        QCOMPARE(engine.preferredPort(), quint16(3233));
        QVERIFY(engine.enginePath().endsWith(QLatin1String("/feedscope-engine")));
        QVERIFY(engine.dataDirectory().endsWith(QLatin1String("/engine")));
        QCOMPARE(engine.state(), LocalEngine::State::Stopped);
    }

    void startsOnFreePreferredPortAndStopKillsIt()
    {
        QSignalSpy states(m_engine.get(), &LocalEngine::stateChanged);
        const auto r = startEngine(*m_engine);
        QVERIFY(r);
        QVERIFY2(*r, qPrintable(r->error().message));
        const WhiskEndpoint endpoint = r->value();
        QCOMPARE(endpoint.apiHost, QStringLiteral("http://127.0.0.1:%1").arg(m_port));
        QCOMPARE(endpoint.authKey, LocalEngine::guestKey());
        QVERIFY(m_engine->ownsProcess());
        QVERIFY(m_engine->isRunning());
        QCOMPARE(m_engine->endpoint().apiHost, endpoint.apiHost);
        const qint64 pid = m_engine->processId();
        QVERIFY(pid > 0);
        QCOMPARE(states.size(), 2); // Starting, Running

        const auto namespaces = namespacesAt(endpoint);
        QVERIFY(namespaces);
        QVERIFY2(*namespaces, qPrintable(namespaces->error().message));
        QCOMPARE(namespaces->value(), QStringList{QStringLiteral("guest")});

        // The banner is kept for display, without the key it prints.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_engine->output().join(u'\n').contains(QLatin1String("wsk property set")), waitMs);
        const QString secret = LocalEngine::guestKey().section(u':', 1);
        QVERIFY2(!m_engine->output().join(u'\n').contains(secret),
                 "LocalEngine::output() keeps the guest key");

        // A second start() while running answers with the same endpoint.
        const auto again = startEngine(*m_engine);
        QVERIFY(again && *again);
        QCOMPARE(again->value().apiHost, endpoint.apiHost);
        QCOMPARE(m_engine->processId(), pid);

        // stop() returns at once; the engine is gone when its callback runs.
        bool stopped = false;
        m_engine->stop(this, [&stopped] { stopped = true; });
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopping);
        QVERIFY(!m_engine->ownsProcess());
        QTRY_VERIFY_WITH_TIMEOUT(stopped, waitMs);
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QVERIFY(processGone(pid));
        QVERIFY(!acceptsConnections(m_port));
    }

    void attachesToRunningEngineAndLeavesItRunning()
    {
        Testing::EngineProcess other;
        QVERIFY2(other.start({QStringLiteral("--port"),
                              QString::number(m_port),
                              QStringLiteral("--no-prewarm")}),
                 qPrintable(other.errorString()));
        QCOMPARE(other.baseUrl(), QStringLiteral("http://127.0.0.1:%1").arg(m_port));

        const auto r = startEngine(*m_engine);
        QVERIFY(r);
        QVERIFY2(*r, qPrintable(r->error().message));
        QCOMPARE(r->value().apiHost, other.baseUrl());
        QCOMPARE(r->value().ns, QStringLiteral("guest"));
        QVERIFY(!m_engine->ownsProcess());
        QCOMPARE(m_engine->processId(), qint64(0));
        const auto namespaces = namespacesAt(r->value());
        QVERIFY(namespaces && *namespaces);
        QCOMPARE(namespaces->value(), QStringList{QStringLiteral("guest")});

        bool stopped = false;
        m_engine->stop(this, [&stopped] { stopped = true; });
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QTRY_VERIFY(stopped);
        QCOMPARE(other.process().state(), QProcess::Running);
        QCOMPARE(other.get(QStringLiteral("/api/v1/namespaces")).status, 200);
        m_engine.reset();
        QCOMPARE(other.process().state(), QProcess::Running);
    }

    void sidestepsForeignServer_data()
    {
        QTest::addColumn<bool>("answers");
        QTest::newRow("answers HTTP, not OpenWhisk") << true;
        QTest::newRow("accepts and stays silent") << false;
    }
    void sidestepsForeignServer()
    {
        QFETCH(bool, answers);
        QTcpServer foreign;
        QVERIFY(foreign.listen(QHostAddress::LocalHost, m_port));
        QList<QTcpSocket *> held;
        connect(&foreign, &QTcpServer::newConnection, this, [&foreign, &held, answers] {
            while (QTcpSocket *socket = foreign.nextPendingConnection()) {
                held.append(socket);
                if (answers) {
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                  "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
                    socket->disconnectFromHost();
                }
            }
        });

        const auto r = startEngine(*m_engine);
        QVERIFY(r);
        QVERIFY2(*r, qPrintable(r->error().message));
        QVERIFY(m_engine->ownsProcess());
        const QUrl url(r->value().apiHost);
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(url.port() > 0);
        QVERIFY(url.port() != m_port);
        QVERIFY(!held.isEmpty()); // it did ask the foreign server first
        const auto namespaces = namespacesAt(r->value());
        QVERIFY(namespaces && *namespaces);
        QCOMPARE(namespaces->value(), QStringList{QStringLiteral("guest")});

        const qint64 pid = m_engine->processId();
        bool stopped = false;
        m_engine->stop(this, [&stopped] { stopped = true; });
        QTRY_VERIFY_WITH_TIMEOUT(stopped, waitMs);
        QVERIFY(processGone(pid));
        QVERIFY(foreign.isListening()); // not ours: untouched
        qDeleteAll(held);
    }

    void missingBinaryIsNamed()
    {
        const QString path = m_data.filePath(QStringLiteral("nowhere/feedscope-engine"));
        m_engine->setEnginePath(path);
        const auto r = startEngine(*m_engine);
        QVERIFY(r);
        QVERIFY(!*r);
        QCOMPARE(r->error().message,
                 QStringLiteral("feedscope-engine was not found at %1.").arg(path));
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QVERIFY(!m_engine->ownsProcess());
    }

    void engineFailureQuotesItsStderr()
    {
        m_engine->setExtraArguments({QStringLiteral("--limits"), QStringLiteral("bogus")});
        QSignalSpy unexpected(m_engine.get(), &LocalEngine::stoppedUnexpectedly);
        const auto r = startEngine(*m_engine);
        QVERIFY(r);
        QVERIFY(!*r);
        QVERIFY2(r->error().message.startsWith(
                     QLatin1String("feedscope-engine could not start: --limits: ")),
                 qPrintable(r->error().message));
        QVERIFY(r->error().message.contains(QLatin1String("bogus")));
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QVERIFY(unexpected.isEmpty()); // a failed start is reported once, to the caller
    }

    void unexpectedExitIsReported()
    {
        const auto r = startEngine(*m_engine);
        QVERIFY(r && *r);
        const qint64 pid = m_engine->processId();
        QSignalSpy unexpected(m_engine.get(), &LocalEngine::stoppedUnexpectedly);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QVERIFY(unexpected.wait(waitMs));
        QVERIFY2(unexpected.at(0).at(0).toString().startsWith(
                     QLatin1String("feedscope-engine stopped unexpectedly")),
                 qPrintable(unexpected.at(0).at(0).toString()));
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QVERIFY(!m_engine->ownsProcess());
    }

    void stopWhileStartingCancels()
    {
        std::optional<Result<WhiskEndpoint>> result;
        QObject context;
        m_engine->start(&context, [&result](Result<WhiskEndpoint> r) { result.emplace(r); });
        QCOMPARE(m_engine->state(), LocalEngine::State::Starting);
        m_engine->stop();
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopped);
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), waitMs);
        QVERIFY(!*result);
        QCOMPARE(result->error().kind, WhiskError::Kind::Cancelled);
        QVERIFY(!acceptsConnections(m_port));
    }

    void restartWhileStoppingStartsAgain()
    {
        const auto r = startEngine(*m_engine);
        QVERIFY(r && *r);
        const qint64 first = m_engine->processId();
        m_engine->stop();
        QCOMPARE(m_engine->state(), LocalEngine::State::Stopping);
        const auto again = startEngine(*m_engine);
        QVERIFY(again);
        QVERIFY2(*again, qPrintable(again->error().message));
        QVERIFY(processGone(first));
        QVERIFY(m_engine->processId() != first);
        QCOMPARE(again->value().apiHost, QStringLiteral("http://127.0.0.1:%1").arg(m_port));
        const auto namespaces = namespacesAt(again->value());
        QVERIFY(namespaces && *namespaces);
    }

    void destructorEndsTheEngine()
    {
        const auto r = startEngine(*m_engine);
        QVERIFY(r && *r);
        const qint64 pid = m_engine->processId();
        m_engine.reset(); // does not block: the process ends on later event-loop turns
        QTRY_VERIFY(processGone(pid));
        QVERIFY(!acceptsConnections(m_port));
    }

private:
    QTemporaryDir m_data;
    std::unique_ptr<LocalEngine> m_engine;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(TestLocalEngine)
#include "tst_localengine.moc"
