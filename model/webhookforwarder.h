// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"
#include "whiskclient.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace Feedscope {

namespace Http {
class ClientPool;
}

// What the trigger's API answered to one forwarded request, raw, so that the relay can hand it
// to the sender as it came.
struct ForwardAnswer
{
    int status = 0; // 0: no answer (network error or timeout)
    QByteArray body;
    QByteArray contentType;
    QByteArray requestId;
    QString activationId;
    QString error; // why there is no answer
    bool timedOut = false;
    qint64 micros = 0;
};

// Sends the relay's trigger fires (webhookforward.h says what a request becomes) with the
// profile's key, through a keep-alive connection pool per API origin (Http::ClientPool) rather
// than the session's WhiskClient: QNetworkAccessManager cost the relay ~280 µs of CPU per
// delivery and six connections per host, which capped it near 800 deliveries/s to a trigger
// with a rule (bench/relay.sh); and deliveries are recorded as captures rather than in the HTTP
// log, which thousands of them would flush. Each request has a timeout; none follows a redirect
// (a fire is answered, not moved) or is sent twice.
class WebhookForwarder : public QObject
{
    Q_OBJECT

public:
    explicit WebhookForwarder(QObject *parent = nullptr);

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // Connections per API origin: as many fires wait for their answers at once.
    static constexpr int maxConnections = 32;
    int inFlight() const { return m_inFlight; }

    // `done` runs once with the answer, unless the forwarder is destroyed first.
    void forward(const WhiskEndpoint &endpoint,
                 const WebhookRequest &request,
                 std::function<void(ForwardAnswer)> done);

private:
    Http::ClientPool *poolFor(const QUrl &url);

    QHash<QString, Http::ClientPool *> m_pools; // by origin, kept: answers may still be due
    int m_timeoutMs = 30000;
    int m_inFlight = 0;
};

} // namespace Feedscope
