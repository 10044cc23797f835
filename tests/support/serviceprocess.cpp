// SPDX-License-Identifier: GPL-3.0-or-later
#include "serviceprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpServer>
#include <QThread>
#include <QUrl>

namespace Feedscope::Testing {

ServiceProcess::~ServiceProcess()
{
    stop();
}

bool ServiceProcess::launch(const QString &program, const QStringList &arguments)
{
    stop();
    m_workDir = std::make_unique<QTemporaryDir>();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setWorkingDirectory(m_workDir->path());
    m_process->setProgram(program);
    m_process->setArguments(arguments);
    m_process->start();
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("%1 did not start: %2").arg(program, m_process->errorString());
        return false;
    }
    return true;
}

bool ServiceProcess::startEventService(const QString &script)
{
    if (!launch(QStringLiteral("node"), {script, QStringLiteral("--port"), QStringLiteral("0")}))
        return false;
    const QByteArray prefix = "event-service listening on ";
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        if (!m_process->canReadLine()) {
            m_process->waitForReadyRead(200);
            continue;
        }
        const QByteArray line = m_process->readLine().trimmed();
        if (line.startsWith(prefix)) {
            m_baseUrl = QString::fromUtf8(line.mid(prefix.size()));
            m_port = quint16(QUrl(m_baseUrl).port());
            return true;
        }
    }
    m_error = QStringLiteral("event service did not report its port: %1")
                  .arg(QString::fromUtf8(m_process->readAllStandardError()));
    stop();
    return false;
}

bool ServiceProcess::startPouchDb(const QString &executable)
{
    m_port = freePort();
    if (!launch(
            executable,
            {QStringLiteral("--in-memory"), QStringLiteral("--port"), QString::number(m_port)})) {
        return false;
    }
    m_baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(m_port);
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        if (httpRequest("GET", m_baseUrl + u'/', {}, nullptr, 2000) == 200)
            return true;
        QThread::msleep(200);
    }
    m_error = QStringLiteral("pouchdb-server did not answer on port %1: %2")
                  .arg(m_port)
                  .arg(QString::fromUtf8(m_process->readAllStandardError()
                                         + m_process->readAllStandardOutput()));
    stop();
    return false;
}

void ServiceProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(5000))
        kill();
}

void ServiceProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
}

bool ServiceProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ServiceProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

quint16 ServiceProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

int ServiceProcess::httpRequest(const QByteArray &method,
                                const QString &url,
                                const QByteArray &body,
                                QByteArray *replyBody,
                                int timeoutMs)
{
    QNetworkAccessManager network;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (replyBody)
        *replyBody = reply->readAll();
    delete reply;
    return status;
}

} // namespace Feedscope::Testing
