// SPDX-License-Identifier: GPL-3.0-or-later
#include "changesprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QUrlQuery>

namespace Feedscope::Engine {

namespace {

// Heartbeat the server sends on an idle continuous feed (ms).
constexpr int heartbeatMs = 10000;

QUrl databaseUrl(const QJsonObject &c)
{
    QUrl url;
    url.setScheme(c.value(QLatin1String("protocol")).toString());
    url.setHost(c.value(QLatin1String("host")).toString());
    url.setPort(c.value(QLatin1String("port")).toInt());
    url.setPath(u'/' + c.value(QLatin1String("dbname")).toString());
    return url;
}

void authorize(QNetworkRequest &request, const QJsonObject &c)
{
    const QString user = c.value(QLatin1String("username")).toString();
    if (!user.isEmpty()) {
        request.setRawHeader("Authorization",
                             "Basic "
                                 + (user + u':' + c.value(QLatin1String("password")).toString())
                                       .toUtf8()
                                       .toBase64());
    }
}

} // namespace

ChangesProvider::ChangesProvider(FeedHost &host, QObject *parent)
    : StreamFollower(host, parent)
{}

void ChangesProvider::configure(const QJsonObject &params, Configured done)
{
    QJsonObject c;
    for (const char *field : {"host", "dbname"}) {
        if (params.value(QLatin1String(field)).toString().isEmpty()) {
            done(std::nullopt,
                 QStringLiteral("changes feed: the %1 parameter is required")
                     .arg(QLatin1String(field)));
            return;
        }
        c.insert(QLatin1String(field), params.value(QLatin1String(field)).toString());
    }
    const QJsonValue port = params.value(QLatin1String("port"));
    c.insert(QStringLiteral("port"), port.isString() ? port.toString().toInt() : port.toInt(5984));
    const QString protocol
        = params.value(QLatin1String("protocol")).toString(QStringLiteral("http"));
    if (protocol != u"http" && protocol != u"https") {
        done(std::nullopt, QStringLiteral("changes feed: protocol must be http or https"));
        return;
    }
    c.insert(QStringLiteral("protocol"), protocol);
    for (const char *field : {"username", "password", "filter"}) {
        if (params.contains(QLatin1String(field)))
            c.insert(QLatin1String(field), params.value(QLatin1String(field)).toString());
    }
    QJsonValue queryParams = params.value(QLatin1String("query_params"));
    if (queryParams.isString())
        queryParams = QJsonDocument::fromJson(queryParams.toString().toUtf8()).object();
    if (queryParams.isObject())
        c.insert(QStringLiteral("query_params"), queryParams);
    if (params.contains(QLatin1String("maxTriggers")))
        c.insert(QStringLiteral("maxTriggers"),
                 params.value(QLatin1String("maxTriggers")).toInt(-1));

    // The database must be reachable; "since": "now" is pinned to its current update_seq so
    // that a later (re)connection does not skip what happened in between.
    QNetworkRequest request(databaseUrl(c));
    authorize(request, c);
    request.setTransferTimeout(10000);
    QNetworkReply *reply = m_network.get(request);
    const QJsonValue since = params.value(QLatin1String("since"));
    connect(reply, &QNetworkReply::finished, this, [reply, c, since, done]() mutable {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200) {
            done(std::nullopt,
                 QStringLiteral("changes feed: database '%1' is not reachable at %2: %3")
                     .arg(c.value(QLatin1String("dbname")).toString(),
                          databaseUrl(c).adjusted(QUrl::RemovePath).toString(),
                          status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString()));
            return;
        }
        const QJsonObject info = QJsonDocument::fromJson(reply->readAll()).object();
        c.insert(QStringLiteral("since"),
                 since.isUndefined() || since == QJsonValue(u"now"_qs)
                     ? info.value(QLatin1String("update_seq"))
                     : since);
        done(c, {});
    });
}

void ChangesProvider::reconfigure(const QJsonObject &config,
                                  const QJsonObject &params,
                                  Configured done)
{
    QJsonObject c = config;
    bool any = false;
    if (params.contains(QLatin1String("filter"))) {
        c.insert(QStringLiteral("filter"), params.value(QLatin1String("filter")).toString());
        any = true;
    }
    if (params.contains(QLatin1String("query_params"))) {
        QJsonValue q = params.value(QLatin1String("query_params"));
        if (q.isString())
            q = QJsonDocument::fromJson(q.toString().toUtf8()).object();
        c.insert(QStringLiteral("query_params"), q.toObject());
        any = true;
    }
    if (!any) {
        done(std::nullopt, QStringLiteral("no updatable parameters were specified"));
        return;
    }
    done(c, {});
}

QNetworkRequest ChangesProvider::streamRequest(const FeedRecord &feed) const
{
    const QJsonObject &c = feed.config;
    QUrl url = databaseUrl(c);
    url.setPath(url.path() + QStringLiteral("/_changes"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("feed"), QStringLiteral("continuous"));
    query.addQueryItem(QStringLiteral("heartbeat"), QString::number(heartbeatMs));
    const QJsonValue since = feed.state.contains(QLatin1String("seq"))
                                 ? feed.state.value(QLatin1String("seq"))
                                 : c.value(QLatin1String("since"));
    if (!since.isUndefined() && !since.isNull()) {
        query.addQueryItem(QStringLiteral("since"),
                           since.isString() ? since.toString()
                                            : QString::number(since.toInteger()));
    }
    if (!c.value(QLatin1String("filter")).toString().isEmpty())
        query.addQueryItem(QStringLiteral("filter"), c.value(QLatin1String("filter")).toString());
    const QJsonObject params = c.value(QLatin1String("query_params")).toObject();
    for (auto it = params.begin(); it != params.end(); ++it) {
        query.addQueryItem(it.key(),
                           it.value().isString() ? it.value().toString()
                                                 : it.value().toVariant().toString());
    }
    url.setQuery(query);
    QNetworkRequest request(url);
    authorize(request, c);
    return request;
}

QList<StreamFollower::Event>
ChangesProvider::parseLine(const FeedRecord &feed, const QByteArray &line, QJsonObject &)
{
    if (line.trimmed().isEmpty())
        return {}; // heartbeat
    const QJsonObject change = QJsonDocument::fromJson(line).object();
    if (!change.contains(QLatin1String("id")) || !change.contains(QLatin1String("seq")))
        return {}; // e.g. {"last_seq": ...} when the server ends the feed
    const QJsonObject payload{
        {QStringLiteral("id"), change.value(QLatin1String("id"))},
        {QStringLiteral("seq"), change.value(QLatin1String("seq"))},
        {QStringLiteral("changes"), change.value(QLatin1String("changes"))},
        {QStringLiteral("dbname"), feed.config.value(QLatin1String("dbname"))},
    };
    return {
        Event{payload, QJsonObject{{QStringLiteral("seq"), change.value(QLatin1String("seq"))}}}};
}

} // namespace Feedscope::Engine
