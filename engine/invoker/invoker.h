// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/activation.h"
#include "core/identity.h"
#include "entityname.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace Feedscope::Engine {

// Everything an invoker needs to run one activation of a resolved action.
struct Invocation
{
    QString activationId;
    QByteArray transactionId;
    Identity caller;
    QualifiedName action;  // the real action (bindings resolved)
    QJsonObject actionDoc; // its stored document: exec, limits, annotations, version
    QJsonObject params;    // package < binding < action < payload, merged
    qint64 deadline = 0;   // epoch ms
};

// What running the code produced; the activator turns it into the activation record.
struct InvocationOutcome
{
    ActivationStatus status = ActivationStatus::Success;
    QJsonValue result = QJsonObject();
    std::optional<qint64> size;
    QStringList logs;
    qint64 start = 0;
    qint64 end = 0;
    qint64 waitTime = 0;
    std::optional<qint64> initTime; // cold starts only
    bool timedOut = false;
};

// Runs action code. Issue B provides the process-based implementation; the engine holds the
// interface so triggers, rules and the invoke API do not depend on how code runs.
class Invoker
{
public:
    virtual ~Invoker() = default;

    virtual void run(const Invocation &invocation, std::function<void(InvocationOutcome)> done) = 0;
    // Runtime families for GET / ("runtimes"), only those that can really run here.
    virtual QJsonObject runtimes() const = 0;
    // Why actions of `kind` cannot run here, or nothing when they can.
    virtual std::optional<QString> unavailableReason(const QString &kind) const = 0;
};

} // namespace Feedscope::Engine
