// SPDX-License-Identifier: GPL-3.0-or-later
#include "localengine.h"

#include "childprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QStandardPaths>

namespace Feedscope {

namespace {

const QByteArray listeningPrefix = "feedscope-engine listening on ";
const QString localHost = QStringLiteral("127.0.0.1");
// A probe only has to tell "ours", "someone else's" and "nobody" apart on the loopback
// interface; a server that accepts and stays silent this long counts as someone else's.
constexpr int probeTimeoutMs = 3000;
constexpr qsizetype stderrKeep = 4096;
constexpr qsizetype outputLinesKeep = 200;

WhiskError error(WhiskError::Kind kind, const QString &message)
{
    WhiskError e;
    e.kind = kind;
    e.message = message;
    return e;
}

} // namespace

QString LocalEngine::guestKey()
{
    return QStringLiteral("23bc46b1-71f6-4ed5-8c54-816aa4f8c502:"
                          "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP");
}

QString LocalEngine::defaultEnginePath()
{
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("feedscope-engine"));
}

QString LocalEngine::defaultDataDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("engine"));
}

LocalEngine::LocalEngine(QObject *parent)
    : QObject(parent)
    , m_enginePath(defaultEnginePath())
    , m_dataDirectory(defaultDataDirectory())
{
    // A system proxy must not see (or answer for) requests to our own loopback port.
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_startTimer.setSingleShot(true);
    connect(&m_startTimer, &QTimer::timeout, this, &LocalEngine::onStartTimeout);
}

LocalEngine::~LocalEngine()
{
    m_startTimer.stop();
    if (m_process) {
        // The owner did not stop us first (it should). SIGTERM lets the engine commit its last
        // batch; nothing waits for it here (STYLE.md 28): endProcess escalates and reaps it on
        // later event-loop turns, and if the application exits first, the kernel's
        // parent-death signal (terminateWithParent) ends it all the same.
        m_process->disconnect(this);
        endProcess(std::exchange(m_process, nullptr), m_stopGraceMs);
    }
}

qint64 LocalEngine::processId() const
{
    return m_process && m_state == State::Running ? m_process->processId() : 0;
}

void LocalEngine::start(QObject *context, std::function<void(Result<WhiskEndpoint>)> done)
{
    m_waiters.append(Waiter(context, std::move(done)));
    switch (m_state) {
    case State::Running: succeed(m_endpoint); return;
    case State::Starting: return;
    case State::Stopping: return; // starts once the old process has exited (see stop())
    case State::Stopped:
        setState(State::Starting);
        probe();
        return;
    }
}

void LocalEngine::stop(QObject *context, std::function<void()> done)
{
    m_startTimer.stop();
    if (m_probeReply) {
        m_probeReply->disconnect(this);
        m_probeReply->abort();
        m_probeReply->deleteLater();
    }
    const bool wasStarting = m_state == State::Starting;
    m_endpoint = {};
    if (wasStarting) {
        fail(QStringLiteral("Starting the local engine was cancelled."),
             WhiskError::Kind::Cancelled);
    }
    QProcess *process = std::exchange(m_process, nullptr);
    if (!process) {
        setState(State::Stopped);
        endProcess(nullptr, 0, context, std::move(done));
        return;
    }
    // Our own handlers must not report this as a crash or a failed start.
    process->disconnect(this);
    setState(State::Stopping);
    QPointer<LocalEngine> self(this);
    endProcess(
        process, m_stopGraceMs, this, [self, answer = GuardedCallback<>(context, std::move(done))] {
            if (self && self->m_state == State::Stopping && !self->m_process) {
                self->setState(State::Stopped);
                // start() was called while the old engine was still exiting (restart).
                if (!self->m_waiters.isEmpty()) {
                    self->setState(State::Starting);
                    self->probe();
                }
            }
            answer();
        });
}

// Step 1: who answers on the preferred port?
void LocalEngine::probe()
{
    probeStep(QStringLiteral("/"), false, [this](int status, const QJsonValue &root, bool refused) {
        if (refused) {
            launch(m_preferredPort, true);
            return;
        }
        if (status != 200
            || !root.toObject()
                    .value(QLatin1String("description"))
                    .toString()
                    .contains(QLatin1String("OpenWhisk"))) {
            launch(0, false);
            return;
        }
        probeStep(
            QStringLiteral("/api/v1"), false, [this](int status, const QJsonValue &api, bool) {
                if (status != 200
                    || api.toObject().value(QLatin1String("description")).toString()
                           != u"OpenWhisk API") {
                    launch(0, false);
                    return;
                }
                probeStep(
                    QStringLiteral("/api/v1/namespaces"),
                    true,
                    [this](int status, const QJsonValue &namespaces, bool) {
                        if (status != 200 || !namespaces.isArray()
                            || namespaces.toArray().isEmpty()) {
                            // An OpenWhisk that does not know the guest: not usable as ours.
                            launch(0, false);
                            return;
                        }
                        WhiskEndpoint endpoint;
                        endpoint.apiHost
                            = QStringLiteral("http://%1:%2").arg(localHost).arg(m_preferredPort);
                        endpoint.authKey = guestKey();
                        endpoint.ns = namespaces.toArray().first().toString();
                        succeed(endpoint);
                    });
            });
    });
}

void LocalEngine::probeStep(const QString &path,
                            bool withKey,
                            std::function<void(int, const QJsonValue &, bool)> next)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(localHost);
    url.setPort(m_preferredPort);
    url.setPath(path);
    QNetworkRequest request(url);
    request.setTransferTimeout(probeTimeoutMs);
    if (withKey)
        request.setRawHeader("Authorization", "Basic " + guestKey().toUtf8().toBase64());
    QNetworkReply *reply = m_network.get(request);
    m_probeReply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, next = std::move(next)] {
        reply->deleteLater();
        m_probeReply = nullptr;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool refused = reply->error() == QNetworkReply::ConnectionRefusedError;
        // A reply that timed out is closed; reading it would only warn.
        const QJsonDocument doc
            = QJsonDocument::fromJson(reply->isOpen() ? reply->readAll() : QByteArray());
        const QJsonValue json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        next(status, json, refused);
    });
}

// Steps 2 and 3: our own engine, on the preferred port or (port 0) wherever the kernel says.
void LocalEngine::launch(quint16 port, bool retryOnBindFailure)
{
    const QFileInfo binary(m_enginePath);
    if (!binary.exists()) {
        fail(QStringLiteral("feedscope-engine was not found at %1.").arg(m_enginePath));
        return;
    }
    if (!binary.isFile() || !binary.isExecutable()) {
        fail(QStringLiteral("feedscope-engine at %1 is not an executable file.").arg(m_enginePath));
        return;
    }
    if (!QDir().mkpath(m_dataDirectory)) {
        fail(
            QStringLiteral("feedscope-engine could not start: cannot create its data directory %1.")
                .arg(m_dataDirectory));
        return;
    }

    m_retryOnBindFailure = retryOnBindFailure;
    m_stdoutBuffer.clear();
    m_stderr.clear();
    m_output.clear();
    m_process = new QProcess(this);
    m_process->setProgram(m_enginePath);
    m_process->setArguments(QStringList{QStringLiteral("--host"),
                                        localHost,
                                        QStringLiteral("--port"),
                                        QString::number(port),
                                        QStringLiteral("--data"),
                                        m_dataDirectory}
                            + m_extraArguments);
    // If Feedscope dies without running stop(), the engine should not linger on the port.
    terminateWithParent(m_process);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LocalEngine::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &LocalEngine::onStderr);
    connect(
        m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
            onFinished(exitCode, status == QProcess::CrashExit);
        });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(QStringLiteral("feedscope-engine could not start: %1.")
                     .arg(m_process->errorString()));
    });
    m_startTimer.start(m_startTimeoutMs);
    m_process->start();
}

void LocalEngine::onStdout()
{
    m_stdoutBuffer += m_process->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(newline).trimmed();
        m_stdoutBuffer.remove(0, newline + 1);
        if (m_state == State::Starting && line.startsWith(listeningPrefix)) {
            m_startTimer.stop();
            WhiskEndpoint endpoint;
            endpoint.apiHost = QString::fromUtf8(line.mid(listeningPrefix.size()));
            endpoint.authKey = guestKey();
            endpoint.ns = QStringLiteral("guest");
            succeed(endpoint);
            continue;
        }
        // The banner prints the guest key; what is kept for display never holds it.
        m_output.append(QString::fromUtf8(line).replace(guestKey(), QStringLiteral("***")));
        if (m_output.size() > outputLinesKeep)
            m_output.removeFirst();
    }
}

void LocalEngine::onStderr()
{
    // Drained even when nobody reads it: a full pipe would block the engine's logging.
    m_stderr += m_process->readAllStandardError();
    if (m_stderr.size() > stderrKeep)
        m_stderr.remove(0, m_stderr.size() - stderrKeep);
}

void LocalEngine::onFinished(int exitCode, bool crashed)
{
    onStderr();
    const QString tail = stderrTail();
    const QString how = crashed ? QStringLiteral("it crashed")
                                : QStringLiteral("it exited with code %1").arg(exitCode);
    if (m_state == State::Starting) {
        m_startTimer.stop();
        discardProcess();
        // The port was free when probed but taken by the time the engine bound it.
        if (m_retryOnBindFailure && tail.contains(QLatin1String("cannot listen on"))) {
            launch(0, false);
            return;
        }
        fail(QStringLiteral("feedscope-engine could not start: %1.")
                 .arg(tail.isEmpty() ? how : tail));
        return;
    }
    discardProcess();
    m_endpoint = {};
    setState(State::Stopped);
    Q_EMIT stoppedUnexpectedly(
        tail.isEmpty()
            ? QStringLiteral("feedscope-engine stopped unexpectedly: %1.").arg(how)
            : QStringLiteral("feedscope-engine stopped unexpectedly (%1): %2").arg(how, tail));
}

void LocalEngine::onStartTimeout()
{
    if (m_state != State::Starting || !m_process)
        return;
    m_process->disconnect(this);
    m_stderr += m_process->readAllStandardError();
    const QString tail = stderrTail();
    endProcess(std::exchange(m_process, nullptr), 0);
    fail(QStringLiteral("feedscope-engine did not report that it was listening within %1 s%2")
             .arg(m_startTimeoutMs / 1000)
             .arg(tail.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + tail));
}

void LocalEngine::succeed(const WhiskEndpoint &endpoint)
{
    m_endpoint = endpoint;
    setState(State::Running);
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &waiter : waiters)
        waiter.post(this, endpoint);
}

void LocalEngine::fail(const QString &message, WhiskError::Kind kind)
{
    m_startTimer.stop();
    if (m_process) {
        m_process->disconnect(this);
        endProcess(std::exchange(m_process, nullptr), 0);
    }
    m_endpoint = {};
    setState(State::Stopped);
    const WhiskError e = error(kind, message);
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &waiter : waiters)
        waiter.post(this, e);
}

void LocalEngine::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LocalEngine::discardProcess()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    // Often called from one of the process's own signals.
    m_process->deleteLater();
    m_process = nullptr;
}

QString LocalEngine::stderrTail() const
{
    // The last few lines say why; the engine prefixes its fatal message with its name, which
    // our sentence already carries.
    QStringList lines;
    const QList<QByteArray> raw = m_stderr.split('\n');
    for (const QByteArray &line : raw) {
        QString text = QString::fromUtf8(line).trimmed();
        if (text.startsWith(QLatin1String("feedscope-engine: ")))
            text = text.mid(18);
        if (!text.isEmpty())
            lines.append(text);
    }
    return lines.mid(qMax(0, int(lines.size()) - 5)).join(u'\n');
}

} // namespace Feedscope
