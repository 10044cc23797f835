// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookcapturetext.h"

#include "webhookcapturemodel.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocale>

namespace Feedscope::Ui::WebhookCaptureText {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("WebhookCaptureText", text);
}

QString body(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return tr("(no body)");
    if (const auto text = printable(bytes))
        return *text;
    return tr("(%1 bytes, not text)\n").arg(bytes.size()) + hexDump(bytes);
}

} // namespace

std::optional<QString> printable(const QByteArray &bytes)
{
    // Text, but also no control bytes other than line breaks and tabs: those show as a hex dump.
    for (const char c : bytes) {
        const auto u = uchar(c);
        if ((u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f)
            return std::nullopt;
    }
    return utf8Text(bytes);
}

QString hexDump(const QByteArray &bytes)
{
    QString out;
    for (qsizetype line = 0; line < bytes.size(); line += 16) {
        const QByteArray chunk = bytes.mid(line, 16);
        QString hex;
        QString ascii;
        for (const char c : chunk) {
            hex += QStringLiteral("%1 ").arg(uchar(c), 2, 16, QLatin1Char('0'));
            ascii += uchar(c) >= 0x20 && uchar(c) < 0x7f ? QLatin1Char(c) : QLatin1Char('.');
        }
        out += QStringLiteral("%1  %2 %3\n")
                   .arg(line, 8, 16, QLatin1Char('0'))
                   .arg(hex, -48)
                   .arg(ascii);
    }
    return out;
}

QString request(const WebhookCapture &c, const WebhookCapture *original)
{
    QString out;
    if (c.source == WebhookCapture::Source::Console) {
        out += tr("Sent from the console to trigger %1\n").arg(c.request.trigger);
    } else {
        if (c.source == WebhookCapture::Source::Replay) {
            out += original ? tr("Replay of the %1 capture of %2\n")
                                  .arg(WebhookCapture::sourceName(original->source),
                                       original->receivedAt.toLocalTime().toString(
                                           QStringLiteral("HH:mm:ss.zzz")))
                            : tr("Replay of a capture no longer kept\n");
        }
        QString target = QString::fromLatin1(c.request.path);
        if (!c.request.query.isEmpty())
            target += u'?' + QString::fromLatin1(c.request.query);
        out += target.isEmpty() ? tr("%1 to trigger %2\n")
                                      .arg(QString::fromLatin1(c.request.method), c.request.trigger)
                                : QString::fromLatin1(c.request.method) + u' ' + target + u'\n';
    }
    for (const auto &h : c.request.headers)
        out += QString::fromLatin1(h.first) + QStringLiteral(": ") + QString::fromUtf8(h.second)
               + u'\n';
    return out + u'\n' + body(c.request.body);
}

QString outcome(const WebhookCapture &c)
{
    QString out = WebhookCaptureModel::outcomeText(c) + u'\n';
    if (c.forwardMicros >= 0)
        out += tr("Forwarded to the trigger; the API answered in %1 ms.\n")
                   .arg(QLocale().toString(double(c.forwardMicros) / 1000.0, 'f', 1));
    else if (c.status != 0)
        out += tr("Not forwarded: nothing reached the trigger.\n");
    if (!c.response.isEmpty()) {
        out += u'\n' + QString::fromLatin1(c.responseType) + u'\n';
        const QJsonDocument json = QJsonDocument::fromJson(c.response);
        out += json.isNull() ? body(c.response)
                             : QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    }
    return out;
}

} // namespace Feedscope::Ui::WebhookCaptureText
