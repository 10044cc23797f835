// SPDX-License-Identifier: GPL-3.0-or-later
#include "unavailableinvoker.h"

#include "core/ids.h"

namespace Feedscope::Engine {

std::optional<QString> UnavailableInvoker::unavailableReason(const QString &kind) const
{
    return QStringLiteral("Actions of kind '%1' are not runnable yet: this feedscope-engine has "
                          "no action runtime for them.")
        .arg(kind);
}

void UnavailableInvoker::run(const Invocation &invocation,
                             std::function<void(InvocationOutcome)> done)
{
    const QString kind = invocation.actionDoc.value(QLatin1String("exec"))
                             .toObject()
                             .value(QLatin1String("kind"))
                             .toString();
    InvocationOutcome outcome;
    outcome.status = ActivationStatus::DeveloperError;
    outcome.result = QJsonObject{{QStringLiteral("error"), *unavailableReason(kind)}};
    outcome.start = outcome.end = nowMs();
    done(std::move(outcome));
}

} // namespace Feedscope::Engine
