// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runtimecatalog.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>

#include <deque>
#include <functional>

class QLocalSocket;

namespace Feedscope::Engine {

// One warm "container": a runner process for one action, in its own process group, talking
// the action-proxy protocol over a socketpair on its fd 3 (one JSON line per message), with its
// stdout / stderr collected as activation log lines (PROTOCOL.md 2.3, 7).
class Container : public QObject
{
    Q_OBJECT

public:
    struct Reply
    {
        int status = 0; // 0: no valid reply (the process died or sent garbage)
        QJsonValue body;
        QByteArray raw;
    };
    using ReplyHandler = std::function<void(const Reply &)>;

    Container(const Runtime &runtime,
              const QProcessEnvironment &environment,
              int memoryMb,
              QObject *parent = nullptr);
    ~Container() override;

    bool start(QString *error);
    const Runtime &runtime() const { return m_runtime; }
    qint64 pid() const { return m_pid; }
    bool isAlive() const { return m_alive; }

    // Sends one request; `handler` gets the reply (or status 0 when the process dies first).
    void send(const QString &path, const QJsonObject &body, ReplyHandler handler);

    // Starts a new log section limited to `limitBytes`; it is complete once the runner wrote the
    // end-of-activation sentinel on both streams (logsComplete).
    void beginLogs(qint64 limitBytes);
    bool logsComplete() const { return m_stdoutDone && m_stderrDone; }
    QStringList takeLogs();

    // SIGKILL to the whole process group, so nothing the action started survives.
    void kill();

    // While on, samples the resident memory of the runner and everything it started (RSS of the
    // process tree, processmemory.h) and emits memoryExceeded once it is above the memory limit.
    // Turning it off takes one last sample, without the signal: memory the action still holds
    // when it returns counts too.
    void watchMemory(bool on);
    // The limit was crossed: seen by the sampler, or reported by the runtime itself (V8's fatal
    // heap OOM, which --max-old-space-size may trigger before a sample sees the heap grow).
    bool memoryExhausted() const { return m_memoryExhausted; }
    qint64 peakResidentBytes() const { return m_peakResident; }

    // Bookkeeping for the pool.
    QString key; // action identity this container is initialised for ("" = prewarm)
    bool initialised = false;
    bool broken = false; // must not be reused
    qint64 lastUsed = 0;

Q_SIGNALS:
    void logsCompleted();
    void exited();
    void memoryExceeded();

private:
    void onSocketReadyRead();
    void onStdout();
    void onStderr();
    void collect(QByteArray &buffer, const QByteArray &chunk, bool isStdout);
    void appendLine(const QByteArray &line, bool isStdout);
    void onFinished();
    void sampleMemory(bool notify);

    Runtime m_runtime;
    QProcessEnvironment m_environment;
    int m_memoryMb;
    QProcess *m_process;
    // The runner's TMPDIR: whatever the action extracts or writes there goes with the container.
    QTemporaryDir m_tmp;
    QLocalSocket *m_socket = nullptr;
    QByteArray m_socketBuffer;
    std::deque<ReplyHandler> m_pending;
    bool m_alive = false;
    qint64 m_pid = 0; // kept after exit: the process group to clean up

    QByteArray m_stdoutPartial;
    QByteArray m_stderrPartial;
    QStringList m_logs;
    qint64 m_logBytes = 0;
    qint64 m_logLimit = 0;
    bool m_truncated = false;
    bool m_stdoutDone = true;
    bool m_stderrDone = true;

    QTimer m_memoryTimer;
    qint64 m_peakResident = 0;
    bool m_memoryExhausted = false;
};

// OpenWhisk's result text for an action killed for memory (upstream Messages.memoryExhausted).
QString memoryExhaustedMessage();

// "2024-06-10T06:13:20.140123456Z": RFC 3339 UTC with nanoseconds, 30 characters.
QString logTimestamp();

} // namespace Feedscope::Engine
