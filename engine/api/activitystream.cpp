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

void ActivityStream::subscribe(const QString &ns, QTcpSocket *socket, bool docs)
{
    auto *client = new Http::WebSocket(socket, this);
    m_clients.insert(ns, Client{client, docs});
    connect(client, &Http::WebSocket::closed, this, [this, ns, client] {
        for (auto it = m_clients.find(ns); it != m_clients.end() && it.key() == ns;) {
            if (it->socket == client || !it->socket)
                it = m_clients.erase(it);
            else
                ++it;
        }
    });
    client->sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                               {QStringLiteral("namespace"), ns}})
                         .toJson(QJsonDocument::Compact));
}

void ActivityStream::publish(const Activation &activation)
{
    bool summaries = false;
    bool docs = false;
    for (auto it = m_clients.constFind(activation.ns); it != m_clients.cend() && it.key() == activation.ns;
         ++it)
        (it->docs ? docs : summaries) = true;
    if (!summaries && !docs)
        return;
    const auto message = [](const QJsonObject &record) {
        return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("activation")},
                                         {QStringLiteral("activation"), record}})
            .toJson(QJsonDocument::Compact);
    };
    const QByteArray summary = summaries ? message(activation.toSummaryJson()) : QByteArray();
    const QByteArray doc = docs ? message(activation.toExtendedJson()) : QByteArray();
    const QString ns = activation.ns;
    m_db.afterCommit([this, ns, summary, doc](bool committed) {
        if (!committed)
            return;
        for (auto it = m_clients.constFind(ns); it != m_clients.cend() && it.key() == ns; ++it) {
            if (it->socket)
                it->socket->sendText(it->docs ? doc : summary);
        }
    });
}

} // namespace Feedscope::Engine
