// SPDX-License-Identifier: GPL-3.0-or-later
#include "enginefixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>

namespace Feedscope::Testing {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString engineLogDirectory()
{
    return QStringLiteral(FEEDSCOPE_TEST_LOG_DIR);
}

EngineProcess::EngineProcess() = default;

EngineProcess::~EngineProcess()
{
    kill();
    dropEmptyLog();
}

void EngineProcess::dropEmptyLog()
{
    // Most runs log nothing: only logs with something in them are kept for tst_nokeysinlogs.
    if (!m_logPath.isEmpty() && QFileInfo(m_logPath).size() == 0)
        QFile::remove(m_logPath);
}

bool EngineProcess::start(const QStringList &extraArgs)
{
    if (m_process) {
        keepStdoutAfterBanner(); // a restart: what the previous run printed
        dropEmptyLog();
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_bannerRead = false;
    m_stdout.clear();
    // A file rather than a pipe: nothing has to drain it, and it outlives a crashed test.
    static int serial = 0;
    if (QDir().mkpath(engineLogDirectory())) {
        m_logPath = QDir(engineLogDirectory())
                        .filePath(QStringLiteral("engine-%1-%2.log")
                                      .arg(QCoreApplication::applicationPid())
                                      .arg(++serial));
        m_process->setStandardErrorFile(m_logPath, QIODevice::Append);
    }
    m_process->setProgram(QStringLiteral(FEEDSCOPE_ENGINE_PATH));
    m_process->setArguments(QStringList{QStringLiteral("--port"),
                                        QStringLiteral("0"),
                                        QStringLiteral("--data"),
                                        m_dataDir.path()}
                            + extraArgs);
    m_process->start();
    if (!m_process->waitForStarted(5000)) {
        m_error = m_process->errorString();
        return false;
    }
    const QByteArray prefix = "feedscope-engine listening on ";
    QDeadlineTimer deadline(15000);
    QByteArray line;
    while (!deadline.hasExpired()) {
        if (m_process->canReadLine() || m_process->waitForReadyRead(200)) {
            if (!m_process->canReadLine())
                continue;
            line = m_process->readLine();
            m_stdout += line;
            line = line.trimmed();
            break;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    if (!line.startsWith(prefix)) {
        m_error = QStringLiteral("engine did not start: '%1' %2")
                      .arg(QString::fromUtf8(line), QString::fromUtf8(errorOutput()));
        return false;
    }
    m_baseUrl = QString::fromUtf8(line.mid(prefix.size()));
    return true;
}

void EngineProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    keepStdoutAfterBanner();
}

void EngineProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    keepStdoutAfterBanner(); // also when the engine ended on its own
}

QByteArray EngineProcess::errorOutput() const
{
    QFile file(m_logPath);
    if (m_logPath.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QByteArray EngineProcess::standardOutput()
{
    keepStdoutAfterBanner();
    return m_stdout;
}

void EngineProcess::keepStdoutAfterBanner()
{
    if (!m_process || m_logPath.isEmpty())
        return;
    // The banner (up to the `wsk property set ... --auth` or `keys: from` line) is the one place
    // the engine may print a key; everything after it is logged like stderr.
    QByteArray rest;
    while (m_process->canReadLine() || m_process->bytesAvailable() > 0) {
        const QByteArray line = m_process->readLine();
        if (line.isEmpty())
            break;
        m_stdout += line;
        if (!m_bannerRead) {
            m_bannerRead = line.startsWith("wsk property set ") || line.startsWith("keys: from ");
            continue;
        }
        rest += line;
    }
    if (rest.isEmpty())
        return;
    QFile file(m_logPath);
    if (file.open(QIODevice::Append))
        file.write("--- stdout after the banner ---\n" + rest);
}

HttpResult EngineProcess::request(const QByteArray &method,
                                  const QString &path,
                                  const QByteArray &body,
                                  const QByteArray &auth,
                                  const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(m_baseUrl + path));
    request.setTransferTimeout(70000);
    if (!auth.isEmpty())
        request.setRawHeader("Authorization", "Basic " + auth.toBase64());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();

    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.append(pair);
    if (result.status == 0)
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

QByteArray EngineProcess::rawExchange(const QByteArray &bytes, int timeoutMs)
{
    const QUrl url(m_baseUrl);
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(bytes);
    socket.waitForBytesWritten(3000);
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(100))
            received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

QJsonObject nodeAction(const QString &code)
{
    return QJsonObject{{QStringLiteral("exec"),
                        QJsonObject{{QStringLiteral("kind"), QStringLiteral("nodejs:20")},
                                    {QStringLiteral("code"), code}}}};
}

QJsonArray keyValues(const QJsonObject &object)
{
    QJsonArray pairs;
    for (auto it = object.begin(); it != object.end(); ++it)
        pairs.append(
            QJsonObject{{QStringLiteral("key"), it.key()}, {QStringLiteral("value"), it.value()}});
    return pairs;
}

} // namespace Feedscope::Testing
