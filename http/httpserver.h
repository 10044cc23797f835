// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpconnection.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

class QTcpServer;
class QTimer;

namespace Feedscope::Http {

// A small HTTP/1.1 server on QTcpServer. We use it rather than QHttpServer 6.4 because the
// engine answers many requests late (after a group commit, after a blocking invoke) and 6.4's
// QHttpServerResponder keeps plain references to the request and socket, which dangle when a
// client disconnects first; it also cannot refuse an oversize body before buffering it.
class Server : public QObject
{
    Q_OBJECT

public:
    Server(Handler handler, ErrorResponder errorResponse, QObject *parent = nullptr);

    // Applies to connections accepted from then on.
    void setLimits(const Limits &limits);
    void setRefusalObserver(RefusalObserver observer) { m_onRefused = std::move(observer); }
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QString errorString() const;

    int connectionCount() const { return int(m_connections.size()); }

private:
    void onNewConnection();
    void sweep();

    QTcpServer *m_server;
    QTimer *m_sweep;
    QSet<Connection *> m_connections;
    Handler m_handler;
    ErrorResponder m_errorResponse;
    RefusalObserver m_onRefused;
    Limits m_limits;
};

} // namespace Feedscope::Http
