// SPDX-License-Identifier: GPL-3.0-or-later
#include "triggerroutes.h"

#include "core/activator.h"
#include "core/apierror.h"
#include "core/enginelimits.h"
#include "core/firecommits.h"
#include "core/ids.h"
#include "core/keyvalues.h"
#include "core/ratelimiter.h"
#include "core/resolver.h"
#include "routesupport.h"
#include "store/activationstore.h"
#include "store/entitystore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

QJsonObject triggerSummary(const QJsonObject &doc)
{
    return QJsonObject{
        {QStringLiteral("namespace"), doc.value(QLatin1String("namespace"))},
        {QStringLiteral("name"), doc.value(QLatin1String("name"))},
        {QStringLiteral("version"), doc.value(QLatin1String("version"))},
        {QStringLiteral("publish"), doc.value(QLatin1String("publish"))},
        {QStringLiteral("annotations"), doc.value(QLatin1String("annotations"))},
        {QStringLiteral("updated"), doc.value(QLatin1String("updated"))},
    };
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The request headers as the controller forwards them to rule actions: lower-cased names.
QJsonObject forwardedHeaders(const Http::Request &request)
{
    QJsonObject headers;
    for (const auto &h : request.headers) {
        if (h.first != FireCommits::headerName) // the engine's own, not the sender's
            headers.insert(QString::fromLatin1(h.first), QString::fromUtf8(h.second));
    }
    return headers;
}

} // namespace

TriggerRoutes::TriggerRoutes(Services &services)
    : m_s(services)
{}

void TriggerRoutes::handle(const ApiCallPtr &call)
{
    if (isCollectionRoot(call->rest)) {
        requireMethod(*call, {"GET"});
        list(call);
        return;
    }
    const QString name = singleName(*call);
    const QString docId = call->ns + u'/' + name;
    requireMethod(*call, {"PUT", "GET", "DELETE", "POST"});
    if (call->method() == "GET") {
        call->respond(200, m_s.resolver.readable(call->identity, Collection::Triggers, docId).doc);
    } else if (call->method() == "PUT") {
        put(call, name);
    } else if (call->method() == "DELETE") {
        remove(call, docId);
    } else {
        fire(call, docId);
    }
}

void TriggerRoutes::list(const ApiCallPtr &call)
{
    requireOwner(*call, call->ns);
    const ListParams params = listParams(*call, QStringLiteral("triggers"));
    respondEntities(*call,
                    QStringLiteral("triggers"),
                    m_s.entities.list(Collection::Triggers, call->ns),
                    params,
                    [](const Entity &e) { return triggerSummary(e.doc); });
}

void TriggerRoutes::put(const ApiCallPtr &call, const QString &name)
{
    const QString docId = call->ns + u'/' + name;
    requireOwner(*call, docId);
    const Entity *existing = checkPut(*call, m_s.entities.find(docId), int(Collection::Triggers));
    const QJsonObject body = call->bodyObject();

    const QJsonArray parameters
        = keyValuesOrKept(body, QStringLiteral("parameters"), existing, m_s.limits.maxPayloadBytes);
    const QJsonArray annotations = keyValuesOrKept(
        body, QStringLiteral("annotations"), existing, m_s.limits.maxPayloadBytes);
    const QJsonValue limits = body.value(QStringLiteral("limits"));
    if (!limits.isUndefined() && !limits.isNull() && !limits.isObject())
        throw ApiError{400, QStringLiteral("The request content was malformed:\nlimits malformed")};
    if (!existing) {
        // A feed annotation must name an entity path (the controller does not check it exists).
        const QJsonValue feed = KeyValues::value(annotations, u"feed");
        if (!feed.isUndefined() && (!feed.isString() || !QualifiedName::parse(feed.toString()))) {
            throw ApiError{400, Messages::feedNameInvalid};
        }
    }

    QJsonObject doc = documentFields(call->ns, name, body, existing);
    doc.insert(QStringLiteral("annotations"), annotations);
    doc.insert(QStringLiteral("parameters"), parameters);
    doc.insert(QStringLiteral("limits"), QJsonObject());
    if (existing && existing->doc.contains(QLatin1String("rules")))
        doc.insert(QStringLiteral("rules"), existing->doc.value(QLatin1String("rules")));
    if (!m_s.entities.put(Entity{Collection::Triggers, docId, doc}))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

void TriggerRoutes::remove(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const QJsonObject doc = m_s.resolver.readable(call->identity, Collection::Triggers, docId).doc;
    if (!m_s.entities.remove(docId))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

void TriggerRoutes::fire(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const qint64 payloadSize = call->request().body.size();
    if (payloadSize > m_s.limits.maxPayloadBytes) {
        throw ApiError{413,
                       QStringLiteral("Request larger than allowed: %1 > %2 bytes.")
                           .arg(payloadSize)
                           .arg(m_s.limits.maxPayloadBytes)};
    }
    const Entity &trigger = m_s.resolver.readable(call->identity, Collection::Triggers, docId);
    const QJsonObject payload = call->bodyObject();
    const QByteArray feedToken = call->request().header(FireCommits::headerName);
    if (const auto earlier = m_s.fireCommits.earlierFire(feedToken)) {
        // A feed's retry of a fire that was recorded: the same answer, not a second fire.
        if (earlier->isEmpty()) {
            call->respondEmpty(204);
        } else {
            call->respond(202,
                          QJsonObject{{QStringLiteral("activationId"), *earlier}},
                          {{"x-openwhisk-activation-id", earlier->toLatin1()}});
        }
        return;
    }
    if (auto refused = m_s.limiter.admitFire(call->ns))
        throw ApiError{429, *refused};

    const QJsonObject rules = trigger.doc.value(QLatin1String("rules")).toObject();
    qint64 active = 0;
    for (auto it = rules.begin(); it != rules.end(); ++it)
        active += it.value().toObject().value(QLatin1String("status")).toString() == u"active";
    if (active == 0) {
        m_s.fireCommits.recordFire(feedToken, {});
        call->respondEmpty(204);
        return;
    }
    // A full queue refuses the fire itself rather than accepting it with failed rule lines:
    // the sender (a feed provider among others) then retries it later.
    if (auto refused = m_s.activator.queueRefusal(active))
        throw ApiError{429, *refused};

    // Rule actions receive trigger parameters + payload (payload wins) + __ow_headers, where
    // payload keys win over the headers too (PROTOCOL.md 1.8).
    QJsonObject args
        = KeyValues::toObject(trigger.doc.value(QLatin1String("parameters")).toArray());
    args.insert(QStringLiteral("__ow_headers"), forwardedHeaders(call->request()));
    for (auto it = payload.begin(); it != payload.end(); ++it)
        args.insert(it.key(), it.value());

    Activation record;
    record.ns = call->identity.ns;
    record.name = trigger.name();
    record.version = trigger.doc.value(QLatin1String("version")).toString();
    record.subject = call->identity.subject;
    record.activationId = newActivationId();
    record.start = nowMs();
    record.result = payload;

    for (auto it = rules.begin(); it != rules.end(); ++it) {
        const QJsonObject rule = it.value().toObject();
        const QJsonObject actionRef = rule.value(QLatin1String("action")).toObject();
        const QString actionPath = actionRef.value(QLatin1String("path")).toString() + u'/'
                                   + actionRef.value(QLatin1String("name")).toString();
        QJsonObject line{{QStringLiteral("rule"), it.key()},
                         {QStringLiteral("action"), actionPath}};
        if (rule.value(QLatin1String("status")).toString() != u"active") {
            line.insert(QStringLiteral("statusCode"), 1);
            line.insert(QStringLiteral("success"), false);
            line.insert(QStringLiteral("error"),
                        QStringLiteral("Rule '%1' is inactive, action '%2' was not activated.")
                            .arg(it.key(), actionPath));
            record.logs.append(compact(line));
            continue;
        }
        try {
            const auto name = QualifiedName::parse(u'/' + actionPath);
            if (!name)
                throw ApiError{404, Messages::notFound};
            Activator::Request request{call->identity,
                                       m_s.resolver.resolveAction(call->identity, *name),
                                       args,
                                       call->transactionId(),
                                       {}};
            const QString id = m_s.activator.start(request, {});
            line.insert(QStringLiteral("statusCode"), 0);
            line.insert(QStringLiteral("success"), true);
            line.insert(QStringLiteral("activationId"), id);
        } catch (const ApiError &error) {
            // As when the controller's POST to the action fails: 4xx → 1, 5xx → 3.
            line.insert(QStringLiteral("statusCode"), error.status >= 500 ? 3 : 1);
            line.insert(QStringLiteral("success"), false);
            line.insert(QStringLiteral("error"), error.message);
        }
        record.logs.append(compact(line));
    }
    if (!m_s.activations.insert(record))
        throw ApiError{500, Messages::internalError};
    m_s.fireCommits.recordFire(feedToken, record.activationId);
    call->respond(202,
                  QJsonObject{{QStringLiteral("activationId"), record.activationId}},
                  {{"x-openwhisk-activation-id", record.activationId.toLatin1()}});
}

} // namespace Feedscope::Engine
