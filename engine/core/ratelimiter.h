// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "enginelimits.h"

#include <QHash>
#include <QString>

#include <optional>

namespace Feedscope::Engine {

// Per-namespace throttles with the controller's semantics and messages (PROTOCOL.md 1.3,
// ActivationThrottler.scala): a count per wall-clock minute for invocations and for trigger
// fires, and a count of activations in flight.
class RateLimiter
{
public:
    explicit RateLimiter(const EngineLimits &limits);

    // Each returns the 429 message when the call is refused; a call that passes is counted.
    std::optional<QString> admitInvocation(const QString &ns);
    std::optional<QString> admitFire(const QString &ns);
    void release(const QString &ns); // an admitted invocation finished

private:
    struct Window
    {
        qint64 minute = -1;
        int count = 0;
    };
    static std::optional<QString> count(Window &window, int allowed);

    EngineLimits m_limits;
    QHash<QString, Window> m_invocations;
    QHash<QString, Window> m_fires;
    QHash<QString, int> m_inFlight;
};

} // namespace Feedscope::Engine
