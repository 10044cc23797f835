// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpserver.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace Feedscope::Http {

namespace {
// How often connections are checked against the timeouts: they are closed within this much
// after their time is up.
constexpr int sweepMs = 1000;
// After a failed accept (out of file descriptors), how long to wait before accepting again.
constexpr int acceptRetryMs = 200;
} // namespace

Server::Server(Handler handler, ErrorResponder errorResponse, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_sweep(new QTimer(this))
    , m_handler(std::move(handler))
    , m_errorResponse(std::move(errorResponse))
{
    connect(m_server, &QTcpServer::newConnection, this, &Server::onNewConnection);
    // QTcpServer stops accepting for good when accept() fails for want of file descriptors;
    // try again shortly, when connections may have closed.
    connect(m_server, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qWarning("feedscope http: accepting a connection failed (%d: %s); retrying",
                 int(error),
                 qPrintable(m_server->errorString()));
        QTimer::singleShot(acceptRetryMs, m_server, &QTcpServer::resumeAccepting);
    });
    connect(m_sweep, &QTimer::timeout, this, &Server::sweep);
}

void Server::setLimits(const Limits &limits)
{
    m_limits = limits;
    if (m_limits.idleTimeoutMs > 0 || m_limits.requestTimeoutMs > 0)
        m_sweep->start(sweepMs);
    else
        m_sweep->stop();
}

void Server::sweep()
{
    const qint64 now = monotonicMs();
    // A copy: a connection may be deleted (later) as a result of being closed.
    const QList<Connection *> connections = m_connections.values();
    for (Connection *connection : connections)
        connection->closeIfExpired(now);
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 Server::port() const
{
    return m_server->serverPort();
}

QString Server::errorString() const
{
    return m_server->errorString();
}

void Server::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Small JSON replies: send them at once rather than waiting for Nagle's delayed ACK.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        Connection *oldestIdle = nullptr;
        if (m_limits.maxConnections > 0 && m_connections.size() >= m_limits.maxConnections) {
            for (Connection *c : std::as_const(m_connections)) {
                if (c->isIdle()
                    && (!oldestIdle || c->activityOrder() < oldestIdle->activityOrder()))
                    oldestIdle = c;
            }
        }
        auto *connection
            = new Connection(socket, m_handler, m_errorResponse, m_onRefused, m_limits, this);
        m_connections.insert(connection);
        connect(connection, &QObject::destroyed, this, [this, connection] {
            m_connections.remove(connection);
        });
        if (m_limits.maxConnections > 0 && m_connections.size() > m_limits.maxConnections) {
            if (oldestIdle)
                oldestIdle->closeIfIdle();
            else
                connection->refuse(503, "Too many open connections; try again later.");
        }
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
    }
}

} // namespace Feedscope::Http
