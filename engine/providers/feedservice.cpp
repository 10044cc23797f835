// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedservice.h"

#include "api/routesupport.h"
#include "core/apierror.h"
#include "core/firecommits.h"
#include "core/resolver.h"
#include "store/entitystore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

// Retry policy of the upstream providers (PROTOCOL.md 4.4): up to 10 retries of 408 / 409 / 429
// / 5xx / network errors, waiting max(1 s, 1 s × n429²).
constexpr int maxFireRetries = 10;

// Parameters the feed actions add that are not part of a feed's configuration.
const QStringList controlParameters{QStringLiteral("triggerName"),
                                    QStringLiteral("authKey"),
                                    QStringLiteral("lifecycleEvent"),
                                    QStringLiteral("apihost")};

QJsonObject success()
{
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("success")}};
}

QJsonObject userParameters(const QJsonObject &body)
{
    QJsonObject params = body;
    for (const QString &key : controlParameters)
        params.remove(key);
    return params;
}

bool isRetryable(int status)
{
    return status == 0 || status == 408 || status == 409 || status == 429 || status >= 500;
}

} // namespace

FeedService::FeedService(Services &services, QObject *parent)
    : QObject(parent)
    , m_s(services)
    , m_store(services.db)
{}

FeedService::~FeedService() = default;

void FeedService::addProvider(Provider *provider)
{
    provider->setParent(this);
    m_providers.insert(provider->name(), provider);
}

void FeedService::start(const QString &engineUrl)
{
    m_engineUrl = engineUrl;
    const QUrl url(engineUrl);
    m_fireClient.setServer(url.host(), quint16(url.port()));
    for (const FeedRecord &feed : m_store.all()) {
        Provider *provider = m_providers.value(feed.provider);
        if (provider && feed.isActive())
            provider->start(feed);
    }
}

QString FeedService::checkedTrigger(const ApiCall &call,
                                    const QString &ns,
                                    const QString &name,
                                    bool allowMissing) const
{
    const QString resolvedNs = ns == u"_" ? call.identity.ns : ns;
    const QString trigger = resolvedNs + u'/' + entityName(name);
    try {
        m_s.resolver.readable(call.identity, Collection::Triggers, trigger);
    } catch (const ApiError &error) {
        if (!(allowMissing && error.status == 404 && resolvedNs == call.identity.ns)) {
            throw ApiError{error.status,
                           QStringLiteral("Trigger authentication request failed: ")
                               + error.message};
        }
    }
    return trigger;
}

void FeedService::handle(const ApiCallPtr &call, const QStringList &segments)
{
    // segments: {provider} "feeds" [{ns} {name} [pause|resume]]
    Provider *provider = segments.isEmpty() ? nullptr : m_providers.value(segments[0]);
    if (!provider) {
        throw ApiError{404, QStringLiteral("There is no provider '%1'.").arg(segments.value(0))};
    }
    if (segments.size() == 2 && segments[1] == u"stats") {
        requireMethod(*call, {"GET", "DELETE"});
        // Figures of every user's feeds, and a reset that disturbs a running benchmark: the
        // system's, not a tenant's.
        if (call->identity.ns != u"whisk.system")
            throw ApiError{403, Messages::notAuthorized};
        call->respond(200, provider->stats());
        if (call->method() == "DELETE")
            provider->resetStats();
        return;
    }
    if (segments.size() < 2 || segments[1] != u"feeds")
        throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
    if (segments.size() == 2) {
        requireMethod(*call, {"POST"});
        create(call, provider);
        return;
    }
    if (segments.size() != 4 && segments.size() != 5)
        throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
    const bool isDelete = call->method() == "DELETE";
    const QString trigger = checkedTrigger(*call, segments[2], segments[3], isDelete);
    const auto feed = m_store.find(provider->name(), trigger);
    if (!feed) {
        throw ApiError{
            404,
            QStringLiteral("There is no %1 feed for trigger %2.").arg(provider->name(), trigger)};
    }
    if (segments.size() == 5) {
        requireMethod(*call, {"POST"});
        if (segments[4] != u"pause" && segments[4] != u"resume")
            throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
        setPaused(call, provider, *feed, segments[4] == u"pause");
        return;
    }
    requireMethod(*call, {"GET", "PATCH", "DELETE"});
    if (call->method() == "GET")
        read(call, *feed);
    else if (call->method() == "PATCH")
        update(call, provider, *feed);
    else
        remove(call, provider, *feed);
}

void FeedService::create(const ApiCallPtr &call, Provider *provider)
{
    const QJsonObject body = call->bodyObject();
    const QString triggerName = body.value(QLatin1String("triggerName")).toString();
    const auto name = QualifiedName::parse(triggerName, call->identity.ns);
    if (!name || !name->package.isEmpty())
        throw ApiError{
            400,
            QStringLiteral("triggerName must be /namespace/trigger, got '%1'.").arg(triggerName)};
    const QString trigger = checkedTrigger(*call, name->ns, name->name, false);
    const QString apiKey = call->identity.authKey();
    QPointer<FeedService> self(this);
    provider->configure(
        userParameters(body),
        [self, call, provider, trigger, apiKey](std::optional<QJsonObject> config, QString error) {
            if (!self)
                return;
            if (!config) {
                call->respondError(400, error);
                return;
            }
            provider->stop(trigger); // CREATE on an existing feed replaces it
            const FeedRecord feed{provider->name(), trigger, apiKey, *config, feedStatus(true), {}};
            if (!self->m_store.put(feed)) {
                call->respondError(500, Messages::internalError);
                return;
            }
            provider->start(feed);
            call->respond(200, success());
        });
}

void FeedService::read(const ApiCallPtr &call, const FeedRecord &feed)
{
    QJsonObject config = feed.config;
    config.insert(QStringLiteral("name"), feed.name());
    config.insert(QStringLiteral("namespace"), feed.ns());
    call->respond(
        200,
        QJsonObject{{QStringLiteral("config"), config}, {QStringLiteral("status"), feed.status}});
}

void FeedService::update(const ApiCallPtr &call, Provider *provider, const FeedRecord &feed)
{
    const QJsonObject params = userParameters(call->bodyObject());
    QPointer<FeedService> self(this);
    provider->reconfigure(
        feed.config,
        params,
        [self, call, provider, feed](std::optional<QJsonObject> config, QString error) {
            if (!self)
                return;
            if (!config) {
                call->respondError(400, error);
                return;
            }
            FeedRecord updated = feed;
            updated.config = *config;
            // An update re-enables a feed the provider disabled, but not one the user paused.
            const bool userPaused = feed.status.value(QLatin1String("reason"))
                                        .toObject()
                                        .value(QLatin1String("kind"))
                                        .toString()
                                    == u"USER";
            if (!userPaused)
                updated.status = feedStatus(true);
            provider->stop(feed.trigger);
            if (!self->m_store.put(updated)) {
                call->respondError(500, Messages::internalError);
                return;
            }
            if (updated.isActive())
                provider->start(updated);
            call->respond(200, success());
        });
}

void FeedService::remove(const ApiCallPtr &call, Provider *provider, const FeedRecord &feed)
{
    provider->stop(feed.trigger);
    if (!m_store.remove(feed.provider, feed.trigger))
        throw ApiError{500, Messages::internalError};
    call->respond(200, success());
}

void FeedService::setPaused(const ApiCallPtr &call,
                            Provider *provider,
                            FeedRecord feed,
                            bool paused)
{
    provider->stop(feed.trigger);
    feed.status = paused ? feedStatus(false,
                                      QJsonObject{{QStringLiteral("kind"), QStringLiteral("USER")},
                                                  {QStringLiteral("message"),
                                                   QStringLiteral("Paused by the user.")}})
                         : feedStatus(true);
    if (!m_store.put(feed))
        throw ApiError{500, Messages::internalError};
    if (!paused)
        provider->start(feed);
    call->respond(200, success());
}

void FeedService::fire(const FeedRecord &feed,
                       const QJsonObject &payload,
                       std::function<void(bool)> done)
{
    fireAttempt(
        feed, QJsonDocument(payload).toJson(QJsonDocument::Compact), 0, 0, {}, std::move(done));
}

void FeedService::fireAndSave(const FeedRecord &feed,
                              const QJsonObject &payload,
                              const QJsonObject &state,
                              std::function<void(bool)> done)
{
    const QByteArray token = m_s.fireCommits.add([this, feed, state] { saveState(feed, state); });
    fireAttempt(feed,
                QJsonDocument(payload).toJson(QJsonDocument::Compact),
                0,
                0,
                token,
                [this, token, done = std::move(done)](bool fired) {
                    m_s.fireCommits.release(token);
                    done(fired);
                });
}

void FeedService::fireAttempt(const FeedRecord &feed,
                              const QByteArray &body,
                              int attempt,
                              int count429,
                              const QByteArray &fireToken,
                              std::function<void(bool)> done)
{
    const QByteArray path = "/api/v1/namespaces/" + QUrl::toPercentEncoding(feed.ns())
                            + "/triggers/" + QUrl::toPercentEncoding(feed.name());
    m_fireClient.post(
        path,
        "Basic " + feed.apiKey.toUtf8().toBase64(),
        body,
        fireToken.isEmpty() ? QByteArray()
                            : QByteArray(FireCommits::headerName) + ": " + fireToken + "\r\n",
        [this, feed, body, attempt, count429, fireToken, done = std::move(done)](
            int status, const QByteArray &reply) {
            if (status >= 200 && status < 300) {
                done(true);
                return;
            }
            const QString message = QJsonDocument::fromJson(reply)
                                        .object()
                                        .value(QLatin1String("error"))
                                        .toString(QStringLiteral("HTTP %1").arg(status));
            if (!isRetryable(status)) {
                disable(feed,
                        QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                                    {QStringLiteral("statusCode"), status},
                                    {QStringLiteral("message"),
                                     QString(QStringLiteral("Trigger automatically "
                                                            "disabled: ")
                                             + message)}});
                done(false);
                return;
            }
            const int n429 = count429 + (status == 429 ? 1 : 0);
            if (attempt >= maxFireRetries) {
                if (n429 > maxFireRetries) {
                    disable(feed,
                            QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                                        {QStringLiteral("statusCode"), 429},
                                        {QStringLiteral("message"),
                                         QStringLiteral("Automatically disabled after "
                                                        "continuously receiving a 429 "
                                                        "status code when firing the "
                                                        "trigger")}});
                }
                done(false);
                return;
            }
            const int delay = qMax(1000, 1000 * n429 * n429);
            QTimer::singleShot(delay, this, [this, feed, body, attempt, n429, fireToken, done] {
                // A feed stopped meanwhile (deleted, paused) is not fired any more.
                const auto current = m_store.find(feed.provider, feed.trigger);
                if (!current || !current->isActive()) {
                    done(false);
                    return;
                }
                fireAttempt(*current, body, attempt + 1, n429, fireToken, done);
            });
        });
}

void FeedService::saveState(const FeedRecord &feed, const QJsonObject &state)
{
    auto current = m_store.find(feed.provider, feed.trigger);
    if (!current)
        return;
    current->state = state;
    m_store.put(*current);
}

void FeedService::disable(const FeedRecord &feed, const QJsonObject &reason)
{
    auto current = m_store.find(feed.provider, feed.trigger);
    if (!current)
        return;
    if (Provider *provider = m_providers.value(feed.provider))
        provider->stop(feed.trigger);
    current->status = feedStatus(false, reason);
    m_store.put(*current);
}

void FeedService::ownerRequest(const FeedRecord &feed,
                               const QByteArray &method,
                               const QString &path,
                               std::function<void()> done)
{
    QNetworkRequest request(QUrl(m_engineUrl + QStringLiteral("/api/v1/namespaces/") + path));
    request.setRawHeader("Authorization", "Basic " + feed.apiKey.toUtf8().toBase64());
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        if (done)
            done();
    });
}

void FeedService::deleteTrigger(const FeedRecord &feed, bool withRules)
{
    if (Provider *provider = m_providers.value(feed.provider))
        provider->stop(feed.trigger);
    m_store.remove(feed.provider, feed.trigger);
    const QString triggerPath = feed.ns() + QStringLiteral("/triggers/") + feed.name();
    QStringList rules;
    if (withRules) {
        if (const Entity *trigger = m_s.entities.find(feed.trigger)) {
            rules = trigger->doc.value(QLatin1String("rules")).toObject().keys();
        }
    }
    // Through the public API with the owner's key, like the upstream provider.
    for (const QString &rule : rules) {
        ownerRequest(feed,
                     "DELETE",
                     rule.section(u'/', 0, 0) + QStringLiteral("/rules/") + rule.section(u'/', 1),
                     {});
    }
    ownerRequest(feed, "DELETE", triggerPath, {});
}

} // namespace Feedscope::Engine
