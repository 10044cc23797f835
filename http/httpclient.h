// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"

#include <QObject>
#include <QUrl>

#include <deque>
#include <functional>

namespace Feedscope::Http {

struct ClientRequest
{
    QByteArray method = "POST";
    QByteArray target;  // path and query, percent-encoded
    HeaderList headers; // Host, Content-Length and Connection are the client's to write
    QByteArray body;
};

struct ClientResponse
{
    int status = 0;     // 0: no response
    HeaderList headers; // names lower-cased
    QByteArray body;
    QString error; // why there is no response
    bool timedOut = false;

    QByteArray header(const QByteArray &lowerCaseName) const;
};

class ClientConnection;

// A keep-alive pool of HTTP/1.1 connections to one origin (http:// or https://), for a client
// that sends many small requests to the same API: the webhook relay's forwards. Compared with
// QNetworkAccessManager, which the relay used first, it does the work on the calling thread
// with a write and a read or two per request (QNAM hands each request to its HTTP thread and
// back, ~280 µs of CPU per request here) and lets more than six requests run at once, so a slow
// answer does not hold up the next deliveries (bench/relay.sh measured both). One request per
// connection at a time (no pipelining); requests beyond the connection limit wait in order. A
// request is never sent twice: a connection lost before the answer is an error for its request.
class ClientPool : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(ClientResponse)>;

    explicit ClientPool(const QUrl &origin, QObject *parent = nullptr);
    ~ClientPool() override;

    void setMaxConnections(int count) { m_maxConnections = qMax(1, count); }
    // The longest one request may wait for its whole answer (default 30 s).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }
    QUrl origin() const { return m_origin; }

    // Sends when a connection is free; `done` runs once, unless the pool is destroyed first.
    void send(ClientRequest request, Callback done);
    int queued() const { return int(m_queue.size()); }
    int connections() const { return int(m_connections.size()); }

private:
    friend class ClientConnection;
    struct Job
    {
        ClientRequest request;
        Callback done;
    };

    void pump();
    void onIdle(ClientConnection *connection);
    void onClosed(ClientConnection *connection);

    QUrl m_origin;
    QByteArray m_hostHeader;
    int m_maxConnections = 32;
    int m_timeoutMs = 30000;
    qint64 m_maxResponseBytes = 16 * 1024 * 1024;
    std::deque<Job> m_queue;
    QList<ClientConnection *> m_connections;
    QList<ClientConnection *> m_idle;
};

} // namespace Feedscope::Http
