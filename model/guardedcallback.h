// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <utility>

namespace Feedscope {

// An answer that is dropped with the object that asked for it (STYLE.md 13): calling it does
// nothing once `context` was destroyed, nor when `callback` is empty. Without a context (null)
// it always runs. The model's asynchronous calls that take a context answer through one.
template<typename... Args>
class GuardedCallback
{
public:
    GuardedCallback() = default;
    GuardedCallback(QObject *context, std::function<void(Args...)> callback)
        : m_context(context)
        , m_hasContext(context != nullptr)
        , m_callback(std::move(callback))
    {}

    // Whether a call would still reach the callback.
    bool isLive() const { return m_callback && (!m_hasContext || m_context); }

    // Calls back now (when live).
    void operator()(Args... args) const
    {
        if (isLive())
            m_callback(std::forward<Args>(args)...);
    }

    // Calls back on a later event-loop turn, never inside the call that asked: through the
    // context (so the call is dropped if it dies first), else through `fallback`, else through
    // the current thread's event loop.
    void post(QObject *fallback, Args... args) const
    {
        if (!isLive())
            return;
        auto call = [self = *this, args...] {
            self(args...);
        };
        if (QObject *receiver = m_hasContext ? m_context.data() : fallback)
            QMetaObject::invokeMethod(receiver, std::move(call), Qt::QueuedConnection);
        else
            QTimer::singleShot(0, std::move(call));
    }

private:
    QPointer<QObject> m_context;
    bool m_hasContext = false;
    std::function<void(Args...)> m_callback;
};

} // namespace Feedscope
