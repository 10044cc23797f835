// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpconnection.h"

#include <QTcpSocket>
#include <QTimer>

#include <atomic>
#include <chrono>

namespace Feedscope::Http {

namespace {
// How long a refused request's connection keeps draining input before it is closed, and how
// long a closing connection may take to flush before it is cut.
constexpr int lingerMs = 2000;
// What Qt may hold of a socket's input that the connection has not taken yet. While a reply is
// outstanding the connection takes nothing, so a client streaming a body behind a slow request
// is held back by TCP instead of filling memory.
constexpr qint64 socketBufferBytes = 256 * 1024;
} // namespace

qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Reply::Reply(Connection *connection)
    : m_state(std::make_shared<State>())
{
    m_state->connection = connection;
}

void Reply::send(Response response) const
{
    if (!m_state || m_state->sent)
        return;
    m_state->sent = true;
    if (m_state->connection)
        m_state->connection->respond(std::move(response));
}

QTcpSocket *Reply::upgrade(const Response &switching) const
{
    if (!m_state || m_state->sent || !m_state->connection)
        return nullptr;
    m_state->sent = true;
    return m_state->connection->upgrade(switching);
}

bool Reply::isPending() const
{
    return m_state && !m_state->sent && m_state->connection;
}

Connection::Connection(QTcpSocket *socket,
                       const Handler &handler,
                       const ErrorResponder &errorResponse,
                       const RefusalObserver &onRefused,
                       const Limits &limits,
                       QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_errorResponse(errorResponse)
    , m_onRefused(onRefused)
    , m_limits(limits)
    , m_parser(limits)
{
    touch();
    m_socket->setParent(this);
    m_socket->setReadBufferSize(socketBufferBytes);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
}

Connection::~Connection() = default;

QTcpSocket *Connection::upgrade(const Response &switching)
{
    QTcpSocket *socket = m_socket;
    if (!socket)
        return nullptr;
    writeResponse(switching, true);
    socket->disconnect(this);
    socket->setParent(nullptr);
    m_socket = nullptr;
    deleteLater();
    return socket;
}

void Connection::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_state == State::Closing) {
        m_socket->readAll(); // lingering close: drain what the client still sends
        return;
    }
    touch();
    parse();
}

void Connection::touch()
{
    static std::atomic<quint64> activityCounter = 0; // servers may run on several threads
    m_lastActivityMs = monotonicMs();
    m_activityOrder = ++activityCounter;
}

void Connection::pull()
{
    if (!m_socket || m_state != State::Reading)
        return;
    if (m_socket->bytesAvailable() > 0) {
        if (!m_parser.hasBuffered() && m_requestStartMs < 0)
            m_requestStartMs = monotonicMs();
        m_parser.append(m_socket->readAll());
    }
}

bool Connection::isIdle() const
{
    return m_socket && m_state == State::Reading && m_parser.isBetweenRequests()
           && m_requestStartMs < 0 && m_socket->bytesAvailable() == 0;
}

void Connection::closeIfExpired(qint64 nowMs)
{
    if (!m_socket || m_state == State::Waiting || m_state == State::Closing)
        return; // a reply is outstanding (the server's own time), or closing already
    const bool idleExpired = m_limits.idleTimeoutMs > 0
                             && nowMs - m_lastActivityMs >= m_limits.idleTimeoutMs;
    const bool requestExpired = m_limits.requestTimeoutMs > 0 && m_requestStartMs >= 0
                                && nowMs - m_requestStartMs >= m_limits.requestTimeoutMs;
    if (!idleExpired && !requestExpired)
        return;
    if (isIdle()) {
        close(); // an idle keep-alive connection goes quietly, as nginx and Node do
        return;
    }
    fail(408, "The request was not received in time.");
}

void Connection::closeIfIdle()
{
    if (isIdle())
        close();
}

void Connection::refuse(int status, const QByteArray &message)
{
    if (!m_socket || m_state == State::Closing)
        return;
    // No lingering: the client has had no time to send a body worth draining, and a flood of
    // refused connections must not pile up for seconds each.
    writeResponse(m_errorResponse(status, QString::fromUtf8(message)), false);
    close();
}

void Connection::close()
{
    m_state = State::Closing;
    m_parser.clear();
    m_socket->disconnectFromHost();
    // A peer that reads nothing keeps unsent bytes queued and the socket open: cut it then.
    QTimer::singleShot(lingerMs, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
}

void Connection::parse()
{
    while (m_socket) {
        pull();
        if (m_state != State::Reading)
            return;
        switch (m_parser.next()) {
        case RequestParser::Event::NeedMore:
            if (m_socket->bytesAvailable() > 0)
                break; // the socket's buffer was full: take the next part
            return;
        case RequestParser::Event::Continue:
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            break;
        case RequestParser::Event::Request: dispatch(); break;
        case RequestParser::Event::Refused:
            fail(m_parser.refusalStatus(), m_parser.refusalMessage());
            return;
        }
    }
}

void Connection::dispatch()
{
    m_state = State::Waiting;
    m_requestStartMs = -1;
    Request request = m_parser.takeRequest();
    m_pendingKeepAlive = request.keepAlive;
    m_handler(std::move(request), Reply(this));
}

void Connection::respond(Response response)
{
    if (!m_socket || m_state != State::Waiting)
        return;
    writeResponse(response, m_pendingKeepAlive);
    if (!m_pendingKeepAlive) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Reading;
    touch();
    // Bytes of a pipelined request may already be buffered (here or in the socket, which was
    // not read while the reply was outstanding); parse them without waiting for another
    // readyRead, but outside the caller's stack frame.
    if (m_parser.hasBuffered())
        m_requestStartMs = m_lastActivityMs;
    if (m_parser.hasBuffered() || m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::parse, Qt::QueuedConnection);
}

void Connection::fail(int status, const QByteArray &message)
{
    m_state = State::Closing;
    m_parser.clear();
    const QString text = QString::fromUtf8(message);
    writeResponse(m_errorResponse(status, text), false);
    if (m_onRefused)
        m_onRefused(m_parser.partial(), status, text);
    // Closing at once would reset a client still uploading the refused body before it reads
    // the reply (RFC 9112 9.6). Drain its input for a moment, then close.
    m_socket->flush();
    QTimer::singleShot(lingerMs, this, [this] {
        if (m_socket)
            close();
    });
}

void Connection::writeResponse(const Response &response, bool keepAlive)
{
    QByteArray out;
    out.reserve(160 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
           + "\r\n";
    const bool noBody = response.status == 204 || response.status == 304 || response.status == 101;
    if (!response.contentType.isEmpty() && !noBody)
        out += "Content-Type: " + response.contentType + "\r\n";
    if (!noBody)
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &h : response.headers)
        out += h.first + ": " + h.second + "\r\n";
    if (response.status == 101)
        out += "Connection: Upgrade\r\n\r\n";
    else
        out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (!noBody)
        out += response.body;
    m_socket->write(out);
}

} // namespace Feedscope::Http
