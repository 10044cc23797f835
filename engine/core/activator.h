// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activation.h"
#include "resolver.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope::Engine {

class ActivationStore;
class Invoker;
class PendingActivations;
class RateLimiter;
struct EngineLimits;
struct InvocationOutcome;

// Starts activations of resolved actions: admits them against the throttles, checks `final`
// parameters, runs sequences component by component, hands everything else to the invoker and
// turns each outcome into a stored activation record (PROTOCOL.md 2.1). The invoke API and
// trigger fires both come through here.
//
// Every activation it starts is recorded as pending (PendingActivations) in the batch that
// acknowledges it, so an id it hands out always gets a record, even if the engine is killed
// before the action finishes. At most EngineLimits::maxQueued activations are accepted and not
// finished at a time; past that, start() is refused with a 429 instead of queueing without bound.
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
              PendingActivations &pending,
              RateLimiter &limiter,
              const EngineLimits &limits,
              Invoker &invoker,
              const Resolver &resolver);

    // Returns the new activation id. Throws ApiError 400 (final parameters), 429 (throttled or
    // the queue is full) or 500 (the pending record could not be written).
    QString start(const Request &request, Done done);
    // The controller's 429 text when `count` more activations would not fit in the queue of
    // accepted, unfinished ones; nothing when they fit.
    std::optional<QString> queueRefusal(qint64 count = 1) const;
    // The engine is stopping: outcomes that arrive from now on (runners killed on the way out)
    // are not recorded, so what was unfinished stays pending and the next start records it as
    // stopped, exactly as after a crash.
    void abandon() { m_abandoned = true; }

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
    PendingActivations &m_pending;
    RateLimiter &m_limiter;
    const EngineLimits &m_limits;
    Invoker &m_invoker;
    const Resolver &m_resolver;
    bool m_abandoned = false;
};

} // namespace Feedscope::Engine
