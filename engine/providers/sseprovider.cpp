// SPDX-License-Identifier: GPL-3.0-or-later
#include "sseprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace Feedscope::Engine {

SseProvider::SseProvider(FeedHost &host, QObject *parent)
    : StreamFollower(host, parent)
{}

std::optional<QJsonObject> SseProvider::validated(const QJsonObject &params, QString *error)
{
    const QUrl url(params.value(QLatin1String("url")).toString());
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
        || url.host().isEmpty()) {
        *error = QStringLiteral("sse feed: the url parameter must be an http(s) URL");
        return std::nullopt;
    }
    QJsonObject c{{QStringLiteral("url"), url.toString()}};
    const QJsonValue headers = params.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (!headers.isObject()) {
            *error = QStringLiteral("sse feed: headers must be an object of strings");
            return std::nullopt;
        }
        c.insert(QStringLiteral("headers"), headers);
    }
    const QJsonValue events = params.value(QLatin1String("events"));
    QJsonArray types;
    if (events.isString()) {
        for (const QString &t : events.toString().split(u',', Qt::SkipEmptyParts))
            types.append(t.trimmed());
    } else if (events.isArray()) {
        types = events.toArray();
    }
    if (!types.isEmpty())
        c.insert(QStringLiteral("events"), types);
    return c;
}

void SseProvider::configure(const QJsonObject &params, Configured done)
{
    QString error;
    const auto config = validated(params, &error);
    done(config, error);
}

void SseProvider::reconfigure(const QJsonObject &config, const QJsonObject &params, Configured done)
{
    QJsonObject merged = config;
    bool any = false;
    for (const char *field : {"url", "headers", "events"}) {
        if (params.contains(QLatin1String(field))) {
            merged.insert(QLatin1String(field), params.value(QLatin1String(field)));
            any = true;
        }
    }
    if (!any) {
        done(std::nullopt, QStringLiteral("no updatable parameters were specified"));
        return;
    }
    configure(merged, std::move(done));
}

QNetworkRequest SseProvider::streamRequest(const FeedRecord &feed) const
{
    QNetworkRequest request(QUrl(feed.config.value(QLatin1String("url")).toString()));
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    const QJsonObject headers = feed.config.value(QLatin1String("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        request.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    const QString lastId = feed.state.value(QLatin1String("lastEventId")).toString();
    if (!lastId.isEmpty())
        request.setRawHeader("Last-Event-ID", lastId.toUtf8());
    return request;
}

QList<StreamFollower::Event>
SseProvider::parseLine(const FeedRecord &feed, const QByteArray &line, QJsonObject &context)
{
    // The text/event-stream format: field lines accumulate, an empty line dispatches.
    if (!line.isEmpty()) {
        if (line.startsWith(':'))
            return {}; // comment / heartbeat
        const qsizetype colon = line.indexOf(':');
        const QString field = QString::fromUtf8(colon < 0 ? line : line.left(colon));
        QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        const QString text = QString::fromUtf8(value);
        if (field == u"data") {
            const QJsonValue data = context.value(QLatin1String("data"));
            context.insert(QStringLiteral("data"),
                           data.isUndefined() ? text : data.toString() + u'\n' + text);
        } else if (field == u"event") {
            context.insert(QStringLiteral("event"), text);
        } else if (field == u"id" && !text.contains(QChar(0))) {
            context.insert(QStringLiteral("id"), text);
            context.insert(QStringLiteral("lastId"), text);
        }
        return {};
    }
    const QJsonValue data = context.value(QLatin1String("data"));
    const QString type = context.value(QLatin1String("event")).toString(QStringLiteral("message"));
    const QJsonValue id = context.value(QLatin1String("id"));
    const QJsonValue lastId = context.value(QLatin1String("lastId"));
    context = QJsonObject{};
    if (!lastId.isUndefined())
        context.insert(QStringLiteral("lastId"), lastId); // the id persists across events
    if (data.isUndefined())
        return {};
    const QJsonArray types = feed.config.value(QLatin1String("events")).toArray();
    if (!types.isEmpty() && !types.contains(type))
        return {};
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(data.toString().toUtf8(), &parseError);
    QJsonValue parsed = data;
    if (parseError.error == QJsonParseError::NoError)
        parsed = json.isObject() ? QJsonValue(json.object()) : QJsonValue(json.array());
    else if (const QJsonDocument scalar
             = QJsonDocument::fromJson("[" + data.toString().toUtf8() + "]");
             scalar.isArray() && scalar.array().size() == 1)
        parsed = scalar.array().first();
    const QJsonValue eventId = id.isUndefined() ? lastId : id;
    return {
        Event{QJsonObject{{QStringLiteral("event"), type},
                          {QStringLiteral("data"), parsed},
                          {QStringLiteral("id"), eventId.isUndefined() ? QJsonValue() : eventId}},
              eventId.isUndefined() ? QJsonObject()
                                    : QJsonObject{{QStringLiteral("lastEventId"), eventId}}}};
}

} // namespace Feedscope::Engine
