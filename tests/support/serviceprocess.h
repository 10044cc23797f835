// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace Feedscope::Testing {

// A helper child process for engine tests (the sample event service, pouchdb-server): started
// on a free local port, waited for until it answers, and stopped (then killed) at the latest in
// the destructor, so that no test leaves a process behind.
class ServiceProcess
{
public:
    ServiceProcess() = default;
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess &) = delete;
    ServiceProcess &operator=(const ServiceProcess &) = delete;

    // `node <script> --port 0`; waits for the line "event-service listening on <url>".
    bool startEventService(const QString &script);
    // `<executable> --in-memory --port <free port>` in a temporary working directory (it writes
    // config.json / log.txt there); waits until GET / answers 200.
    bool startPouchDb(const QString &executable);

    // SIGTERM, then SIGKILL if it does not exit promptly.
    void stop();
    void kill();
    bool isRunning() const;
    qint64 pid() const;

    QString baseUrl() const { return m_baseUrl; } // http://127.0.0.1:PORT
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }

    // A port nothing listens on right now (bound to 0, then released).
    static quint16 freePort();
    // One synchronous HTTP request (for talking to the service itself); status 0 = no reply.
    static int httpRequest(const QByteArray &method,
                           const QString &url,
                           const QByteArray &body = {},
                           QByteArray *replyBody = nullptr,
                           int timeoutMs = 15000);

private:
    bool launch(const QString &program, const QStringList &arguments);

    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QTemporaryDir> m_workDir;
    QString m_baseUrl;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace Feedscope::Testing
