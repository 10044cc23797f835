// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationpush.h"

#include <QJsonDocument>
#include <QNetworkRequest>

namespace Feedscope {

ActivationPushClient::ActivationPushClient(const WhiskEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ActivationPushClient::onMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        finish(m_socket.errorString().isEmpty() ? QStringLiteral("the stream was closed")
                                                : m_socket.errorString());
    });
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        finish(m_socket.errorString());
    });
}

ActivationPushClient::~ActivationPushClient()
{
    m_finished = true; // no signal from a dying object
    m_socket.abort();
}

QUrl ActivationPushClient::streamUrl(const WhiskEndpoint &endpoint)
{
    QUrl url(endpoint.baseUrl()); // ".../api/v1/"
    url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QString ns = endpoint.ns.isEmpty() ? QStringLiteral("_") : endpoint.ns;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + QStringLiteral("namespaces/") + ns + QStringLiteral("/activations"));
    // Whole records (the engine's extension): payloads and rule outcomes without a second request.
    url.setQuery(QStringLiteral("docs=true"));
    return url;
}

void ActivationPushClient::open()
{
    m_subscribed = false;
    m_finished = false;
    QNetworkRequest request(streamUrl(m_endpoint));
    request.setRawHeader("Authorization", "Basic " + m_endpoint.authKey.toUtf8().toBase64());
    m_socket.open(request);
}

void ActivationPushClient::close()
{
    m_finished = true;
    m_subscribed = false;
    m_socket.abort();
}

void ActivationPushClient::onMessage(const QString &message)
{
    const QJsonObject o = QJsonDocument::fromJson(message.toUtf8()).object();
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == u"activation") {
        Q_EMIT activation(o.value(QLatin1String("activation")).toObject());
    } else if (type == u"gap") {
        Q_EMIT gap(o.value(QLatin1String("missed")).toInteger());
    } else if (type == u"hello") {
        m_subscribed = true;
        Q_EMIT hello();
    }
}

void ActivationPushClient::finish(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_subscribed = false;
    Q_EMIT closed(reason);
}

} // namespace Feedscope
