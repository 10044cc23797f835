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

// Builds the response for a request the connection itself refuses (malformed, too large), so
// that the application decides the error body format and headers.
using ErrorResponder = std::function<Response(int status, const QString &message)>;

// Sees each request the connection refuses (status and message as sent), with what had been
// parsed of it by then: a whole head for an oversize body, a partial one (or none) for a
// malformed request. A server that shows every delivery (the webhook relay) records them.
using RefusalObserver
    = std::function<void(const Request &partial, int status, const QString &message)>;

struct Limits
{
    qsizetype maxHeaderBytes = 64 * 1024;
    qsizetype maxBodyBytes = 64 * 1024 * 1024;
    // Not a limit but a parse option: also keep Request::rawHeaders. The engine looks headers up
    // by folded name only; the relay captures them as sent.
    bool keepRawHeaders = false;
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

private:
    enum class State { Head, Body, Waiting, Closing };

    void onReadyRead();
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
    bool m_pendingKeepAlive = true;
};

} // namespace Feedscope::Http
