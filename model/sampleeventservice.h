// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "guardedcallback.h"
#include "result.h"

#include <QObject>
#include <QTimer>

#include <functional>

class QProcess;

namespace Feedscope {

// The sample third-party event service (resources/samples/event-service.js) as a child process
// of the app, for the demo workspace: started on a preferred port (the one the demo's feeds
// point at) or, when that is taken, on a free one; stopped without blocking. Its webhooks and
// event ids live in a state file, so a restart on the same port continues where it stopped.
class SampleEventService : public QObject
{
    Q_OBJECT

public:
    explicit SampleEventService(QObject *parent = nullptr);
    ~SampleEventService() override;

    void setScript(const QString &path) { m_script = path; }
    void setStateFile(const QString &path) { m_stateFile = path; }
    void setRate(double eventsPerSecond) { m_rate = eventsPerSecond; }
    void setEventType(const QString &type) { m_type = type; }

    // Answers the base URL ("http://127.0.0.1:PORT") once it listens, through `context`.
    void start(quint16 preferredPort, QObject *context, std::function<void(Result<QString>)> done);
    void stop(QObject *context = nullptr, std::function<void()> done = {});

    bool isRunning() const { return !m_url.isEmpty(); }
    QString url() const { return m_url; }
    quint16 port() const;

Q_SIGNALS:
    void stoppedUnexpectedly(const QString &message);

private:
    void launch(quint16 port, bool fallBackToFreePort);
    void finish(Result<QString> result);

    QString m_script;
    QString m_stateFile;
    double m_rate = 0.5;
    QString m_type = QStringLiteral("order.created");
    QProcess *m_process = nullptr;
    QString m_url;
    QByteArray m_stdout;
    QByteArray m_stderr;
    GuardedCallback<Result<QString>> m_done; // the start() waiting for the URL
    QTimer m_startTimer;
};

} // namespace Feedscope
