// SPDX-License-Identifier: GPL-3.0-or-later
#include "activator.h"

#include "apierror.h"
#include "enginelimits.h"
#include "ids.h"
#include "invoker/invoker.h"
#include "keyvalues.h"
#include "ratelimiter.h"
#include "store/activationstore.h"

namespace Feedscope::Engine {

Activator::Activator(ActivationStore &activations,
                     RateLimiter &limiter,
                     const EngineLimits &limits,
                     Invoker &invoker)
    : m_activations(activations)
    , m_limiter(limiter)
    , m_limits(limits)
    , m_invoker(invoker)
{}

QString Activator::start(const Request &request, Done done)
{
    const QJsonObject &actionDoc = request.action.action->doc;
    const QJsonArray annotations = actionDoc.value(QLatin1String("annotations")).toArray();
    const QJsonObject defined = KeyValues::toObject(request.action.params);

    // With `final: true` every parameter defined before the invocation is immutable.
    if (KeyValues::isTrue(annotations, u"final")) {
        for (auto it = request.payload.begin(); it != request.payload.end(); ++it) {
            if (defined.contains(it.key()) && !defined.value(it.key()).isNull())
                throw ApiError{400, Messages::finalParameters};
        }
    }
    if (auto refused = m_limiter.admitInvocation(request.caller.ns))
        throw ApiError{429, *refused};

    QJsonObject params = defined;
    for (auto it = request.payload.begin(); it != request.payload.end(); ++it)
        params.insert(it.key(), it.value());

    const int timeout = actionDoc.value(QLatin1String("limits"))
                            .toObject()
                            .value(QLatin1String("timeout"))
                            .toInt(m_limits.defaultTimeoutMs);
    Invocation invocation{newActivationId(),
                          request.transactionId,
                          request.caller,
                          request.action.name,
                          actionDoc,
                          params,
                          nowMs() + timeout};
    const QString activationId = invocation.activationId;
    m_invoker.run(invocation, [this, request, activationId, done](InvocationOutcome outcome) {
        const Activation activation = record(request, activationId, outcome);
        m_activations.insert(activation);
        m_limiter.release(request.caller.ns);
        if (done)
            done(activation);
    });
    return activationId;
}

Activation Activator::record(const Request &request,
                             const QString &activationId,
                             const InvocationOutcome &outcome) const
{
    const QJsonObject &actionDoc = request.action.action->doc;
    const QJsonObject exec = actionDoc.value(QLatin1String("exec")).toObject();
    QJsonObject limits = m_limits.defaultActionLimits();
    const QJsonObject actionLimits = actionDoc.value(QLatin1String("limits")).toObject();
    for (auto it = actionLimits.begin(); it != actionLimits.end(); ++it)
        limits.insert(it.key(), it.value());

    Activation a;
    a.ns = request.caller.ns;
    a.name = request.action.name.name;
    a.version = actionDoc.value(QLatin1String("version")).toString();
    a.subject = request.caller.subject;
    a.activationId = activationId;
    a.package = request.action.filterPackage;
    a.start = outcome.start;
    a.end = qMax(outcome.end, outcome.start);
    a.status = outcome.status;
    a.result = outcome.result;
    a.size = outcome.size;
    a.logs = outcome.logs;
    a.cause = request.cause;

    QJsonArray annotations{
        QJsonObject{{QStringLiteral("key"), QStringLiteral("path")},
                    {QStringLiteral("value"), request.action.name.relative()}},
        QJsonObject{{QStringLiteral("key"), QStringLiteral("waitTime")},
                    {QStringLiteral("value"), outcome.waitTime}},
        QJsonObject{{QStringLiteral("key"), QStringLiteral("kind")},
                    {QStringLiteral("value"), exec.value(QLatin1String("kind"))}},
        QJsonObject{{QStringLiteral("key"), QStringLiteral("timeout")},
                    {QStringLiteral("value"), outcome.timedOut}},
        QJsonObject{{QStringLiteral("key"), QStringLiteral("limits")},
                    {QStringLiteral("value"), limits}},
    };
    if (outcome.initTime) {
        annotations.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("initTime")},
                                       {QStringLiteral("value"), *outcome.initTime}});
    }
    if (!request.action.bindingPath.isEmpty()) {
        annotations.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("binding")},
                                       {QStringLiteral("value"), request.action.bindingPath}});
    }
    a.annotations = annotations;
    return a;
}

} // namespace Feedscope::Engine
