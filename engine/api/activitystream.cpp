// SPDX-License-Identifier: GPL-3.0-or-later
#include "activitystream.h"

#include "http/websocket.h"
#include "store/database.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope::Engine {

ActivityStream::ActivityStream(Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
{}

void ActivityStream::subscribe(const QString &ns, QTcpSocket *socket)
{
    auto *client = new Http::WebSocket(socket, this);
    m_clients.insert(ns, client);
    connect(client, &Http::WebSocket::closed, this, [this, ns, client] {
        m_clients.remove(ns, client);
    });
    client->sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                               {QStringLiteral("namespace"), ns}})
                         .toJson(QJsonDocument::Compact));
}

void ActivityStream::publish(const Activation &activation)
{
    if (!m_clients.contains(activation.ns))
        return;
    const QByteArray message
        = QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("activation")},
                                    {QStringLiteral("activation"), activation.toSummaryJson()}})
              .toJson(QJsonDocument::Compact);
    const QString ns = activation.ns;
    m_db.afterCommit([this, ns, message](bool committed) {
        if (!committed)
            return;
        for (auto it = m_clients.constFind(ns); it != m_clients.cend() && it.key() == ns; ++it) {
            if (it.value())
                it.value()->sendText(message);
        }
    });
}

} // namespace Feedscope::Engine
