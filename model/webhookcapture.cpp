// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookcapture.h"

#include <QStringDecoder>

namespace Feedscope {

QByteArray WebhookRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

WebhookCapture::Outcome WebhookCapture::outcome() const
{
    if (status == 0)
        return Outcome::Pending;
    if (!forwarded)
        return Outcome::Refused;
    switch (status) {
    case 202: return Outcome::Fired;
    case 204: return Outcome::NoActiveRule;
    case 429: return Outcome::Throttled;
    default: return status >= 200 && status < 300 ? Outcome::Fired : Outcome::Failed;
    }
}

qint64 WebhookCapture::cost() const
{
    qint64 bytes = request.method.size() + request.path.size() + request.query.size()
                   + request.body.size() + response.size() + error.size() * 2;
    for (const auto &h : request.headers)
        bytes += h.first.size() + h.second.size() + 4;
    // The row's fixed fields and its bookkeeping, so that empty requests are not free.
    return bytes + 256;
}

QString WebhookCapture::sourceName(Source source)
{
    switch (source) {
    case Source::Relay: return QStringLiteral("relay");
    case Source::Console: return QStringLiteral("console");
    case Source::Replay: return QStringLiteral("replay");
    }
    return {};
}

WebhookCapture::Source WebhookCapture::sourceFromName(const QString &name)
{
    if (name == u"console")
        return Source::Console;
    if (name == u"replay")
        return Source::Replay;
    return Source::Relay;
}

std::optional<QString> utf8Text(const QByteArray &bytes)
{
    if (bytes.contains('\0'))
        return std::nullopt;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

QByteArray withoutSecrets(QByteArray data, const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets) {
        if (secret.size() >= 8)
            data.replace(secret, "***");
    }
    return data;
}

} // namespace Feedscope
