// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "whiskclient.h"

#include <QJsonObject>
#include <QObject>
#include <QWebSocket>

namespace Feedscope {

// The client end of feedscope-engine's activity stream (README "Activity stream"): a WebSocket
// on /api/v1/namespaces/{ns}/activations with the REST API's Basic auth. It sends
// {"type":"hello"} once subscribed, then {"type":"activation","activation":{summary}} per
// committed record, and {"type":"gap","missed":N} after dropping N for a slow reader. Any other
// OpenWhisk answers the upgrade with a plain list, which ends here as closed() before hello().
class ActivationPushClient : public QObject
{
    Q_OBJECT

public:
    explicit ActivationPushClient(const WhiskEndpoint &endpoint, QObject *parent = nullptr);
    ~ActivationPushClient() override;

    static QUrl streamUrl(const WhiskEndpoint &endpoint);

    void open();
    void close();
    bool isSubscribed() const { return m_subscribed; }

Q_SIGNALS:
    void hello();
    void activation(const QJsonObject &summary);
    void gap(qint64 missed);
    // The connection failed or ended; emitted once per open().
    void closed(const QString &reason);

private:
    void onMessage(const QString &message);
    void finish(const QString &reason);

    WhiskEndpoint m_endpoint;
    QWebSocket m_socket;
    bool m_subscribed = false;
    bool m_finished = true;
};

} // namespace Feedscope
