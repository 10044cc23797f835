// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httplimits.h"
#include "httpmessage.h"
#include "requestparser.h"

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

// One HTTP/1.1 connection: parses requests with a RequestParser (Content-Length or chunked
// bodies, Expect: 100-continue), hands each to the handler and writes the replies in order. While a reply is
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
    enum class State { Reading, Waiting, Closing };

    void onReadyRead();
    // Closes without a reply (idle, or after a refusal's lingering); cut if it cannot flush.
    void close();
    void touch();
    // Moves what the socket holds into the parser, unless a reply is outstanding: then the bytes
    // stay in the socket, whose bounded buffer makes TCP push back on the sender.
    void pull();
    void parse();
    void dispatch();
    void fail(int status, const QByteArray &message);
    void writeResponse(const Response &response, bool keepAlive);

    QTcpSocket *m_socket = nullptr;
    Handler m_handler;
    ErrorResponder m_errorResponse;
    RefusalObserver m_onRefused;
    Limits m_limits;
    RequestParser m_parser;
    State m_state = State::Reading;
    bool m_pendingKeepAlive = true;
    qint64 m_lastActivityMs = 0;
    quint64 m_activityOrder = 0;
    qint64 m_requestStartMs = -1; // when the first byte of the current request arrived
};

} // namespace Feedscope::Http
