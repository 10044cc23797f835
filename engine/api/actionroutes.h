// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "services.h"

#include <QJsonObject>

namespace Feedscope::Engine {

struct Entity;

// /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}: list, CRUD and invoke (PROTOCOL.md 1.6).
class ActionRoutes
{
public:
    explicit ActionRoutes(Services &services);
    void handle(const ApiCallPtr &call);

private:
    void list(const ApiCallPtr &call, const QString &package);
    void get(const ApiCallPtr &call, const QString &docId);
    void put(const ApiCallPtr &call, const QString &package, const QString &name);
    void remove(const ApiCallPtr &call, const QString &docId);
    void invoke(const ApiCallPtr &call, const QString &package, const QString &name);

    QJsonObject
    validatedExec(const QJsonObject &body, const QString &selfId, const Entity *existing) const;
    QJsonObject validatedLimits(const QJsonObject &body, const Entity *existing) const;
    // Throws 404 / 400 unless `package` exists in the caller's namespace and is not a binding.
    void requireWritablePackage(const ApiCall &call, const QString &package) const;

    Services &m_s;
};

// The list summary of an action (PROTOCOL.md 1.4).
QJsonObject actionSummary(const QJsonObject &doc);

} // namespace Feedscope::Engine
