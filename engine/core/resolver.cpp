// SPDX-License-Identifier: GPL-3.0-or-later
#include "resolver.h"

#include "apierror.h"
#include "keyvalues.h"

namespace Feedscope::Engine {

namespace {

ApiError forbidden(const QString &resource)
{
    return ApiError{403,
                    QStringLiteral("The supplied authentication is not authorized to access "
                                   "'%1'.")
                        .arg(resource)};
}

bool isBinding(const Entity &package)
{
    const QJsonValue binding = package.doc.value(QLatin1String("binding"));
    return binding.isObject() && !binding.toObject().isEmpty();
}

QJsonArray parameters(const Entity &entity)
{
    return entity.doc.value(QLatin1String("parameters")).toArray();
}

} // namespace

Resolver::Resolver(const EntityStore &entities)
    : m_entities(entities)
{}

bool Resolver::isShared(const QString &docId) const
{
    const QStringList parts = docId.split(u'/');
    if (parts.size() < 2)
        return false;
    const Entity *package = m_entities.find(parts[0] + u'/' + parts[1]);
    if (!package || package->collection != Collection::Packages || isBinding(*package))
        return false;
    if (!package->doc.value(QLatin1String("publish")).toBool())
        return false;
    return parts.size() == 2 || parts.size() == 3;
}

const Entity &
Resolver::readable(const Identity &caller, Collection collection, const QString &docId) const
{
    const QString rootNs = docId.section(u'/', 0, 0);
    if (rootNs != caller.ns && !isShared(docId))
        throw forbidden(docId);
    const Entity *entity = m_entities.find(docId);
    if (!entity)
        throw ApiError{404, Messages::notFound};
    if (entity->collection != collection)
        throw ApiError{409, Messages::conflictingCollection};
    return *entity;
}

ResolvedAction Resolver::resolveAction(const Identity &caller, const QualifiedName &requested) const
{
    ResolvedAction resolved;
    QString actionDocId;
    if (requested.package.isEmpty()) {
        if (requested.ns != caller.ns)
            throw forbidden(requested.relative());
        actionDocId = requested.relative();
        resolved.name = requested;
    } else {
        const QString packageId = requested.ns + u'/' + requested.package;
        if (requested.ns != caller.ns && !isShared(packageId))
            throw forbidden(requested.relative());
        const Entity &package = readable(caller, Collection::Packages, packageId);
        if (isBinding(package)) {
            const QJsonObject target = package.doc.value(QLatin1String("binding")).toObject();
            const QString targetNs = target.value(QLatin1String("namespace")).toString();
            const QString targetName = target.value(QLatin1String("name")).toString();
            const QString targetId = targetNs + u'/' + targetName;
            const Entity *targetPackage = m_entities.find(targetId);
            if (!targetPackage || targetPackage->collection != Collection::Packages)
                throw ApiError{404, Messages::notFound};
            if (targetNs != caller.ns && !isShared(targetId))
                throw forbidden(targetId);
            resolved.params = KeyValues::merged(parameters(*targetPackage), parameters(package));
            resolved.bindingPath = packageId;
            resolved.name = QualifiedName{targetNs, targetName, requested.name};
        } else {
            resolved.params = parameters(package);
            resolved.name = requested;
        }
        resolved.filterPackage = requested.package;
        actionDocId = resolved.name.relative();
    }
    const Entity *action = m_entities.find(actionDocId);
    if (!action)
        throw ApiError{404, Messages::notFound};
    if (action->collection != Collection::Actions)
        throw ApiError{409, Messages::conflictingCollection};
    resolved.action = action;
    resolved.doc = action->doc;
    resolved.params = KeyValues::merged(resolved.params, parameters(*action));
    return resolved;
}

} // namespace Feedscope::Engine
