// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "services.h"

namespace Feedscope::Engine {

// /api/v1/namespaces/{ns}/packages[/{name}]: packages and bindings (PROTOCOL.md 1.7).
class PackageRoutes
{
public:
    explicit PackageRoutes(Services &services);
    void handle(const ApiCallPtr &call);

private:
    void list(const ApiCallPtr &call);
    void get(const ApiCallPtr &call, const QString &docId);
    void put(const ApiCallPtr &call, const QString &name);
    void remove(const ApiCallPtr &call, const QString &docId);
    QJsonObject validatedBinding(const ApiCall &call, const QJsonObject &body) const;

    Services &m_s;
};

} // namespace Feedscope::Engine
