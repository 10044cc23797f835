// SPDX-License-Identifier: GPL-3.0-or-later
#include "apicall.h"

#include "core/apierror.h"
#include "core/ids.h"
#include "store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrlQuery>

namespace Feedscope::Engine {

ApiCall::ApiCall(Http::Request &&request, const Http::Reply &reply, Database &db)
    : m_request(std::move(request))
    , m_reply(reply)
    , m_db(db)
    , m_transactionId(newTransactionId())
{
    if (!m_request.query.isEmpty()) {
        // '+' is a space in form-encoded queries; QUrlQuery leaves it alone.
        QByteArray raw = m_request.query;
        raw.replace('+', "%20");
        m_query = QUrlQuery(QString::fromUtf8(raw)).queryItems(QUrl::FullyDecoded);
    }
}

std::optional<QString> ApiCall::query(const QString &name) const
{
    for (const auto &item : m_query) {
        if (item.first == name)
            return item.second;
    }
    return std::nullopt;
}

bool ApiCall::queryFlag(const QString &name) const
{
    return query(name).value_or(QString()) == u"true";
}

QJsonObject ApiCall::bodyObject() const
{
    if (m_request.body.trimmed().isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(m_request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        throw ApiError{400,
                       QStringLiteral("The request content was malformed:\n%1 at offset %2")
                           .arg(error.errorString())
                           .arg(error.offset)};
    }
    if (!doc.isObject()) {
        throw ApiError{400,
                       QStringLiteral("The request content was malformed:\n"
                                      "expected a JSON object")};
    }
    return doc.object();
}

Http::Response
ApiCall::errorResponse(int status, const QString &message, const QByteArray &transactionId)
{
    const QJsonObject body{{QStringLiteral("error"), message},
                           {QStringLiteral("code"), QString::fromLatin1(transactionId)}};
    Http::Response response
        = Http::Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
    response.headers.append(qMakePair(QByteArray("X-Request-ID"), transactionId));
    if (status == 401)
        response.headers.append(qMakePair(QByteArray("WWW-Authenticate"),
                                          QByteArray("Basic realm=\"OpenWhisk secure realm\"")));
    return response;
}

void ApiCall::respond(int status, const QJsonValue &json, const Http::HeaderList &headers)
{
    QByteArray body;
    if (json.isObject())
        body = QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact);
    else if (json.isArray())
        body = QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact);
    else
        body = QJsonDocument(QJsonArray{json}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    Http::Response response = Http::Response::json(status, body);
    response.headers = headers;
    send(std::move(response));
}

void ApiCall::respondText(int status, const QByteArray &text)
{
    send(Http::Response::text(status, text));
}

void ApiCall::respondEmpty(int status, const Http::HeaderList &headers)
{
    Http::Response response = Http::Response::empty(status);
    response.headers = headers;
    send(std::move(response));
}

void ApiCall::respondError(int status, const QString &message, const QByteArray &allow)
{
    m_answered = true;
    Http::Response response = errorResponse(status, message, m_transactionId);
    if (!allow.isEmpty())
        response.headers.append(qMakePair(QByteArray("Allow"), allow));
    m_db.afterCommit([reply = m_reply, response](bool) { reply.send(response); });
}

void ApiCall::send(Http::Response response)
{
    m_answered = true;
    response.headers.append(qMakePair(QByteArray("X-Request-ID"), m_transactionId));
    m_db.afterCommit([reply = m_reply, response, tid = m_transactionId](bool committed) {
        if (committed) {
            reply.send(response);
        } else {
            reply.send(errorResponse(500,
                                     QStringLiteral("The write could not be committed; "
                                                    "nothing was changed."),
                                     tid));
        }
    });
}

} // namespace Feedscope::Engine
