// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookforward.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

namespace Feedscope {

namespace {

bool isJsonObject(const QByteArray &body)
{
    // A cheap look before parsing: most deliveries are JSON objects, the rest rarely start so.
    const QByteArray trimmed = body.trimmed();
    if (!trimmed.startsWith('{'))
        return false;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    return error.error == QJsonParseError::NoError && document.isObject();
}

} // namespace

bool isForwardedHeader(const QByteArray &name)
{
    static const QSet<QByteArray> dropped{"host",
                                          "content-length",
                                          "content-type",
                                          "content-encoding",
                                          "connection",
                                          "keep-alive",
                                          "proxy-connection",
                                          "proxy-authorization",
                                          "proxy-authenticate",
                                          "te",
                                          "trailer",
                                          "transfer-encoding",
                                          "upgrade",
                                          "expect",
                                          "authorization",
                                          "accept-encoding",
                                          "origin"};
    return !dropped.contains(name.toLower());
}

TriggerFire triggerFireFor(const WebhookRequest &request)
{
    TriggerFire fire;
    // Headers named by Connection are hop-by-hop too (RFC 9110 7.6.1).
    QSet<QByteArray> connectionNamed;
    for (const QByteArray &token : request.header("connection").split(','))
        connectionNamed.insert(token.trimmed().toLower());
    for (const auto &h : request.headers) {
        if (isForwardedHeader(h.first) && !connectionNamed.contains(h.first.toLower()))
            fire.headers.append(h);
    }

    if (request.body.trimmed().isEmpty()) {
        fire.body = "{}";
    } else if (isJsonObject(request.body)) {
        fire.body = request.body;
    } else {
        QJsonObject wrapped;
        if (const auto text = utf8Text(request.body)) {
            wrapped.insert(QStringLiteral("__ow_body"), *text);
            wrapped.insert(QStringLiteral("__ow_body_encoding"), QStringLiteral("utf-8"));
        } else {
            wrapped.insert(QStringLiteral("__ow_body"),
                           QString::fromLatin1(request.body.toBase64()));
            wrapped.insert(QStringLiteral("__ow_body_encoding"), QStringLiteral("base64"));
        }
        const QByteArray type = request.contentType();
        if (!type.isEmpty())
            wrapped.insert(QStringLiteral("__ow_content_type"), QString::fromLatin1(type));
        fire.body = QJsonDocument(wrapped).toJson(QJsonDocument::Compact);
    }
    return fire;
}

QUrl triggerFireUrl(const WhiskEndpoint &endpoint, const QString &trigger)
{
    const QString ns = endpoint.ns.isEmpty() ? QStringLiteral("_") : endpoint.ns;
    return QUrl(endpoint.baseUrl() + QStringLiteral("namespaces/")
                + QString::fromLatin1(QUrl::toPercentEncoding(ns)) + QStringLiteral("/triggers/")
                + QString::fromLatin1(QUrl::toPercentEncoding(trigger)));
}

QString directFireCurl(const WhiskEndpoint &endpoint,
                       const QString &trigger,
                       const QByteArray &payload,
                       bool withKey)
{
    HttpJournal::Entry entry;
    entry.method = "POST";
    entry.url = triggerFireUrl(endpoint, trigger);
    entry.requestHeaders = {{"Authorization", "Basic"}, {"Content-Type", "application/json"}};
    entry.requestBody = payload;
    QString line = HttpJournal::toCurl(entry);
    // toCurl reads the key from $OW_AUTH; this line carries it (or its redaction) instead.
    const QString key = withKey ? endpoint.authKey : QString::fromLatin1(HttpJournal::redacted);
    line.replace(QStringLiteral("-u \"$OW_AUTH\""), QStringLiteral("-u '%1'").arg(key));
    return line;
}

QString relayCurl(const QUrl &hookUrl, const QByteArray &payload)
{
    HttpJournal::Entry entry;
    entry.method = "POST";
    entry.url = hookUrl;
    entry.requestHeaders = {{"Content-Type", "application/json"}};
    entry.requestBody = payload;
    return HttpJournal::toCurl(entry);
}

} // namespace Feedscope
