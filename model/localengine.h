// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "guardedcallback.h"
#include "result.h"
#include "whiskclient.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

class QNetworkReply;
class QProcess;

namespace Feedscope {

// The engine behind the built-in "Local engine" profile. start() settles, in this order:
//  1. Attach: something answers http://127.0.0.1:<preferred port>/ with an OpenWhisk discovery
//     document ("description": "OpenWhisk"), /api/v1 is an OpenWhisk API and the guest key is
//     accepted on /api/v1/namespaces. That is a feedscope-engine (or an OpenWhisk standalone,
//     which uses the same guest key) the user started: use it, never stop it.
//  2. Side-step: the port answers but not as such an OpenWhisk (or accepts and stays silent, or
//     the engine cannot bind it): start our own engine with --port 0, which lets the kernel
//     pick a free port, and read the address from its first stdout line.
//  3. Start: nothing listens there: start feedscope-engine --host 127.0.0.1 --port <preferred>
//     --data <dataDirectory()> and wait for "feedscope-engine listening on http://HOST:PORT".
// Start-up failures come back as sentences naming the binary or quoting the engine's stderr.
// stop() ends only a process this object started (SIGTERM, then SIGKILL after a grace period),
// without blocking: state Stopping until the process has exited. The destructor, a fallback for
// an owner that did not stop it first, sends SIGTERM and waits at most one grace period. On
// Linux the child also gets SIGTERM if Feedscope dies first.
class LocalEngine : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping };

    static constexpr quint16 defaultPort = 3233; // the port OpenWhisk standalone and wsk use
    // The well-known OpenWhisk guest key (the engine's guestIdentity()).
    static QString guestKey();
    // feedscope-engine next to the running binary: both are installed (and built) into one
    // directory.
    static QString defaultEnginePath();
    // AppDataLocation/engine: the engine's SQLite store and action files.
    static QString defaultDataDirectory();

    explicit LocalEngine(QObject *parent = nullptr);
    ~LocalEngine() override;

    void setEnginePath(const QString &path) { m_enginePath = path; }
    QString enginePath() const { return m_enginePath; }
    void setDataDirectory(const QString &path) { m_dataDirectory = path; }
    QString dataDirectory() const { return m_dataDirectory; }
    // Tests use a random free port so they never touch 3233.
    void setPreferredPort(quint16 port) { m_preferredPort = port; }
    quint16 preferredPort() const { return m_preferredPort; }
    // Appended to the engine's command line (e.g. --no-prewarm, --limits openwhisk).
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }
    // How long the engine may take to print its listening line (default 20 s: a first start
    // creates the SQLite store).
    void setStartTimeout(int ms) { m_startTimeoutMs = ms; }
    // How long stop() waits after SIGTERM before SIGKILL (default 5 s; the engine commits its
    // last write batch and exits in milliseconds).
    void setStopGracePeriod(int ms) { m_stopGraceMs = ms; }

    // Answers once through `context` (dropped if it is destroyed first), never from inside the
    // call. While starting, further calls wait for the same outcome; while running they get the
    // current endpoint.
    void start(QObject *context, std::function<void(Result<WhiskEndpoint>)> done);
    // Asynchronous: `done` runs through `context` once the engine we started has exited (at
    // once, on the next event-loop turn, for an attached engine, which is only forgotten).
    // Pending start() callers get a Cancelled error.
    void stop(QObject *context = nullptr, std::function<void()> done = {});

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    bool ownsProcess() const { return m_process != nullptr; }
    qint64 processId() const; // 0 unless we started the running engine
    WhiskEndpoint endpoint() const { return m_endpoint; }
    // The engine's stdout after the listening line (data directory, limits, ...), bounded.
    QStringList output() const { return m_output; }

Q_SIGNALS:
    void stateChanged(Feedscope::LocalEngine::State state);
    // Our engine ended without stop(): the sentence says how, with its stderr tail.
    void stoppedUnexpectedly(const QString &message);

private:
    void probe();
    void probeStep(const QString &path,
                   bool withKey,
                   std::function<void(int status, const QJsonValue &json, bool refused)> next);
    void launch(quint16 port, bool retryOnBindFailure);
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, bool crashed);
    void onStartTimeout();
    void succeed(const WhiskEndpoint &endpoint);
    void fail(const QString &message, WhiskError::Kind kind = WhiskError::Kind::Protocol);
    void setState(State state);
    void discardProcess();
    QString stderrTail() const;

    using Waiter = GuardedCallback<Result<WhiskEndpoint>>;

    QString m_enginePath;
    QString m_dataDirectory;
    quint16 m_preferredPort = defaultPort;
    QStringList m_extraArguments;
    int m_startTimeoutMs = 20000;
    int m_stopGraceMs = 5000;

    State m_state = State::Stopped;
    WhiskEndpoint m_endpoint;
    QList<Waiter> m_waiters;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_probeReply;
    QProcess *m_process = nullptr;
    bool m_retryOnBindFailure = false;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderr; // bounded tail
    QStringList m_output;
    QTimer m_startTimer;
};

} // namespace Feedscope
