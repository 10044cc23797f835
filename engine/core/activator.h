// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activation.h"
#include "resolver.h"

#include <QJsonObject>

#include <functional>

namespace Feedscope::Engine {

class ActivationStore;
class Invoker;
class RateLimiter;
struct EngineLimits;

// Starts activations of resolved actions: admits them against the throttles, checks `final`
// parameters, hands them to the invoker and turns each outcome into a stored activation record
// (PROTOCOL.md 2.1). The invoke API and trigger fires both come through here.
class Activator
{
public:
    struct Request
    {
        Identity caller;
        ResolvedAction action;
        QJsonObject payload;
        QByteArray transactionId;
        QString cause;
    };
    // Called once the record is written to the current batch.
    using Done = std::function<void(const Activation &)>;

    Activator(ActivationStore &activations,
              RateLimiter &limiter,
              const EngineLimits &limits,
              Invoker &invoker);

    // Returns the new activation id. Throws ApiError 400 (final parameters) or 429 (throttled).
    QString start(const Request &request, Done done);

private:
    Activation record(const Request &request,
                      const QString &activationId,
                      const struct InvocationOutcome &outcome) const;

    ActivationStore &m_activations;
    RateLimiter &m_limiter;
    const EngineLimits &m_limits;
    Invoker &m_invoker;
};

} // namespace Feedscope::Engine
