// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the webhook relay suites (tst_webhookrelay, tst_webhookcapturemodel): an engine with
// trigger `door` (rule r_door to the echo action `echo`) and trigger `idle` (no rule), and a relay
// forwarding to it from a fresh directory per test.
#pragma once

#include "feedtesting.h"
#include "webhookrelay.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace Feedscope::Testing {

class WebhookRelayFixture
{
protected:
    EngineProcess m_engine;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WebhookRelay> m_relay;

    WhiskEndpoint endpoint() const
    {
        return WhiskEndpoint{
            m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")};
    }

    void startEngine()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(setUpTrigger(m_engine, QStringLiteral("door"), QStringLiteral("echo")));
        QVERIFY(setUpTrigger(m_engine, QStringLiteral("idle")));
    }

    // A relay on m_dir, listening; unless told not to, once its history was read.
    void openRelay(bool waitForHistory = true)
    {
        if (!m_dir)
            m_dir = std::make_unique<QTemporaryDir>();
        m_relay = std::make_unique<WebhookRelay>(m_dir->path());
        m_relay->setEndpoint(endpoint());
        QVERIFY2(m_relay->start(), qPrintable(m_relay->errorString()));
        if (waitForHistory)
            QVERIFY(waitFor([this] { return m_relay->isLoaded(); }));
    }

    void closeRelayAndDirectory()
    {
        m_relay.reset();
        m_dir.reset();
    }

    // Runs `send` (a relay call taking a context and a callback) and waits for its capture.
    template<typename Send>
    WebhookCapture awaitSend(Send send)
    {
        std::optional<WebhookCapture> done;
        QObject context;
        send(&context, WebhookRelay::CaptureCallback([&](const WebhookCapture &c) { done = c; }));
        waitFor([&] { return done.has_value(); });
        return done.value_or(WebhookCapture());
    }
};

} // namespace Feedscope::Testing
