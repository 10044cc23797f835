// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/activation.h"

#include <QMultiHash>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace Feedscope::Http {
class WebSocket;
}

namespace Feedscope::Engine {

class Database;

// The activity stream (our extension): WebSocket clients of
// GET /api/v1/namespaces/{ns}/activations (Upgrade: websocket) receive every activation summary
// of their namespace as soon as its record is committed:
//   {"type":"hello","namespace":"guest"}
//   {"type":"activation","activation":{...summary as in the list...}}
//   {"type":"gap","missed":N}   after N messages were dropped for a client reading too slowly
// With `?docs=true` on the upgrade request a client gets whole records (as `activations?docs=true`
// lists them: response, logs, annotations) instead of summaries, so a monitor needs no second
// request to show a payload or a trigger's rule outcomes.
class ActivityStream : public QObject
{
    Q_OBJECT

public:
    explicit ActivityStream(Database &db, QObject *parent = nullptr);

    void subscribe(const QString &ns, QTcpSocket *socket, bool docs = false);
    // Queues `activation` for the subscribers of its namespace, sent after the current commit.
    void publish(const Activation &activation);
    int subscriberCount() const { return int(m_clients.size()); }

private:
    Database &m_db;
    struct Client
    {
        QPointer<Http::WebSocket> socket;
        bool docs = false;
    };
    QMultiHash<QString, Client> m_clients;
};

} // namespace Feedscope::Engine
