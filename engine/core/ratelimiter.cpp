// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratelimiter.h"

#include "ids.h"

namespace Feedscope::Engine {

RateLimiter::RateLimiter(const EngineLimits &limits)
    : m_limits(limits)
{}

std::optional<QString> RateLimiter::count(Window &window, int allowed)
{
    if (allowed <= 0)
        return std::nullopt;
    const qint64 minute = nowMs() / 60000;
    if (window.minute != minute) {
        window.minute = minute;
        window.count = 0;
    }
    // Like the controller's RateThrottler, every attempt counts, refused ones included.
    ++window.count;
    if (window.count > allowed) {
        return QStringLiteral("Too many requests in the last minute (count: %1, allowed: %2).")
            .arg(window.count)
            .arg(allowed);
    }
    return std::nullopt;
}

std::optional<QString> RateLimiter::admitInvocation(const QString &ns)
{
    if (auto refused = count(m_invocations[ns], m_limits.invocationsPerMinute))
        return refused;
    int &inFlight = m_inFlight[ns];
    if (m_limits.concurrentInvocations > 0 && inFlight >= m_limits.concurrentInvocations) {
        return QStringLiteral("Too many concurrent requests in flight (count: %1, allowed: %2).")
            .arg(inFlight)
            .arg(m_limits.concurrentInvocations);
    }
    ++inFlight;
    return std::nullopt;
}

std::optional<QString> RateLimiter::admitFire(const QString &ns)
{
    return count(m_fires[ns], m_limits.firesPerMinute);
}

void RateLimiter::release(const QString &ns)
{
    auto it = m_inFlight.find(ns);
    if (it != m_inFlight.end() && it.value() > 0)
        --it.value();
}

} // namespace Feedscope::Engine
