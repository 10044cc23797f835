// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entityname.h"
#include "identity.h"
#include "store/entitystore.h"

#include <QJsonArray>

namespace Feedscope::Engine {

// An action reference resolved through packages and bindings, with its effective parameters.
struct ResolvedAction
{
    QualifiedName name; // the real action, after following a binding
    const Entity *action = nullptr; // valid until the store changes: only for the request
    // The action's document, copied (cheaply: QJsonObject is shared), for everything that runs
    // later — an invocation outlives an update or a delete of its action (a feed's DELETE
    // removing a poll action while a poll runs).
    QJsonObject doc;
    QJsonArray params;     // package < binding < action (PROTOCOL.md 1.6)
    QString bindingPath;   // "ns/binding" when reached through a binding
    QString filterPackage; // the package segment the activation list filter matches
};

// Name resolution and entitlement, following the controller: the owner may do anything in its
// namespace; others may read and invoke only published packages and the actions inside them.
class Resolver
{
public:
    explicit Resolver(const EntityStore &entities);

    // Throws ApiError 403 / 404 / 409 like the controller.
    ResolvedAction resolveAction(const Identity &caller, const QualifiedName &requested) const;

    // Loads `docId` of `collection` for reading by `caller`; throws 403 / 404 / 409.
    const Entity &
    readable(const Identity &caller, Collection collection, const QString &docId) const;

private:
    // True if `caller` may read `docId` of another namespace: a published package that is not a
    // binding, or an action inside one.
    bool isShared(const QString &docId) const;

    const EntityStore &m_entities;
};

} // namespace Feedscope::Engine
