// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "services.h"

namespace Feedscope::Engine {

// /api/v1/namespaces/{ns}/triggers[/{name}]: CRUD and fire (PROTOCOL.md 1.8, 2.4).
class TriggerRoutes
{
public:
    explicit TriggerRoutes(Services &services);
    void handle(const ApiCallPtr &call);

private:
    void list(const ApiCallPtr &call);
    void put(const ApiCallPtr &call, const QString &name);
    void remove(const ApiCallPtr &call, const QString &docId);
    void fire(const ApiCallPtr &call, const QString &docId);

    Services &m_s;
};

} // namespace Feedscope::Engine
