// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <functional>

class QTcpSocket;

namespace Feedscope::Engine {

// A lean HTTP/1.1 client for the providers' fires to the engine's own public endpoint: a few
// keep-alive connections with pipelining. QNetworkAccessManager's six connections per host and
// per-request overhead made 1,000 alarms due in the same second fire up to 1.6 s late on two
// cores (bench/feeds.sh); this keeps them within tens of milliseconds.
class LoopbackClient : public QObject
{
    Q_OBJECT

public:
    // status 0 means no reply (connection failed or closed): retryable.
    using Done = std::function<void(int status, const QByteArray &body)>;

    explicit LoopbackClient(QObject *parent = nullptr);
    ~LoopbackClient() override;

    void setServer(const QString &host, quint16 port);
    // `extraHeaders`: whole header lines, each ending in CRLF.
    void post(const QByteArray &path,
              const QByteArray &authorization,
              const QByteArray &body,
              const QByteArray &extraHeaders,
              Done done);

private:
    struct Connection
    {
        QTcpSocket *socket = nullptr;
        QByteArray buffer;
        std::deque<Done> pending;
    };

    Connection &pick();
    void open(Connection &connection);
    void onReadyRead(Connection &connection);
    void onClosed(Connection &connection);

    QString m_host;
    quint16 m_port = 0;
    QList<Connection *> m_connections;
};

} // namespace Feedscope::Engine
