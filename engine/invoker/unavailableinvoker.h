// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "invoker.h"

namespace Feedscope::Engine {

// The invoker of an engine without action runtimes: every activation completes at once as an
// honest "action developer error" that names the kind and says it is not runnable yet.
class UnavailableInvoker final : public Invoker
{
public:
    void run(const Invocation &invocation, std::function<void(InvocationOutcome)> done) override;
    QJsonObject runtimes() const override { return {}; }
    std::optional<QString> unavailableReason(const QString &kind) const override;
};

} // namespace Feedscope::Engine
