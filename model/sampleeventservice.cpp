// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampleeventservice.h"

#include "childprocess.h"
#include "resourcelocation.h"

#include <QProcess>
#include <QUrl>

namespace Feedscope {

namespace {

const QByteArray listeningPrefix = "event-service listening on ";

WhiskError failure(const QString &message)
{
    WhiskError e;
    e.kind = WhiskError::Kind::Protocol;
    e.message = message;
    return e;
}

} // namespace

SampleEventService::SampleEventService(QObject *parent)
    : QObject(parent)
    , m_script(resourcesDirectory() + QStringLiteral("/samples/event-service.js"))
{
    m_startTimer.setSingleShot(true);
    m_startTimer.setInterval(15000);
    connect(&m_startTimer, &QTimer::timeout, this, [this] {
        endProcess(std::exchange(m_process, nullptr), 0);
        finish(failure(tr("The sample event service did not start within 15 s.")));
    });
}

SampleEventService::~SampleEventService()
{
    if (m_process) {
        m_process->disconnect(this);
        endProcess(std::exchange(m_process, nullptr), 2000);
    }
}

quint16 SampleEventService::port() const
{
    return quint16(QUrl(m_url).port());
}

void SampleEventService::start(quint16 preferredPort,
                               QObject *context,
                               std::function<void(Result<QString>)> done)
{
    if (isRunning()) {
        GuardedCallback<Result<QString>>(context, std::move(done)).post(this, m_url);
        return;
    }
    m_done = GuardedCallback<Result<QString>>(context, std::move(done));
    if (!m_process)
        launch(preferredPort, preferredPort != 0);
}

void SampleEventService::launch(quint16 port, bool fallBackToFreePort)
{
    m_stdout.clear();
    m_stderr.clear();
    m_process = new QProcess(this);
    terminateWithParent(m_process);
    QStringList arguments{m_script,
                          QStringLiteral("--port"),
                          QString::number(port),
                          QStringLiteral("--rate"),
                          QString::number(m_rate),
                          QStringLiteral("--type"),
                          m_type};
    if (!m_stateFile.isEmpty())
        arguments << QStringLiteral("--state") << m_stateFile;
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout += m_process->readAllStandardOutput();
        const qsizetype newline = m_stdout.indexOf('\n');
        if (m_url.isEmpty() && newline >= 0 && m_stdout.startsWith(listeningPrefix)) {
            m_startTimer.stop();
            m_url = QString::fromUtf8(
                m_stdout.mid(listeningPrefix.size(), newline - listeningPrefix.size()));
            finish(m_url);
        }
        if (m_stdout.size() > 4096)
            m_stdout.clear();
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > 4096)
            m_stderr = m_stderr.right(4096);
    });
    connect(m_process, &QProcess::finished, this, [this, fallBackToFreePort](int code) {
        const QString tail = QString::fromUtf8(m_stderr).trimmed().section(u'\n', -3);
        m_process->deleteLater();
        m_process = nullptr;
        if (m_url.isEmpty()) {
            m_startTimer.stop();
            if (fallBackToFreePort && tail.contains(QLatin1String("cannot listen"))) {
                launch(0, false); // the demo's port is someone else's now
                return;
            }
            finish(failure(tr("The sample event service could not start (exit code %1): %2")
                               .arg(code)
                               .arg(tail)));
            return;
        }
        m_url.clear();
        Q_EMIT stoppedUnexpectedly(
            tr("The sample event service stopped unexpectedly (exit code %1): %2")
                .arg(code)
                .arg(tail));
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_startTimer.stop();
        const QString reason = m_process->errorString();
        endProcess(std::exchange(m_process, nullptr), 0);
        finish(failure(tr("The sample event service needs Node.js (node), which could not be "
                          "started: %1")
                           .arg(reason)));
    });
    m_startTimer.start();
    m_process->start(QStringLiteral("node"), arguments);
}

void SampleEventService::finish(Result<QString> result)
{
    std::exchange(m_done, {})(result);
}

void SampleEventService::stop(QObject *context, std::function<void()> done)
{
    m_startTimer.stop();
    m_url.clear();
    if (m_done.isLive()) {
        WhiskError cancelled = failure(tr("Starting the sample event service was cancelled."));
        cancelled.kind = WhiskError::Kind::Cancelled;
        finish(cancelled);
    }
    endProcess(std::exchange(m_process, nullptr), 3000, context, std::move(done));
}

} // namespace Feedscope
