// SPDX-License-Identifier: GPL-3.0-or-later
#include "packageroutes.h"

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

bool isBinding(const QJsonObject &doc)
{
    return !doc.value(QLatin1String("binding")).toObject().isEmpty();
}

QJsonObject packageSummary(const QJsonObject &doc)
{
    const QJsonObject binding = doc.value(QLatin1String("binding")).toObject();
    return QJsonObject{
        {QStringLiteral("namespace"), doc.value(QLatin1String("namespace"))},
        {QStringLiteral("name"), doc.value(QLatin1String("name"))},
        {QStringLiteral("version"), doc.value(QLatin1String("version"))},
        {QStringLiteral("publish"), doc.value(QLatin1String("publish"))},
        {QStringLiteral("annotations"), doc.value(QLatin1String("annotations"))},
        {QStringLiteral("updated"), doc.value(QLatin1String("updated"))},
        {QStringLiteral("binding"), binding.isEmpty() ? QJsonValue(false) : QJsonValue(binding)},
    };
}

// {name, version, annotations} of the package's actions, split into "actions" and "feeds".
void addContents(QJsonObject &view, const EntityStore &entities, const QString &packageId)
{
    QJsonArray actions;
    QJsonArray feeds;
    for (const Entity *e : entities.list(Collection::Actions, packageId)) {
        const QJsonArray annotations = e->doc.value(QLatin1String("annotations")).toArray();
        const QJsonObject item{{QStringLiteral("name"), e->name()},
                               {QStringLiteral("version"), e->doc.value(QLatin1String("version"))},
                               {QStringLiteral("annotations"), annotations}};
        if (KeyValues::value(annotations, u"feed").isUndefined())
            actions.append(item);
        else
            feeds.append(item);
    }
    view.insert(QStringLiteral("actions"), actions);
    view.insert(QStringLiteral("feeds"), feeds);
}

} // namespace

PackageRoutes::PackageRoutes(Services &services)
    : m_s(services)
{}

void PackageRoutes::handle(const ApiCallPtr &call)
{
    if (isCollectionRoot(call->rest)) {
        requireMethod(*call, {"GET"});
        list(call);
        return;
    }
    const QString name = singleName(*call);
    const QString docId = call->ns + u'/' + name;
    requireMethod(*call, {"PUT", "GET", "DELETE"});
    if (call->method() == "GET")
        get(call, docId);
    else if (call->method() == "PUT")
        put(call, name);
    else
        remove(call, docId);
}

void PackageRoutes::list(const ApiCallPtr &call)
{
    const ListParams params = listParams(*call, QStringLiteral("packages"));
    const bool own = call->ns == call->identity.ns;
    QList<const Entity *> packages = m_s.entities.list(Collection::Packages, call->ns);
    if (!own) {
        // Another namespace shows only its published packages, never its bindings.
        packages.removeIf([](const Entity *e) {
            return !e->doc.value(QLatin1String("publish")).toBool() || isBinding(e->doc);
        });
    }
    respondEntities(*call, QStringLiteral("packages"), packages, params, [](const Entity &e) {
        return packageSummary(e.doc);
    });
}

void PackageRoutes::get(const ApiCallPtr &call, const QString &docId)
{
    if (call->ns == call->identity.ns && !m_s.entities.find(docId)) {
        // The controller's entitlement check fetches the package and names it when missing.
        throw ApiError{404,
                       QStringLiteral("The requested resource '%1' does not exist.").arg(docId)};
    }
    QJsonObject view = m_s.resolver.readable(call->identity, Collection::Packages, docId).doc;
    if (isBinding(view)) {
        // A binding shows itself, with the target's parameters overridden by its own and the
        // target's actions and feeds.
        const QJsonObject binding = view.value(QLatin1String("binding")).toObject();
        const QString targetId = binding.value(QLatin1String("namespace")).toString() + u'/'
                                 + binding.value(QLatin1String("name")).toString();
        const Entity *target = m_s.entities.find(targetId);
        if (target) {
            view.insert(QStringLiteral("parameters"),
                        KeyValues::merged(target->doc.value(QLatin1String("parameters")).toArray(),
                                          view.value(QLatin1String("parameters")).toArray()));
        }
        addContents(view, m_s.entities, targetId);
    } else {
        addContents(view, m_s.entities, docId);
    }
    call->respond(200, view);
}

QJsonObject PackageRoutes::validatedBinding(const ApiCall &call, const QJsonObject &body) const
{
    const QJsonValue value = body.value(QStringLiteral("binding"));
    if (value.isUndefined() || value.isNull() || value.isBool())
        return {};
    if (!value.isObject())
        throw ApiError{400,
                       QStringLiteral("The request content was malformed:\nbinding malformed")};
    const QJsonObject binding = value.toObject();
    if (binding.isEmpty())
        return {};
    QString ns = binding.value(QLatin1String("namespace")).toString();
    const QString name = binding.value(QLatin1String("name")).toString();
    if (ns == DefaultNamespace || ns.isEmpty())
        ns = call.identity.ns;
    if (!isValidEntityName(ns) || !isValidEntityName(name))
        throw ApiError{400,
                       QStringLiteral("The request content was malformed:\nbinding malformed")};
    const QString targetId = ns + u'/' + name;
    const Entity *target = m_s.entities.find(targetId);
    if (ns != call.identity.ns) {
        // Other namespaces: only published packages may be bound; a private or missing one is
        // a 403 so that nothing leaks about it.
        if (!target || target->collection != Collection::Packages
            || !target->doc.value(QLatin1String("publish")).toBool()) {
            throw ApiError{403,
                           QStringLiteral("The supplied authentication is not authorized "
                                          "to access '%1'.")
                               .arg(targetId)};
        }
    }
    if (!target)
        throw ApiError{400, Messages::bindingDoesNotExist};
    if (target->collection != Collection::Packages)
        throw ApiError{409, QStringLiteral("Cannot bind to a resource that is not a package.")};
    if (isBinding(target->doc))
        throw ApiError{400, Messages::bindingCannotReferenceBinding};
    return QJsonObject{{QStringLiteral("namespace"), ns}, {QStringLiteral("name"), name}};
}

void PackageRoutes::put(const ApiCallPtr &call, const QString &name)
{
    const QString docId = call->ns + u'/' + name;
    requireOwner(*call, docId);
    if (name == u"default")
        throw ApiError{400, QStringLiteral("Package name 'default' is reserved.")};
    const Entity *existing = checkPut(*call, m_s.entities.find(docId), int(Collection::Packages));
    const QJsonObject body = call->bodyObject();
    const QJsonObject binding = validatedBinding(*call, body);
    if (existing && !binding.isEmpty() && !isBinding(existing->doc))
        throw ApiError{409, Messages::packageCannotBecomeBinding};

    const QJsonArray parameters
        = keyValuesOrKept(body, QStringLiteral("parameters"), existing, m_s.limits.maxPayloadBytes);
    QJsonArray annotations = keyValuesOrKept(
        body, QStringLiteral("annotations"), existing, m_s.limits.maxPayloadBytes);
    if (!binding.isEmpty())
        annotations = KeyValues::with(annotations, QStringLiteral("binding"), binding);
    const QJsonObject effectiveBinding
        = !binding.isEmpty() ? binding
          : existing         ? existing->doc.value(QLatin1String("binding")).toObject()
                             : QJsonObject();

    QJsonObject doc = documentFields(call->ns, name, body, existing);
    doc.insert(QStringLiteral("annotations"), annotations);
    doc.insert(QStringLiteral("parameters"), parameters);
    doc.insert(QStringLiteral("binding"), effectiveBinding);
    if (!m_s.entities.put(Entity{Collection::Packages, docId, doc}))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

void PackageRoutes::remove(const ApiCallPtr &call, const QString &docId)
{
    requireOwner(*call, docId);
    const Entity &package = m_s.resolver.readable(call->identity, Collection::Packages, docId);
    const QJsonObject doc = package.doc;
    const QList<const Entity *> contents = m_s.entities.list(Collection::Actions, docId);
    if (!contents.isEmpty()) {
        if (!call->queryFlag(QStringLiteral("force"))) {
            const qsizetype n = contents.size();
            throw ApiError{
                409,
                QStringLiteral("Package not empty (contains %1 %2). Set force "
                               "param or delete package contents.")
                    .arg(n)
                    .arg(n == 1 ? QStringLiteral("entity") : QStringLiteral("entities"))};
        }
        for (const Entity *action : contents) {
            if (!m_s.entities.remove(action->docId))
                throw ApiError{500, Messages::internalError};
        }
    }
    if (!m_s.entities.remove(docId))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

} // namespace Feedscope::Engine
