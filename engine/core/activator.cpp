// SPDX-License-Identifier: GPL-3.0-or-later
#include "activator.h"

#include "apierror.h"
#include "enginelimits.h"
#include "ids.h"
#include "invoker/invoker.h"
#include "keyvalues.h"
#include "ratelimiter.h"
#include "store/activationstore.h"
#include "store/pendingactivations.h"

namespace Feedscope::Engine {

namespace {

QJsonObject annotation(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
}

QString kindOf(const QJsonObject &actionDoc)
{
    return actionDoc.value(QLatin1String("exec"))
        .toObject()
        .value(QLatin1String("kind"))
        .toString();
}

} // namespace

// One running sequence: its components run one after the other, each fed the previous result.
struct Activator::Sequence
{
    Request request;
    QString activationId;
    Origin origin = Origin::Direct;
    QStringList components;
    qsizetype next = 0;
    QJsonObject params;
    QStringList componentIds;
    InvocationOutcome outcome;
    Done done;
};

Activator::Activator(ActivationStore &activations,
                     PendingActivations &pending,
                     RateLimiter &limiter,
                     const EngineLimits &limits,
                     Invoker &invoker,
                     const Resolver &resolver)
    : m_activations(activations)
    , m_pending(pending)
    , m_limiter(limiter)
    , m_limits(limits)
    , m_invoker(invoker)
    , m_resolver(resolver)
{}

QString Activator::start(const Request &request, Done done)
{
    const QJsonObject &actionDoc = request.action.doc;
    const QJsonArray annotations = actionDoc.value(QLatin1String("annotations")).toArray();
    QJsonObject params = KeyValues::toObject(request.action.params);

    // With `final: true` every parameter defined before the invocation is immutable.
    if (KeyValues::isTrue(annotations, u"final")) {
        for (auto it = request.payload.begin(); it != request.payload.end(); ++it) {
            if (params.contains(it.key()) && !params.value(it.key()).isNull())
                throw ApiError{400, Messages::finalParameters};
        }
    }
    if (auto refused = queueRefusal())
        throw ApiError{429, *refused};
    if (auto refused = m_limiter.admitInvocation(request.caller.ns))
        throw ApiError{429, *refused};

    if (kindOf(actionDoc) == u"sequence")
        params.remove(QStringLiteral("_actions"));
    for (auto it = request.payload.begin(); it != request.payload.end(); ++it)
        params.insert(it.key(), it.value());

    const QString activationId = newActivationId();
    const QString ns = request.caller.ns;
    // Written before the id leaves this function, so it is in the batch whose commit the reply
    // naming it waits for; an outcome arriving at once (a missing runtime) is still recorded
    // after it.
    InvocationOutcome stopped;
    stopped.status = ActivationStatus::WhiskError;
    stopped.result
        = QJsonObject{{QStringLiteral("error"), PendingActivations::stoppedMessage()}};
    stopped.start = stopped.end = nowMs();
    const qint64 pendingRow = m_pending.add(record(request, activationId, stopped, Origin::Direct));
    if (pendingRow < 0) {
        m_limiter.release(ns);
        throw ApiError{500, Messages::internalError};
    }
    launch(request,
           activationId,
           params,
           Origin::Direct,
           [this, ns, pendingRow, done](const Activation &activation) {
               m_pending.finish(pendingRow);
               m_limiter.release(ns);
               if (done)
                   done(activation);
           });
    return activationId;
}

std::optional<QString> Activator::queueRefusal(qint64 count) const
{
    const qint64 queued = m_pending.count();
    if (m_limits.maxQueued <= 0 || queued + count <= m_limits.maxQueued)
        return std::nullopt;
    return QStringLiteral("Too many concurrent requests in flight (count: %1, allowed: %2).")
        .arg(queued)
        .arg(m_limits.maxQueued);
}

void Activator::launch(const Request &request,
                       const QString &activationId,
                       const QJsonObject &params,
                       Origin origin,
                       Done done)
{
    const QJsonObject &actionDoc = request.action.doc;
    if (kindOf(actionDoc) == u"sequence") {
        runSequence(request, activationId, params, origin, std::move(done));
        return;
    }
    const int timeout = actionDoc.value(QLatin1String("limits"))
                            .toObject()
                            .value(QLatin1String("timeout"))
                            .toInt(m_limits.defaultTimeoutMs);
    Invocation invocation{activationId,
                          request.transactionId,
                          request.caller,
                          request.action.name,
                          actionDoc,
                          params,
                          nowMs() + timeout};
    m_invoker.run(invocation,
                  [this, request, activationId, origin, done](InvocationOutcome outcome) {
                      if (m_abandoned)
                          return;
                      const Activation activation = record(request, activationId, outcome, origin);
                      m_activations.insert(activation);
                      if (done)
                          done(activation);
                  });
}

void Activator::runSequence(const Request &request,
                            const QString &activationId,
                            const QJsonObject &params,
                            Origin origin,
                            Done done)
{
    auto sequence = std::make_shared<Sequence>();
    sequence->request = request;
    sequence->activationId = activationId;
    sequence->origin = origin;
    sequence->params = params;
    sequence->done = std::move(done);
    sequence->outcome.start = nowMs();
    for (const QJsonValue &component : request.action.doc.value(QLatin1String("exec"))
                                           .toObject()
                                           .value(QLatin1String("components"))
                                           .toArray()) {
        sequence->components.append(component.toString());
    }
    if (sequence->components.size() > m_limits.sequenceMaxLength) {
        sequence->outcome.status = ActivationStatus::ApplicationError;
        sequence->outcome.result = QJsonObject{
            {QStringLiteral("error"), QStringLiteral("Too many actions in the sequence.")}};
        finishSequence(sequence);
        return;
    }
    nextComponent(sequence);
}

void Activator::nextComponent(const std::shared_ptr<Sequence> &sequence)
{
    if (sequence->next >= sequence->components.size()) {
        finishSequence(sequence);
        return;
    }
    const QString component = sequence->components[sequence->next++];
    Request step;
    step.caller = sequence->request.caller;
    step.transactionId = sequence->request.transactionId;
    step.cause = sequence->activationId;
    try {
        auto name = QualifiedName::parse(component, sequence->request.caller.ns);
        if (!name)
            throw ApiError{404, Messages::notFound};
        if (name->ns == DefaultNamespace)
            name->ns = sequence->request.caller.ns;
        step.action = m_resolver.resolveAction(step.caller, *name);
    } catch (const ApiError &) {
        sequence->outcome.status = ActivationStatus::ApplicationError;
        sequence->outcome.result = QJsonObject{
            {QStringLiteral("error"), QStringLiteral("Sequence component does not exist.")}};
        finishSequence(sequence);
        return;
    }
    // The component sees its own parameters, overridden by what the previous step produced.
    QJsonObject params = KeyValues::toObject(step.action.params);
    if (kindOf(step.action.doc) == u"sequence")
        params.remove(QStringLiteral("_actions"));
    for (auto it = sequence->params.begin(); it != sequence->params.end(); ++it)
        params.insert(it.key(), it.value());

    const QString componentId = newActivationId();
    sequence->componentIds.append(componentId);
    launch(step,
           componentId,
           params,
           Origin::SequenceComponent,
           [this, sequence](const Activation &activation) {
               sequence->outcome.status = activation.status;
               sequence->outcome.result = activation.result;
               sequence->outcome.size = activation.size;
               if (!activation.isSuccess() || !activation.result.isObject()) {
                   // The first failure ends the chain (an array result cannot feed the next
                   // component, which needs an object).
                   if (activation.isSuccess() && sequence->next < sequence->components.size()) {
                       sequence->outcome.status = ActivationStatus::ApplicationError;
                       sequence->outcome.result = QJsonObject{
                           {QStringLiteral("error"),
                            QStringLiteral("Sequence component returned a non-object result.")}};
                   }
                   finishSequence(sequence);
                   return;
               }
               sequence->params = activation.result.toObject();
               nextComponent(sequence);
           });
}

void Activator::finishSequence(const std::shared_ptr<Sequence> &sequence)
{
    if (m_abandoned)
        return;
    sequence->outcome.end = nowMs();
    sequence->outcome.logs = sequence->componentIds;
    const Activation activation
        = record(sequence->request, sequence->activationId, sequence->outcome, sequence->origin);
    m_activations.insert(activation);
    if (sequence->done)
        sequence->done(activation);
}

Activation Activator::record(const Request &request,
                             const QString &activationId,
                             const InvocationOutcome &outcome,
                             Origin origin) const
{
    const QJsonObject &actionDoc = request.action.doc;
    const QString kind = kindOf(actionDoc);
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

    QJsonArray annotations{annotation(QStringLiteral("path"), request.action.name.relative())};
    if (kind == u"sequence") {
        annotations.append(annotation(QStringLiteral("kind"), kind));
        annotations.append(annotation(QStringLiteral("limits"), limits));
        if (origin == Origin::Direct)
            annotations.append(annotation(QStringLiteral("topmost"), true));
    } else {
        annotations.append(annotation(QStringLiteral("waitTime"), outcome.waitTime));
        annotations.append(annotation(QStringLiteral("kind"), kind));
        annotations.append(annotation(QStringLiteral("timeout"), outcome.timedOut));
        annotations.append(annotation(QStringLiteral("limits"), limits));
        if (outcome.initTime)
            annotations.append(annotation(QStringLiteral("initTime"), *outcome.initTime));
    }
    if (origin == Origin::SequenceComponent)
        annotations.append(annotation(QStringLiteral("causedBy"), QStringLiteral("sequence")));
    if (!request.action.bindingPath.isEmpty())
        annotations.append(annotation(QStringLiteral("binding"), request.action.bindingPath));
    a.annotations = annotations;
    return a;
}

} // namespace Feedscope::Engine
