// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activation.h"
#include "resolver.h"

#include <QJsonObject>

#include <functional>
#include <memory>

namespace Feedscope::Engine {

class ActivationStore;
class Invoker;
class RateLimiter;
struct EngineLimits;
struct InvocationOutcome;

// Starts activations of resolved actions: admits them against the throttles, checks `final`
// parameters, runs sequences component by component, hands everything else to the invoker and
// turns each outcome into a stored activation record (PROTOCOL.md 2.1). The invoke API and
// trigger fires both come through here.
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
              Invoker &invoker,
              const Resolver &resolver);

    // Returns the new activation id. Throws ApiError 400 (final parameters) or 429 (throttled).
    QString start(const Request &request, Done done);

private:
    struct Sequence;
    enum class Origin { Direct, SequenceComponent };

    // Runs an admitted activation with the given effective parameters.
    void launch(const Request &request,
                const QString &activationId,
                const QJsonObject &params,
                Origin origin,
                Done done);
    void runSequence(const Request &request,
                     const QString &activationId,
                     const QJsonObject &params,
                     Origin origin,
                     Done done);
    void nextComponent(const std::shared_ptr<Sequence> &sequence);
    void finishSequence(const std::shared_ptr<Sequence> &sequence);
    Activation record(const Request &request,
                      const QString &activationId,
                      const InvocationOutcome &outcome,
                      Origin origin) const;

    ActivationStore &m_activations;
    RateLimiter &m_limiter;
    const EngineLimits &m_limits;
    Invoker &m_invoker;
    const Resolver &m_resolver;
};

} // namespace Feedscope::Engine
