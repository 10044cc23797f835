// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpconnection.h"

#include <QTcpSocket>
#include <QTimer>

namespace Feedscope::Http {

namespace {
// How long a refused request's connection keeps draining input before it is closed.
constexpr int lingerMs = 2000;
} // namespace

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
    m_socket->setParent(this);
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
    m_buffer.append(m_socket->readAll());
    parse();
}

void Connection::parse()
{
    // Each state consumes what it can from m_buffer and returns when it needs more bytes.
    while (m_socket) {
        switch (m_state) {
        case State::Waiting:
        case State::Closing: return;
        case State::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > m_limits.maxHeaderBytes)
                    fail(431, "Request header fields too large.");
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
            switch (m_body.feed(m_buffer, m_request.body, m_limits.maxBodyBytes)) {
            case BodyDecoder::Status::NeedMore: return;
            case BodyDecoder::Status::Done: dispatch(); break;
            case BodyDecoder::Status::Malformed: fail(400, "Malformed chunked encoding."); return;
            case BodyDecoder::Status::TooLarge:
                fail(413,
                     "The request content exceeds the allowed threshold of "
                         + QByteArray::number(m_limits.maxBodyBytes) + " bytes.");
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

    if (!chunked && contentLength > m_limits.maxBodyBytes) {
        fail(413,
             "The request content was " + QByteArray::number(contentLength)
                 + " bytes, which exceeds the allowed threshold of "
                 + QByteArray::number(m_limits.maxBodyBytes) + " bytes.");
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
    // Bytes of a pipelined request may already be buffered; parse them without waiting for
    // another readyRead, but outside the caller's stack frame.
    if (!m_buffer.isEmpty())
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
            m_socket->disconnectFromHost();
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
