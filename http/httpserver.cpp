// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpserver.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace Feedscope::Http {

Server::Server(Handler handler, ErrorResponder errorResponse, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(std::move(handler))
    , m_errorResponse(std::move(errorResponse))
{
    connect(m_server, &QTcpServer::newConnection, this, &Server::onNewConnection);
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
        new Connection(socket, m_handler, m_errorResponse, m_onRefused, m_limits, this);
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
