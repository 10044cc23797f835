// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "services.h"

namespace Feedscope::Engine {

// /api/v1/namespaces/{ns}/activations[/{id}[/logs|/result]] (PROTOCOL.md 1.10).
class ActivationRoutes
{
public:
    explicit ActivationRoutes(Services &services);
    void handle(const ApiCallPtr &call);

private:
    void list(const ApiCallPtr &call);

    Services &m_s;
};

} // namespace Feedscope::Engine
