// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace Feedscope {

using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;

// One request for a trigger as the webhook relay keeps it: a delivery exactly as it arrived
// (header names in their case and order, the raw body), or what the webhook console composed.
struct WebhookRequest
{
    QString trigger;
    QByteArray method = "POST";
    QByteArray path;  // as received, percent-encoded; empty for console sends
    QByteArray query; // as received, without '?'
    HttpHeaderList headers;
    QByteArray body;

    // The first header of that name, compared without case.
    QByteArray header(const QByteArray &name) const;
    QByteArray contentType() const { return header("content-type"); }
};

// A request through the relay and what became of it. Captures are bounded in count and bytes
// (the oldest go first) and kept across restarts; the key never appears in one.
struct WebhookCapture
{
    enum class Source { Relay, Console, Replay };
    // What the sender was told, by meaning.
    enum class Outcome {
        Pending,      // forwarded, no answer yet
        Fired,        // 202: a trigger activation
        NoActiveRule, // 204: accepted, nothing ran
        Throttled,    // 429
        Refused,      // the relay refused it and forwarded nothing (413, 400, 403, 503)
        Failed,       // the API refused it (404, 401, ...) or did not answer
    };

    qint64 id = 0; // grows with arrival
    Source source = Source::Relay;
    qint64 replayOf = 0; // the capture a replay repeats (0: none)
    QDateTime receivedAt;
    WebhookRequest request;

    int status = 0;         // the HTTP status the sender got (0 while pending)
    bool forwarded = false; // sent to the trigger's API (whatever it answered)
    QString activationId;
    QString error;             // the API's `error` text, the relay's own, or the network error
    QByteArray response;       // the API's answer body (at most maxResponseBytes)
    QByteArray responseType;   // its Content-Type
    qint64 forwardMicros = -1; // the API's round trip, -1 when nothing was forwarded

    static constexpr qsizetype maxResponseBytes = 4096;

    Outcome outcome() const;
    // What the capture costs to keep: its request head and body plus the answer.
    qint64 cost() const;

    static QString sourceName(Source source);
    static Source sourceFromName(const QString &name);
};

// `bytes` decoded, when they are UTF-8 without a NUL (which no text format carries); else nothing.
std::optional<QString> utf8Text(const QByteArray &bytes);

// `data` with every occurrence of each secret (eight bytes or more: keys are long, shorter
// strings would match ordinary text) replaced by "***".
QByteArray withoutSecrets(QByteArray data, const QList<QByteArray> &secrets);

} // namespace Feedscope
