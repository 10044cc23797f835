// SPDX-License-Identifier: GPL-3.0-or-later
#include "ruleroutes.h"

#include "core/apierror.h"
#include "core/enginelimits.h"
#include "core/ids.h"
#include "core/keyvalues.h"
#include "core/resolver.h"
#include "routesupport.h"
#include "store/entitystore.h"

#include <QJsonArray>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

QString refPath(const QJsonObject &ref)
{
    return ref.value(QLatin1String("path")).toString() + u'/'
           + ref.value(QLatin1String("name")).toString();
}

QJsonObject ref(const QualifiedName &name)
{
    return QJsonObject{{QStringLiteral("path"), name.path()}, {QStringLiteral("name"), name.name}};
}

} // namespace

RuleRoutes::RuleRoutes(Services &services)
    : m_s(services)
{}

void RuleRoutes::handle(const ApiCallPtr &call)
{
    if (isCollectionRoot(call->rest)) {
        requireMethod(*call, {"GET"});
        list(call);
        return;
    }
    const QString name = singleName(*call);
    const QString docId = call->ns + u'/' + name;
    requireMethod(*call, {"PUT", "GET", "DELETE", "POST"});
    if (call->method() == "GET")
        get(call, docId);
    else if (call->method() == "PUT")
        put(call, name);
    else if (call->method() == "DELETE")
        remove(call, docId);
    else
        setStatus(call, docId);
}

QString RuleRoutes::statusOf(const Entity &rule) const
{
    const QString triggerId = refPath(rule.doc.value(QLatin1String("trigger")).toObject());
    const Entity *trigger = m_s.entities.find(triggerId);
    if (!trigger || trigger->collection != Collection::Triggers)
        return QStringLiteral("inactive");
    const QJsonObject entry
        = trigger->doc.value(QLatin1String("rules")).toObject().value(rule.docId).toObject();
    return entry.value(QLatin1String("status")).toString(QStringLiteral("inactive"));
}

void RuleRoutes::updateTriggerEntry(const QString &triggerId,
                                    const QString &ruleKey,
                                    const QJsonObject &actionRef,
                                    const QString &status)
{
    const Entity *trigger = m_s.entities.find(triggerId);
    if (!trigger || trigger->collection != Collection::Triggers)
        return;
    Entity updated = *trigger;
    QJsonObject rules = updated.doc.value(QLatin1String("rules")).toObject();
    if (status.isEmpty()) {
        rules.remove(ruleKey);
    } else {
        rules.insert(
            ruleKey,
            QJsonObject{{QStringLiteral("action"), actionRef}, {QStringLiteral("status"), status}});
    }
    updated.doc.insert(QStringLiteral("rules"), rules);
    if (!m_s.entities.put(std::move(updated)))
        throw ApiError{500, Messages::internalError};
}

void RuleRoutes::list(const ApiCallPtr &call)
{
    requireOwner(*call, call->ns);
    const ListParams params = listParams(*call, QStringLiteral("rules"));
    // Full documents without status, as the controller lists them.
    respondEntities(*call,
                    QStringLiteral("rules"),
                    m_s.entities.list(Collection::Rules, call->ns),
                    params,
                    [](const Entity &e) { return e.doc; });
}

void RuleRoutes::get(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const Entity &rule = m_s.resolver.readable(call->identity, Collection::Rules, docId);
    QJsonObject view = rule.doc;
    view.insert(QStringLiteral("status"), statusOf(rule));
    call->respond(200, view);
}

void RuleRoutes::put(const ApiCallPtr &call, const QString &name)
{
    const QString docId = call->ns + u'/' + name;
    requireOwner(*call, docId);
    const Entity *existing = checkPut(*call, m_s.entities.find(docId), int(Collection::Rules));
    const QJsonObject body = call->bodyObject();

    auto parseRef = [&](const QString &field) -> std::optional<QualifiedName> {
        const QJsonValue v = body.value(field);
        if (v.isUndefined() || v.isNull()) {
            if (existing) {
                const QJsonObject r = existing->doc.value(field).toObject();
                return QualifiedName::parse(u'/' + refPath(r));
            }
            return std::nullopt;
        }
        auto parsed = QualifiedName::parse(v.toString(), call->identity.ns);
        if (!v.isString() || !parsed)
            throw ApiError{400,
                           QStringLiteral("The request content was malformed:\n"
                                          "fully qualified name malformed")};
        if (parsed->ns == DefaultNamespace)
            parsed->ns = call->identity.ns;
        return parsed;
    };
    const auto triggerName = parseRef(QStringLiteral("trigger"));
    const auto actionName = parseRef(QStringLiteral("action"));
    if (!triggerName || !actionName)
        throw ApiError{400, QStringLiteral("rule requires a valid trigger and a valid action")};

    const Entity *trigger = m_s.entities.find(triggerName->relative());
    if (!triggerName->package.isEmpty() || !trigger || trigger->collection != Collection::Triggers
        || triggerName->ns != call->identity.ns) {
        throw ApiError{400,
                       QStringLiteral("trigger %1 does not exist").arg(triggerName->toString())};
    }
    try {
        m_s.resolver.resolveAction(call->identity, *actionName);
    } catch (const ApiError &) {
        throw ApiError{400, QStringLiteral("action %1 does not exist").arg(actionName->toString())};
    }

    QJsonObject doc = documentFields(call->ns, name, body, existing);
    doc.insert(
        QStringLiteral("annotations"),
        keyValuesOrKept(body, QStringLiteral("annotations"), existing, m_s.limits.maxPayloadBytes));
    doc.insert(QStringLiteral("trigger"), ref(*triggerName));
    doc.insert(QStringLiteral("action"), ref(*actionName));

    // Overwriting keeps the status the trigger holds; a new rule starts active.
    QString status = QStringLiteral("active");
    if (existing) {
        status = statusOf(*existing);
        const QString oldTrigger
            = refPath(existing->doc.value(QLatin1String("trigger")).toObject());
        if (oldTrigger != triggerName->relative())
            updateTriggerEntry(oldTrigger, docId, {}, {});
    }
    updateTriggerEntry(triggerName->relative(), docId, ref(*actionName), status);
    if (!m_s.entities.put(Entity{Collection::Rules, docId, doc}))
        throw ApiError{500, Messages::internalError};
    QJsonObject view = doc;
    view.insert(QStringLiteral("status"), status);
    call->respond(200, view);
}

void RuleRoutes::remove(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const Entity &rule = m_s.resolver.readable(call->identity, Collection::Rules, docId);
    QJsonObject view = rule.doc;
    updateTriggerEntry(refPath(view.value(QLatin1String("trigger")).toObject()), docId, {}, {});
    if (!m_s.entities.remove(docId))
        throw ApiError{500, Messages::internalError};
    view.insert(QStringLiteral("status"), QStringLiteral("inactive"));
    call->respond(200, view);
}

void RuleRoutes::setStatus(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const Entity &rule = m_s.resolver.readable(call->identity, Collection::Rules, docId);
    const QJsonValue status = call->bodyObject().value(QStringLiteral("status"));
    if (status != QJsonValue(QStringLiteral("active"))
        && status != QJsonValue(QStringLiteral("inactive"))) {
        throw ApiError{400,
                       QStringLiteral("The request content was malformed:\n"
                                      "requirement failed: %1 is not a recognized rule "
                                      "state")
                           .arg(status.isString() ? status.toString() : QStringLiteral("status"))};
    }
    const QJsonObject doc = rule.doc;
    const QString triggerId = refPath(doc.value(QLatin1String("trigger")).toObject());
    const Entity *trigger = m_s.entities.find(triggerId);
    if (!trigger || trigger->collection != Collection::Triggers)
        throw ApiError{404, QStringLiteral("Only rules with existing triggers can be activated")};
    updateTriggerEntry(
        triggerId, docId, doc.value(QLatin1String("action")).toObject(), status.toString());
    call->respondText(200, "OK");
}

} // namespace Feedscope::Engine
