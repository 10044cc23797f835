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
    if (!m_socket || (m_state != State::Head && m_state != State::Body))
        return;
    if (m_socket->bytesAvailable() > 0) {
        if (m_buffer.isEmpty() && m_requestStartMs < 0)
            m_requestStartMs = monotonicMs();
        m_buffer.append(m_socket->readAll());
    }
}

bool Connection::isIdle() const
{
    return m_socket && m_state == State::Head && m_buffer.isEmpty() && m_requestStartMs < 0
           && m_socket->bytesAvailable() == 0;
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
    m_buffer.clear();
    m_socket->disconnectFromHost();
    // A peer that reads nothing keeps unsent bytes queued and the socket open: cut it then.
    QTimer::singleShot(lingerMs, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
}

void Connection::parse()
{
    // Each state consumes what it can from m_buffer and returns when it needs more bytes.
    while (m_socket) {
        pull();
        switch (m_state) {
        case State::Waiting:
        case State::Closing: return;
        case State::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > m_limits.maxHeaderBytes)
                    fail(431, "Request header fields too large.");
                else if (m_socket->bytesAvailable() > 0)
                    break; // the socket's buffer was full: take the next part
                return;
            }
            if (end > m_limits.maxHeaderBytes) {
                fail(431, "Request header fields too large.");
                return;
            }
            if (!parseHead(end))
                return;
            break;
        }
        case State::Body:
            switch (m_body.feed(m_buffer, m_request.body, m_bodyLimit)) {
            case BodyDecoder::Status::NeedMore:
                if (m_socket->bytesAvailable() > 0)
                    break; // the socket's buffer was full: take the next part
                return;
            case BodyDecoder::Status::Done: dispatch(); break;
            case BodyDecoder::Status::Malformed: fail(400, "Malformed chunked encoding."); return;
            case BodyDecoder::Status::TooLarge:
                fail(413,
                     "The request content exceeds the allowed threshold of "
                         + QByteArray::number(m_bodyLimit) + " bytes.");
                return;
            }
            break;
        }
    }
}

bool Connection::parseHead(qsizetype headEnd)
{
    const QByteArray head = m_buffer.left(headEnd);
    m_buffer.remove(0, headEnd + 4);
    m_request = Request{};

    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        fail(400, "Malformed request line.");
        return false;
    }
    m_request.method = requestLine[0];
    const QByteArray &target = requestLine[1];
    const qsizetype question = target.indexOf('?');
    m_request.path = question < 0 ? target : target.left(question);
    m_request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    const bool http10 = requestLine[2] == "HTTP/1.0";

    qlonglong contentLength = 0;
    bool chunked = false;
    bool expectContinue = false;
    QByteArray connectionHeader;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400, "Malformed header line.");
            return false;
        }
        QByteArray name = line.left(colon).trimmed();
        QByteArray value = line.mid(colon + 1).trimmed();
        if (m_limits.keepRawHeaders)
            m_request.rawHeaders.append({name, value});
        name = std::move(name).toLower();
        if (name == "content-length") {
            bool ok = false;
            contentLength = value.toLongLong(&ok);
            if (!ok || contentLength < 0) {
                fail(400, "Malformed Content-Length.");
                return false;
            }
        } else if (name == "transfer-encoding") {
            chunked = value.toLower().contains("chunked");
        } else if (name == "expect") {
            expectContinue = value.toLower() == "100-continue";
        } else if (name == "connection") {
            connectionHeader = value.toLower();
        }
        m_request.headers.append({std::move(name), std::move(value)});
    }
    m_request.keepAlive
        = http10 ? connectionHeader.contains("keep-alive") : !connectionHeader.contains("close");

    m_bodyLimit = m_limits.maxBodyBytes;
    if ((chunked || contentLength > 0) && m_limits.inspectHead) {
        const HeadVerdict verdict = m_limits.inspectHead(m_request);
        if (verdict.refusalStatus != 0) {
            fail(verdict.refusalStatus, verdict.refusalMessage.toUtf8());
            return false;
        }
        if (verdict.maxBodyBytes >= 0)
            m_bodyLimit = verdict.maxBodyBytes;
    }
    if (!chunked && contentLength > m_bodyLimit) {
        fail(413,
             "The request content was " + QByteArray::number(contentLength)
                 + " bytes, which exceeds the allowed threshold of "
                 + QByteArray::number(m_bodyLimit) + " bytes.");
        return false;
    }
    if (expectContinue && (chunked || contentLength > 0))
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");

    if (chunked) {
        m_body.startChunked();
        m_state = State::Body;
    } else if (contentLength > 0) {
        m_request.body.reserve(contentLength);
        m_body.startLength(contentLength);
        m_state = State::Body;
    } else {
        dispatch();
    }
    return true;
}

void Connection::dispatch()
{
    m_state = State::Waiting;
    m_requestStartMs = -1;
    m_pendingKeepAlive = m_request.keepAlive;
    Request request = std::move(m_request);
    m_request = Request{};
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
    m_state = State::Head;
    touch();
    // Bytes of a pipelined request may already be buffered (here or in the socket, which was
    // not read while the reply was outstanding); parse them without waiting for another
    // readyRead, but outside the caller's stack frame.
    if (!m_buffer.isEmpty())
        m_requestStartMs = m_lastActivityMs;
    if (!m_buffer.isEmpty() || m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::parse, Qt::QueuedConnection);
}

void Connection::fail(int status, const QByteArray &message)
{
    m_state = State::Closing;
    m_buffer.clear();
    const QString text = QString::fromUtf8(message);
    writeResponse(m_errorResponse(status, text), false);
    if (m_onRefused)
        m_onRefused(m_request, status, text);
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
