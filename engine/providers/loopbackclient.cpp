// SPDX-License-Identifier: GPL-3.0-or-later
#include "loopbackclient.h"

#include <QTcpSocket>

namespace Feedscope::Engine {

namespace {
constexpr int connectionCount = 8;
} // namespace

LoopbackClient::LoopbackClient(QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < connectionCount; ++i)
        m_connections.append(new Connection);
}

LoopbackClient::~LoopbackClient()
{
    for (Connection *c : m_connections) {
        if (c->socket)
            c->socket->disconnect(this);
        delete c;
    }
}

void LoopbackClient::setServer(const QString &host, quint16 port)
{
    m_host = host == u"0.0.0.0" ? QStringLiteral("127.0.0.1")
             : host == u"::"    ? QStringLiteral("::1")
                                : host;
    m_port = port;
}

LoopbackClient::Connection &LoopbackClient::pick()
{
    Connection *best = m_connections.first();
    for (Connection *c : m_connections) {
        if (c->pending.size() < best->pending.size())
            best = c;
    }
    return *best;
}

void LoopbackClient::open(Connection &c)
{
    c.socket = new QTcpSocket(this);
    c.socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    c.buffer.clear();
    connect(c.socket, &QTcpSocket::readyRead, this, [this, &c] { onReadyRead(c); });
    connect(c.socket, &QTcpSocket::disconnected, this, [this, &c] { onClosed(c); });
    connect(c.socket, &QTcpSocket::errorOccurred, this, [this, &c] { onClosed(c); });
    c.socket->connectToHost(m_host, m_port);
}

void LoopbackClient::post(const QByteArray &path,
                          const QByteArray &authorization,
                          const QByteArray &body,
                          const QByteArray &extraHeaders,
                          Done done)
{
    Connection &c = pick();
    if (!c.socket)
        open(c);
    c.pending.push_back(std::move(done));
    // Written at once even while connecting: QTcpSocket buffers until connected, and the
    // server answers pipelined requests in order.
    c.socket->write("POST " + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1()
                    + "\r\nAuthorization: " + authorization + "\r\n" + extraHeaders
                    + "Content-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

void LoopbackClient::onReadyRead(Connection &c)
{
    c.buffer += c.socket->readAll();
    for (;;) {
        const qsizetype headEnd = c.buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QByteArray head = c.buffer.left(headEnd);
        const int status = head.mid(9, 3).toInt();
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (c.buffer.size() < headEnd + 4 + length)
            return;
        const QByteArray body = c.buffer.mid(headEnd + 4, length);
        c.buffer.remove(0, headEnd + 4 + length);
        if (c.pending.empty())
            continue;
        Done done = std::move(c.pending.front());
        c.pending.pop_front();
        done(status, body);
    }
}

void LoopbackClient::onClosed(Connection &c)
{
    if (!c.socket)
        return;
    c.socket->disconnect(this);
    c.socket->deleteLater();
    c.socket = nullptr;
    auto pending = std::move(c.pending);
    c.pending.clear();
    for (auto &done : pending)
        done(0, {});
}

} // namespace Feedscope::Engine
