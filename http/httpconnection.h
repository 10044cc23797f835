// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpbody.h"
#include "httpmessage.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace Feedscope::Http {

class Connection;

// A handle to the pending response of one request. It may be copied into callbacks and used
// later (after a group commit, after a blocking invoke finished); sending through a handle whose
// connection has gone away is a silent no-op. Exactly one response is sent per request.
class Reply
{
public:
    Reply() = default;
    explicit Reply(Connection *connection);

    void send(Response response) const;
    bool isPending() const;
    // Sends `switching` (101) and hands the socket over to the caller, or nullptr if the
    // connection is gone. The HTTP connection ends there.
    QTcpSocket *upgrade(const Response &switching) const;

private:
    struct State
    {
        QPointer<Connection> connection;
        bool sent = false;
    };
    std::shared_ptr<State> m_state;
};

using Handler = std::function<void(Request &&, const Reply &)>;

// Milliseconds on a monotonic clock, for the connections' timeouts.
qint64 monotonicMs();

// Builds the response for a request the connection itself refuses (malformed, too large), so
// that the application decides the error body format and headers.
using ErrorResponder = std::function<Response(int status, const QString &message)>;

// Sees each request the connection refuses (status and message as sent), with what had been
// parsed of it by then: a whole head for an oversize body, a partial one (or none) for a
// malformed request. A server that shows every delivery (the webhook relay) records them.
using RefusalObserver
    = std::function<void(const Request &partial, int status, const QString &message)>;

// What the application decides from a request's head alone, before any of its body is read.
struct HeadVerdict
{
    // This request's body limit (-1: Limits::maxBodyBytes). Routes that take small bodies say
    // so, so that a larger body is refused after at most that many bytes were kept.
    qint64 maxBodyBytes = -1;
    // Non-zero: the request is refused as it stands (no key, a web page), so its body is never
    // read — the refusal is sent at once and the connection closed, as for an oversize body.
    int refusalStatus = 0;
    QString refusalMessage;
};

// Called once per request that has a body (Content-Length > 0 or chunked), after its head.
using HeadInspector = std::function<HeadVerdict(const Request &head)>;

struct Limits
{
    qsizetype maxHeaderBytes = 64 * 1024;
    qsizetype maxBodyBytes = 64 * 1024 * 1024;
    // Not a limit but a parse option: also keep Request::rawHeaders. The engine looks headers up
    // by folded name only; the relay captures them as sent.
    bool keepRawHeaders = false;
    // None unless set: every request then gets Limits::maxBodyBytes and is read whole.
    HeadInspector inspectHead;
    // 0 = none. A connection with no reply outstanding that receives nothing for
    // `idleTimeoutMs` is closed (idle keep-alive connections, stalled senders), and so is one
    // whose request has not arrived whole `requestTimeoutMs` after its first byte (senders that
    // drip a byte at a time to hold a connection forever).
    int idleTimeoutMs = 0;
    int requestTimeoutMs = 0;
    // 0 = none. Past this many open connections, the one idle the longest is closed to make
    // room; when none is idle, the new connection is answered 503 and closed. Keeps a flood of
    // idle connections from taking every file descriptor.
    int maxConnections = 0;
};

// One HTTP/1.1 connection: parses requests (Content-Length or chunked bodies, Expect:
// 100-continue), hands each to the handler and writes the replies in order. While a reply is
// outstanding no further request is parsed, so pipelined requests are answered in order.
// Oversize heads and bodies are refused before they are buffered (431 / 413) and the connection
// is closed, since the rest of the stream cannot be resynchronised.
class Connection : public QObject
{
    Q_OBJECT

public:
    Connection(QTcpSocket *socket,
               const Handler &handler,
               const ErrorResponder &errorResponse,
               const RefusalObserver &onRefused,
               const Limits &limits,
               QObject *parent);
    ~Connection() override;

    // Entry point for Reply::send.
    void respond(Response response);

    // Writes `switching` and hands the socket over to another protocol; the connection dies.
    QTcpSocket *upgrade(const Response &switching);

    // Called by the server's sweep: closes the connection when a timeout of Limits has passed.
    void closeIfExpired(qint64 nowMs);
    // Idle: no request begun and no reply outstanding; the server may close it to make room.
    bool isIdle() const;
    // Orders connections by their last activity (a counter: milliseconds tie).
    quint64 activityOrder() const { return m_activityOrder; }
    void closeIfIdle();
    // Answers the request about to arrive with an error (too many connections) and closes.
    void refuse(int status, const QByteArray &message);

private:
    enum class State { Head, Body, Waiting, Closing };

    void onReadyRead();
    // Closes without a reply (idle, or after a refusal's lingering); cut if it cannot flush.
    void close();
    void touch();
    // Moves what the socket holds into m_buffer, unless a reply is outstanding: then the bytes
    // stay in the socket, whose bounded buffer makes TCP push back on the sender.
    void pull();
    void parse();
    bool parseHead(qsizetype headEnd);
    void dispatch();
    void fail(int status, const QByteArray &message);
    void writeResponse(const Response &response, bool keepAlive);

    QTcpSocket *m_socket = nullptr;
    Handler m_handler;
    ErrorResponder m_errorResponse;
    RefusalObserver m_onRefused;
    Limits m_limits;
    QByteArray m_buffer;
    Request m_request;
    State m_state = State::Head;
    BodyDecoder m_body;
    qint64 m_bodyLimit = 0;
    bool m_pendingKeepAlive = true;
    qint64 m_lastActivityMs = 0;
    quint64 m_activityOrder = 0;
    qint64 m_requestStartMs = -1; // when the first byte of the current request arrived
};

} // namespace Feedscope::Http
