// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookforwarder.h"

#include "httpclient.h"
#include "webhookforward.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope {

WebhookForwarder::WebhookForwarder(QObject *parent)
    : QObject(parent)
{}

Http::ClientPool *WebhookForwarder::poolFor(const QUrl &url)
{
    const QString origin = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveUserInfo
                                        | QUrl::RemoveFragment)
                               .toString();
    Http::ClientPool *&pool = m_pools[origin];
    if (!pool) {
        pool = new Http::ClientPool(QUrl(origin), this);
        pool->setMaxConnections(maxConnections);
        // The API's answer to a fire is small; a huge one is not worth buffering.
        pool->setMaxResponseBytes(1024 * 1024);
    }
    pool->setTimeout(m_timeoutMs);
    return pool;
}

void WebhookForwarder::forward(const WhiskEndpoint &endpoint,
                               const WebhookRequest &request,
                               std::function<void(ForwardAnswer)> done)
{
    const TriggerFire fire = triggerFireFor(request);
    const QUrl url = triggerFireUrl(endpoint, request.trigger);
    Http::ClientRequest out;
    out.method = "POST";
    out.target = url.path(QUrl::FullyEncoded).toLatin1();
    for (const auto &h : fire.headers) {
        // Repeated fields combine into one list (RFC 9110 5.3): APIs often keep the last only.
        auto same = std::find_if(out.headers.begin(), out.headers.end(), [&](const auto &o) {
            return o.first.compare(h.first, Qt::CaseInsensitive) == 0;
        });
        if (same != out.headers.end())
            same->second += ", " + h.second;
        else
            out.headers.append(h);
    }
    out.headers.append(
        qMakePair(QByteArray("Authorization"), "Basic " + endpoint.authKey.toUtf8().toBase64()));
    out.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    out.body = fire.body;

    QElapsedTimer clock;
    clock.start();
    ++m_inFlight;
    poolFor(url)->send(
        std::move(out), [this, clock, done = std::move(done)](Http::ClientResponse r) {
            --m_inFlight;
            ForwardAnswer answer;
            answer.micros = clock.nsecsElapsed() / 1000;
            answer.status = r.status;
            if (r.status == 0) {
                answer.timedOut = r.timedOut;
                answer.error = r.timedOut ? tr("the API did not answer in time") : r.error;
                done(answer);
                return;
            }
            answer.body = std::move(r.body);
            answer.contentType = r.header("content-type");
            answer.requestId = r.header("x-request-id");
            answer.activationId = QString::fromLatin1(r.header("x-openwhisk-activation-id"));
            if (answer.status == 202 && answer.activationId.isEmpty()) {
                // Deployments that do not send the header still name it in the body.
                answer.activationId = QJsonDocument::fromJson(answer.body)
                                          .object()
                                          .value(QLatin1String("activationId"))
                                          .toString();
            }
            if (answer.status >= 400) {
                answer.error = QJsonDocument::fromJson(answer.body)
                                   .object()
                                   .value(QLatin1String("error"))
                                   .toString();
            }
            done(answer);
        });
}

} // namespace Feedscope
