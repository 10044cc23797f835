// SPDX-License-Identifier: GPL-3.0-or-later
#include "enginelimits.h"

namespace Feedscope::Engine {

namespace {
// What `local` reports for the throttles it does not enforce: clients that read the limits
// get a number, not a surprise null.
constexpr int unthrottledReport = 1000000;
} // namespace

std::optional<EngineLimits> EngineLimits::forProfile(const QString &name)
{
    EngineLimits limits;
    limits.profile = name;
    if (name == u"openwhisk") {
        limits.invocationsPerMinute = 60;
        limits.firesPerMinute = 60;
        limits.concurrentInvocations = 30;
        return limits;
    }
    if (name == u"local")
        return limits;
    return std::nullopt;
}

QJsonObject EngineLimits::namespaceLimitsJson() const
{
    auto reported = [](int value) {
        return value > 0 ? value : unthrottledReport;
    };
    return QJsonObject{
        {QStringLiteral("invocationsPerMinute"), reported(invocationsPerMinute)},
        {QStringLiteral("concurrentInvocations"), reported(concurrentInvocations)},
        {QStringLiteral("firesPerMinute"), reported(firesPerMinute)},
        {QStringLiteral("maxActionMemory"), maxMemoryMb},
        {QStringLiteral("minActionMemory"), minMemoryMb},
        {QStringLiteral("maxActionTimeout"), maxTimeoutMs},
        {QStringLiteral("minActionTimeout"), minTimeoutMs},
        {QStringLiteral("maxActionLogs"), maxLogsMb},
        {QStringLiteral("minActionLogs"), minLogsMb},
        {QStringLiteral("maxActionConcurrency"), 1},
        {QStringLiteral("minActionConcurrency"), 1},
        {QStringLiteral("maxParameterSize"), QStringLiteral("1 MB")},
        {QStringLiteral("maxActionInstances"), reported(concurrentInvocations)},
    };
}

QJsonObject EngineLimits::discoveryLimitsJson() const
{
    auto reported = [](int value) {
        return value > 0 ? value : unthrottledReport;
    };
    constexpr qint64 mb = 1024 * 1024;
    return QJsonObject{
        {QStringLiteral("actions_per_minute"), reported(invocationsPerMinute)},
        {QStringLiteral("triggers_per_minute"), reported(firesPerMinute)},
        {QStringLiteral("concurrent_actions"), reported(concurrentInvocations)},
        {QStringLiteral("sequence_length"), sequenceMaxLength},
        {QStringLiteral("min_action_duration"), minTimeoutMs},
        {QStringLiteral("max_action_duration"), maxTimeoutMs},
        {QStringLiteral("min_action_memory"), minMemoryMb * mb},
        {QStringLiteral("max_action_memory"), maxMemoryMb * mb},
        {QStringLiteral("min_action_logs"), minLogsMb * mb},
        {QStringLiteral("max_action_logs"), maxLogsMb * mb},
    };
}

QJsonObject EngineLimits::defaultActionLimits() const
{
    return QJsonObject{
        {QStringLiteral("timeout"), defaultTimeoutMs},
        {QStringLiteral("memory"), defaultMemoryMb},
        {QStringLiteral("logs"), defaultLogsMb},
        {QStringLiteral("concurrency"), 1},
    };
}

} // namespace Feedscope::Engine
