// SPDX-License-Identifier: GPL-3.0-or-later
#include "whiskclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Feedscope {

namespace {

QString reasonPhrase(int status)
{
    switch (status) {
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 405: return QStringLiteral("Method Not Allowed");
    case 409: return QStringLiteral("Conflict");
    case 413: return QStringLiteral("Payload Too Large");
    case 429: return QStringLiteral("Too Many Requests");
    case 500: return QStringLiteral("Internal Server Error");
    case 502: return QStringLiteral("Bad Gateway");
    case 503: return QStringLiteral("Service Unavailable");
    default: return {};
    }
}

QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// One request in flight: owns its reply, records it in the journal, delivers one result, and
// dies with its context.
class WhiskCall : public QObject
{
public:
    WhiskCall(QNetworkReply *reply,
              QObject *context,
              HttpJournal *journal,
              HttpJournal::Entry entry,
              QString what,
              QByteArray secret,
              std::function<void(Result<WhiskResponse>)> done)
        : QObject(reply->manager())
        , m_reply(reply)
        , m_context(context)
        , m_journal(journal)
        , m_entry(std::move(entry))
        , m_what(std::move(what))
        , m_secret(std::move(secret))
        , m_done(std::move(done))
    {
        m_timer.start();
        connect(reply, &QNetworkReply::finished, this, &WhiskCall::onFinished);
        connect(reply, &QNetworkReply::requestSent, this, [this] { ++m_sends; });
        if (context) {
            // The context going away cancels: abort the reply, drop the callback.
            connect(context, &QObject::destroyed, this, [this] {
                m_done = nullptr;
                m_reply->abort();
            });
        }
    }

private:
    void onFinished()
    {
        m_reply->deleteLater();
        deleteLater();
        WhiskResponse response;
        response.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // The connection broke after the status line (a cut answer): the status says nothing
        // about a body that never fully arrived, so this is a network failure, not a 2xx whose
        // truncated body would be taken for the entity.
        const QNetworkReply::NetworkError failure = m_reply->error();
        if (failure > QNetworkReply::NoError && failure < QNetworkReply::ContentAccessDenied)
            response.status = 0;
        if (m_reply->isOpen())
            response.body = m_reply->readAll();
        response.requestId = QString::fromLatin1(m_reply->rawHeader("X-Request-ID"));
        response.activationId
            = QString::fromLatin1(m_reply->rawHeader("x-openwhisk-activation-id"));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(response.body, &parseError);
        if (parseError.error == QJsonParseError::NoError)
            response.json = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());

        m_entry.status = response.status;
        m_entry.elapsedMs = m_timer.elapsed();
        m_entry.responseBody = response.body;
        m_entry.requestId = response.requestId;
        if (m_reply->error() != QNetworkReply::NoError && response.status == 0)
            m_entry.error = m_reply->errorString();
        if (m_journal)
            m_journal->append(m_entry, {m_secret});

        if (!m_done || (m_context.isNull() && m_hadContext))
            return;
        if (response.status >= 200 && response.status < 300) {
            m_done(response);
            return;
        }
        WhiskError error;
        if (response.status == 0) {
            const bool timedOut = m_reply->error() == QNetworkReply::OperationCanceledError
                                  || m_reply->error() == QNetworkReply::TimeoutError;
            error.kind = timedOut ? WhiskError::Kind::Timeout : WhiskError::Kind::Network;
            error.message
                = QStringLiteral("%1 failed: %2")
                      .arg(m_what,
                           timedOut ? QStringLiteral("no answer in time") : m_reply->errorString());
        } else {
            const QJsonObject body = response.json.toObject();
            error.kind = WhiskError::Kind::Http;
            error.resent = m_sends > 1;
            error.httpStatus = response.status;
            error.whiskError = body.value(QLatin1String("error")).toString();
            error.requestId = body.value(QLatin1String("code")).toString(response.requestId);
            error.body = response.json;
            error.activationId = response.activationId;
            error.message = QStringLiteral("%1 failed: %2 %3")
                                .arg(m_what)
                                .arg(response.status)
                                .arg(reasonPhrase(response.status));
            if (!error.whiskError.isEmpty())
                error.message += QStringLiteral(" — ") + error.whiskError;
        }
        m_done(error);
    }

    QNetworkReply *m_reply;
    QPointer<QObject> m_context;
    bool m_hadContext = !m_context.isNull();
    QPointer<HttpJournal> m_journal;
    HttpJournal::Entry m_entry;
    QString m_what;
    QByteArray m_secret; // the key, redacted wherever it appears in what is journalled
    std::function<void(Result<WhiskResponse>)> m_done;
    QElapsedTimer m_timer;
    int m_sends = 0; // QNetworkAccessManager resends a request whose connection closed unanswered
};

// PUT ?overwrite=true|false, and the verb that names it in error messages.
QUrlQuery overwriteQuery(bool overwrite)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("overwrite"),
                       overwrite ? QStringLiteral("true") : QStringLiteral("false"));
    return query;
}

QString putVerb(bool overwrite)
{
    return overwrite ? QStringLiteral("Updating") : QStringLiteral("Creating");
}

QUrlQuery paging(int limit, int skip)
{
    QUrlQuery query;
    if (limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (skip > 0)
        query.addQueryItem(QStringLiteral("skip"), QString::number(skip));
    return query;
}

} // namespace

QString WhiskEndpoint::baseUrl() const
{
    QString host = apiHost.trimmed();
    while (host.endsWith(u'/'))
        host.chop(1);
    if (!host.startsWith(QLatin1String("http://")) && !host.startsWith(QLatin1String("https://")))
        host.prepend(QStringLiteral("https://"));
    return host + QStringLiteral("/api/v1/");
}

WhiskClient::WhiskClient(QObject *parent)
    : QObject(parent)
{}

WhiskClientPtr WhiskClient::create(const WhiskEndpoint &endpoint, HttpJournal *journal)
{
    WhiskClientPtr client(new WhiskClient, [](WhiskClient *c) { c->deleteLater(); });
    client->setEndpoint(endpoint);
    client->setJournal(journal);
    return client;
}

std::optional<QualifiedName> WhiskClient::qualify(const QString &name) const
{
    return QualifiedName::parse(name,
                                m_endpoint.ns.isEmpty() ? QStringLiteral("_") : m_endpoint.ns);
}

void WhiskClient::call(const QByteArray &method,
                       const QString &path,
                       const QUrlQuery &query,
                       const QJsonValue &body,
                       const QString &what,
                       QObject *context,
                       Callback<WhiskResponse> done,
                       int timeoutMs)
{
    const QUrl url = this->url(path, query);
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs > 0 ? timeoutMs : m_timeoutMs);
    const QByteArray authorization = "Basic " + m_endpoint.authKey.toUtf8().toBase64();
    request.setRawHeader("Authorization", authorization);
    QByteArray payload;
    if (body.isObject() || body.isArray()) {
        payload = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                  : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    }
    HttpJournal::Entry entry;
    entry.started = QDateTime::currentDateTimeUtc();
    entry.method = method;
    entry.url = url;
    entry.requestHeaders = {{"Authorization", authorization}};
    if (!payload.isEmpty())
        entry.requestHeaders.append(
            qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    entry.requestBody = payload;
    entry.background = m_background;
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, payload);
    new WhiskCall(
        reply, context, journal(), entry, what, m_endpoint.authKey.toUtf8(), std::move(done));
}

QUrl WhiskClient::url(const QString &path, const QUrlQuery &query) const
{
    QUrl url(m_endpoint.baseUrl() + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QString WhiskClient::entityPath(const QString &collection, const QualifiedName &name) const
{
    QString path = QStringLiteral("namespaces/") + segment(name.ns) + u'/' + collection + u'/';
    if (!name.package.isEmpty())
        path += segment(name.package) + u'/';
    return path + segment(name.name);
}

template<typename T>
void WhiskClient::fetch(const QByteArray &method,
                        const QString &path,
                        const QUrlQuery &query,
                        const QJsonValue &body,
                        const QString &what,
                        QObject *context,
                        Callback<T> done,
                        T (*convert)(const QJsonObject &))
{
    call(method, path, query, body, what, context, [done, convert](Result<WhiskResponse> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(convert(r->json.toObject()));
    });
}

template<typename T>
void WhiskClient::fetchList(const QString &path,
                            const QUrlQuery &query,
                            const QString &what,
                            QObject *context,
                            Callback<QList<T>> done,
                            T (*convert)(const QJsonObject &))
{
    call("GET", path, query, {}, what, context, [done, convert](Result<WhiskResponse> r) {
        if (!r) {
            done(r.error());
            return;
        }
        QList<T> items;
        for (const QJsonValue &v : r->json.toArray())
            items.append(convert(v.toObject()));
        done(items);
    });
}

void WhiskClient::listNamespaces(QObject *context, Callback<QStringList> done)
{
    call("GET",
         QStringLiteral("namespaces"),
         {},
         {},
         QStringLiteral("Listing namespaces"),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r) {
                 done(r.error());
                 return;
             }
             QStringList names;
             for (const QJsonValue &v : r->json.toArray())
                 names.append(v.toString());
             done(names);
         });
}

void WhiskClient::limits(QObject *context, Callback<QJsonObject> done)
{
    call("GET",
         QStringLiteral("namespaces/") + segment(m_endpoint.ns) + QStringLiteral("/limits"),
         {},
         {},
         QStringLiteral("Reading the limits"),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r)
                 done(r.error());
             else
                 done(r->json.toObject());
         });
}

void WhiskClient::listActions(
    const QString &package, int limit, int skip, QObject *context, Callback<QList<Action>> done)
{
    QString path
        = QStringLiteral("namespaces/") + segment(m_endpoint.ns) + QStringLiteral("/actions");
    if (!package.isEmpty())
        path += u'/' + segment(package) + u'/';
    fetchList<Action>(path,
                      paging(limit, skip),
                      QStringLiteral("Listing actions"),
                      context,
                      done,
                      &Action::fromJson);
}

void WhiskClient::getAction(const QualifiedName &name,
                            bool withCode,
                            QObject *context,
                            Callback<Action> done)
{
    QUrlQuery query;
    if (!withCode)
        query.addQueryItem(QStringLiteral("code"), QStringLiteral("false"));
    fetch<Action>("GET",
                  entityPath(QStringLiteral("actions"), name),
                  query,
                  {},
                  QStringLiteral("Reading action '%1'").arg(name.name),
                  context,
                  done,
                  &Action::fromJson);
}

void WhiskClient::putAction(const QualifiedName &name,
                            const Action &action,
                            bool overwrite,
                            QObject *context,
                            Callback<Action> done)
{
    const QUrlQuery query = overwriteQuery(overwrite);
    fetch<Action>("PUT",
                  entityPath(QStringLiteral("actions"), name),
                  query,
                  action.toPutBody(),
                  QStringLiteral("%1 action '%2'").arg(putVerb(overwrite), name.name),
                  context,
                  done,
                  &Action::fromJson);
}

void WhiskClient::deleteAction(const QualifiedName &name, QObject *context, Callback<Action> done)
{
    fetch<Action>("DELETE",
                  entityPath(QStringLiteral("actions"), name),
                  {},
                  {},
                  QStringLiteral("Deleting action '%1'").arg(name.name),
                  context,
                  done,
                  &Action::fromJson);
}

QUrlQuery WhiskClient::invokeQuery(const InvokeOptions &options)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("blocking"),
                       options.blocking ? QStringLiteral("true") : QStringLiteral("false"));
    if (options.result)
        query.addQueryItem(QStringLiteral("result"), QStringLiteral("true"));
    if (options.blocking)
        query.addQueryItem(QStringLiteral("timeout"), QString::number(options.timeoutMs));
    return query;
}

QUrl WhiskClient::invokeUrl(const QualifiedName &name, const InvokeOptions &options) const
{
    return url(entityPath(QStringLiteral("actions"), name), invokeQuery(options));
}

void WhiskClient::invoke(const QualifiedName &name,
                         const QJsonObject &params,
                         const InvokeOptions &options,
                         QObject *context,
                         Callback<InvokeResult> done)
{
    const QUrlQuery query = invokeQuery(options);
    // A blocking call may take the server's whole wait plus some slack, but never longer than
    // the client's own limit when that is shorter.
    const int transferTimeout = options.blocking ? qMin(options.timeoutMs + 15000, m_timeoutMs) : 0;
    call(
        "POST",
        entityPath(QStringLiteral("actions"), name),
        query,
        params,
        QStringLiteral("Invoking action '%1'").arg(name.name),
        context,
        [done, options](Result<WhiskResponse> r) {
            if (!r) {
                // A finished activation that failed (502 application / developer error, 500
                // whisk error) is a result, not a failed call: it carries its record.
                const WhiskError &e = r.error();
                if ((e.httpStatus == 502 || e.httpStatus == 500) && !e.activationId.isEmpty()) {
                    InvokeResult failed;
                    failed.activationId = e.activationId;
                    failed.finished = true;
                    if (!options.result && e.body.toObject().contains(QLatin1String("response"))) {
                        failed.record = ActivationRecord::fromJson(e.body.toObject());
                        failed.result = failed.record->result;
                    } else {
                        failed.result = e.body;
                    }
                    done(failed);
                    return;
                }
                done(e);
                return;
            }
            InvokeResult result;
            const QJsonObject body = r->json.toObject();
            result.activationId = r->activationId.isEmpty()
                                      ? body.value(QLatin1String("activationId")).toString()
                                      : r->activationId;
            if (r->status == 200) {
                result.finished = true;
                if (options.result) {
                    result.result = r->json;
                } else if (r->json.isArray()) {
                    result.result = r->json;
                } else {
                    result.record = ActivationRecord::fromJson(body);
                    result.result = result.record->result;
                }
            }
            done(result);
        },
        transferTimeout);
}

void WhiskClient::listPackages(
    const QString &ns, int limit, int skip, QObject *context, Callback<QList<Package>> done)
{
    fetchList<Package>(QStringLiteral("namespaces/") + segment(ns.isEmpty() ? m_endpoint.ns : ns)
                           + QStringLiteral("/packages"),
                       paging(limit, skip),
                       QStringLiteral("Listing packages"),
                       context,
                       done,
                       &Package::fromJson);
}

void WhiskClient::getPackage(const QualifiedName &name, QObject *context, Callback<Package> done)
{
    fetch<Package>("GET",
                   entityPath(QStringLiteral("packages"), name),
                   {},
                   {},
                   QStringLiteral("Reading package '%1'").arg(name.name),
                   context,
                   done,
                   &Package::fromJson);
}

void WhiskClient::putPackage(const QualifiedName &name,
                             const Package &package,
                             bool overwrite,
                             QObject *context,
                             Callback<Package> done)
{
    const QUrlQuery query = overwriteQuery(overwrite);
    fetch<Package>(
        "PUT",
        entityPath(QStringLiteral("packages"), name),
        query,
        package.toPutBody(),
        QStringLiteral("%1 %2 '%3'")
            .arg(putVerb(overwrite),
                 package.isBinding() ? QStringLiteral("binding") : QStringLiteral("package"),
                 name.name),
        context,
        done,
        &Package::fromJson);
}

void WhiskClient::deletePackage(const QualifiedName &name,
                                bool force,
                                QObject *context,
                                Callback<Package> done)
{
    QUrlQuery query;
    if (force)
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    fetch<Package>("DELETE",
                   entityPath(QStringLiteral("packages"), name),
                   query,
                   {},
                   QStringLiteral("Deleting package '%1'").arg(name.name),
                   context,
                   done,
                   &Package::fromJson);
}

void WhiskClient::listTriggers(int limit, int skip, QObject *context, Callback<QList<Trigger>> done)
{
    fetchList<Trigger>(QStringLiteral("namespaces/") + segment(m_endpoint.ns)
                           + QStringLiteral("/triggers"),
                       paging(limit, skip),
                       QStringLiteral("Listing triggers"),
                       context,
                       done,
                       &Trigger::fromJson);
}

void WhiskClient::getTrigger(const QualifiedName &name, QObject *context, Callback<Trigger> done)
{
    fetch<Trigger>("GET",
                   entityPath(QStringLiteral("triggers"), name),
                   {},
                   {},
                   QStringLiteral("Reading trigger '%1'").arg(name.name),
                   context,
                   done,
                   &Trigger::fromJson);
}

void WhiskClient::putTrigger(const QualifiedName &name,
                             const Trigger &trigger,
                             bool overwrite,
                             QObject *context,
                             Callback<Trigger> done)
{
    const QUrlQuery query = overwriteQuery(overwrite);
    fetch<Trigger>("PUT",
                   entityPath(QStringLiteral("triggers"), name),
                   query,
                   trigger.toPutBody(),
                   QStringLiteral("%1 trigger '%2'").arg(putVerb(overwrite), name.name),
                   context,
                   done,
                   &Trigger::fromJson);
}

void WhiskClient::deleteTrigger(const QualifiedName &name, QObject *context, Callback<Trigger> done)
{
    fetch<Trigger>("DELETE",
                   entityPath(QStringLiteral("triggers"), name),
                   {},
                   {},
                   QStringLiteral("Deleting trigger '%1'").arg(name.name),
                   context,
                   done,
                   &Trigger::fromJson);
}

void WhiskClient::fire(const QualifiedName &name,
                       const QJsonObject &payload,
                       QObject *context,
                       Callback<QString> done)
{
    call("POST",
         entityPath(QStringLiteral("triggers"), name),
         {},
         payload,
         QStringLiteral("Firing trigger '%1'").arg(name.name),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r) {
                 done(r.error());
                 return;
             }
             // 204: no active rule, nothing recorded.
             done(r->status == 204
                      ? QString()
                      : r->json.toObject().value(QLatin1String("activationId")).toString());
         });
}

void WhiskClient::listRules(int limit, int skip, QObject *context, Callback<QList<Rule>> done)
{
    fetchList<Rule>(QStringLiteral("namespaces/") + segment(m_endpoint.ns)
                        + QStringLiteral("/rules"),
                    paging(limit, skip),
                    QStringLiteral("Listing rules"),
                    context,
                    done,
                    &Rule::fromJson);
}

void WhiskClient::getRule(const QualifiedName &name, QObject *context, Callback<Rule> done)
{
    fetch<Rule>("GET",
                entityPath(QStringLiteral("rules"), name),
                {},
                {},
                QStringLiteral("Reading rule '%1'").arg(name.name),
                context,
                done,
                &Rule::fromJson);
}

void WhiskClient::putRule(const QualifiedName &name,
                          const QString &trigger,
                          const QString &action,
                          bool overwrite,
                          QObject *context,
                          Callback<Rule> done)
{
    const QUrlQuery query = overwriteQuery(overwrite);
    const QJsonObject body{{QStringLiteral("trigger"), trigger},
                           {QStringLiteral("action"), action}};
    fetch<Rule>("PUT",
                entityPath(QStringLiteral("rules"), name),
                query,
                body,
                QStringLiteral("%1 rule '%2'").arg(putVerb(overwrite), name.name),
                context,
                done,
                &Rule::fromJson);
}

void WhiskClient::deleteRule(const QualifiedName &name, QObject *context, Callback<Rule> done)
{
    fetch<Rule>("DELETE",
                entityPath(QStringLiteral("rules"), name),
                {},
                {},
                QStringLiteral("Deleting rule '%1'").arg(name.name),
                context,
                done,
                &Rule::fromJson);
}

void WhiskClient::setRuleActive(const QualifiedName &name,
                                bool active,
                                QObject *context,
                                Callback<Done> done)
{
    const QJsonObject body{
        {QStringLiteral("status"), active ? QStringLiteral("active") : QStringLiteral("inactive")}};
    call("POST",
         entityPath(QStringLiteral("rules"), name),
         {},
         body,
         QStringLiteral("%1 rule '%2'")
             .arg(active ? QStringLiteral("Enabling") : QStringLiteral("Disabling"), name.name),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r)
                 done(r.error());
             else
                 done(Done{});
         });
}

void WhiskClient::listActivations(const ActivationFilter &filter,
                                  QObject *context,
                                  Callback<QList<ActivationRecord>> done)
{
    QUrlQuery query = paging(filter.limit, filter.skip);
    if (!filter.name.isEmpty())
        query.addQueryItem(QStringLiteral("name"), filter.name);
    if (filter.since > 0)
        query.addQueryItem(QStringLiteral("since"), QString::number(filter.since));
    if (filter.upto > 0)
        query.addQueryItem(QStringLiteral("upto"), QString::number(filter.upto));
    if (filter.docs)
        query.addQueryItem(QStringLiteral("docs"), QStringLiteral("true"));
    fetchList<ActivationRecord>(QStringLiteral("namespaces/") + segment(m_endpoint.ns)
                                    + QStringLiteral("/activations"),
                                query,
                                QStringLiteral("Listing activations"),
                                context,
                                done,
                                &ActivationRecord::fromJson);
}

void WhiskClient::getActivation(const QString &id,
                                QObject *context,
                                Callback<ActivationRecord> done)
{
    fetch<ActivationRecord>("GET",
                            QStringLiteral("namespaces/") + segment(m_endpoint.ns)
                                + QStringLiteral("/activations/") + segment(id),
                            {},
                            {},
                            QStringLiteral("Reading activation %1").arg(id),
                            context,
                            done,
                            &ActivationRecord::fromJson);
}

void WhiskClient::activationLogs(const QString &id, QObject *context, Callback<QStringList> done)
{
    call("GET",
         QStringLiteral("namespaces/") + segment(m_endpoint.ns) + QStringLiteral("/activations/")
             + segment(id) + QStringLiteral("/logs"),
         {},
         {},
         QStringLiteral("Reading the logs of activation %1").arg(id),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r) {
                 done(r.error());
                 return;
             }
             QStringList lines;
             for (const QJsonValue &v : r->json.toObject().value(QLatin1String("logs")).toArray())
                 lines.append(v.toString());
             done(lines);
         });
}

void WhiskClient::activationResult(const QString &id, QObject *context, Callback<QJsonObject> done)
{
    call("GET",
         QStringLiteral("namespaces/") + segment(m_endpoint.ns) + QStringLiteral("/activations/")
             + segment(id) + QStringLiteral("/result"),
         {},
         {},
         QStringLiteral("Reading the result of activation %1").arg(id),
         context,
         [done](Result<WhiskResponse> r) {
             if (!r)
                 done(r.error());
             else
                 done(r->json.toObject());
         });
}

} // namespace Feedscope
