// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Feedscope::Engine {

// The limits the engine enforces. `openwhisk` is the production default set of PROTOCOL.md
// 1.11; `local` keeps the per-action and size limits but lifts the per-minute and concurrency
// throttles that would only get in the way of a developer on one machine.
struct EngineLimits
{
    QString profile;
    int invocationsPerMinute = 0; // 0 = not throttled
    int firesPerMinute = 0;       // 0 = not throttled
    int concurrentInvocations = 0;
    int sequenceMaxLength = 50;
    // Activations accepted and not finished (waiting for a runner or running), all namespaces
    // together; past it invokes and fires are answered 429 instead of queueing without bound.
    // 0 = unbounded. At ~2 KB of arguments each, 10,000 hold ~20 MB and drain in seconds.
    int maxQueued = 10000;

    int minTimeoutMs = 100;
    int maxTimeoutMs = 300000;
    int defaultTimeoutMs = 60000;
    int minMemoryMb = 128;
    int maxMemoryMb = 512;
    int defaultMemoryMb = 256;
    int minLogsMb = 0;
    int maxLogsMb = 10;
    int defaultLogsMb = 10;

    qint64 maxPayloadBytes = 1024 * 1024;     // activation payload and parameters: 1 MB
    qint64 maxCodeBytes = 48LL * 1024 * 1024; // action code: 48 MB
    qint64 maxResultBytes = 1024 * 1024;

    static std::optional<EngineLimits> forProfile(const QString &name);

    // GET /api/v1/namespaces/{ns}/limits (PROTOCOL.md 1.5).
    QJsonObject namespaceLimitsJson() const;
    // The "limits" object of GET / (PROTOCOL.md 1.1).
    QJsonObject discoveryLimitsJson() const;
    // The default action limits object {timeout, memory, logs, concurrency}.
    QJsonObject defaultActionLimits() const;
};

} // namespace Feedscope::Engine
