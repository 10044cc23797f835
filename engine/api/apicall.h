// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/identity.h"
#include "httpconnection.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <memory>
#include <optional>

namespace Feedscope::Engine {

class Database;

// One API request in flight: the HTTP request, who made it, where it points, and the reply.
// Every response carries X-Request-ID, errors are {error, code}, and nothing is sent before the
// current group commit has succeeded, so a 2xx acknowledges only durable writes.
class ApiCall
{
public:
    ApiCall(Http::Request &&request, const Http::Reply &reply, Database &db);

    const Http::Request &request() const { return m_request; }
    const QByteArray &transactionId() const { return m_transactionId; }
    const QByteArray &method() const { return m_request.method; }

    Identity identity;
    QString ns;       // the namespace of the path, "_" resolved
    QStringList rest; // decoded path segments after the collection name

    std::optional<QString> query(const QString &name) const;
    // A boolean query flag: "true" is true, anything else false.
    bool queryFlag(const QString &name) const;
    // The JSON body as an object ({} when empty). Throws ApiError 400 when it is not one.
    QJsonObject bodyObject() const;

    void respond(int status, const QJsonValue &json, const Http::HeaderList &headers = {});
    void respondText(int status, const QByteArray &text);
    void respondEmpty(int status, const Http::HeaderList &headers = {});
    void respondError(int status, const QString &message, const QByteArray &allow = {});
    bool isAnswered() const { return m_answered; }
    // Answers 101 and hands the connection's socket over (WebSocket upgrade).
    QTcpSocket *upgrade(const Http::Response &switching)
    {
        m_answered = true;
        return m_reply.upgrade(switching);
    }

    // The error body the connection layer uses for requests it refuses itself.
    static Http::Response
    errorResponse(int status, const QString &message, const QByteArray &transactionId);

private:
    void send(Http::Response response);

    Http::Request m_request;
    Http::Reply m_reply;
    Database &m_db;
    QByteArray m_transactionId;
    QList<QPair<QString, QString>> m_query;
    bool m_answered = false;
};

using ApiCallPtr = std::shared_ptr<ApiCall>;

} // namespace Feedscope::Engine
