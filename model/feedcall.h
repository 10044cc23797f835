// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

namespace Feedscope {

class WhiskClient;

// The answer of a feed action to one lifecycle event (PROTOCOL.md 3.1).
struct FeedAnswer
{
    bool ok = false;       // finished and successful
    bool finished = false; // false: the call failed or the blocking wait ran out (202)
    QJsonValue result;     // the activation result (READ: {config, status})
    QString error;         // readable: "cron pattern 'x' is not valid"
    QString activationId;
    QString activationStatus; // "success", "application error", "action developer error", ...
    int httpStatus = 0;       // the invoke's HTTP status when the call itself failed (404, 403...)
    int feedStatusCode = 0;   // result.error.statusCode when the feed reported one
    // The whole activation (logs, duration, ...) when the invoke returned it.
    std::optional<ActivationRecord> record;

    // The feed refused the event as unknown ("unsupported lifecycleEvent", "not supported").
    bool unsupported() const;
};

// Readable text of an activation's error result: {error: "x"} → "x"; {error: {error: "x",
// statusCode}} (the upstream feeds reject with the web action's body) → "x"; {error: {message}}.
QString readableFeedError(const QJsonValue &result);

// A feed lifecycle request as invokeFeed() sends it, for people to read: the key redacted.
struct FeedRequest
{
    QByteArray method;
    QUrl url;
    QJsonObject body; // authKey reads "***"

    // "POST <url>" and the pretty-printed body.
    QString toText() const;
};

// The request invokeFeed() sends for these arguments (its own key unless `authKey` is given),
// with the key redacted.
FeedRequest describeFeedRequest(const WhiskClient &client,
                                const QualifiedName &feed,
                                const QString &event,
                                const QString &triggerName,
                                const QJsonObject &params);

// Invokes `feed` blocking with lifecycleEvent, triggerName and authKey (the client's own key
// unless `authKey` is given) plus `params`; the controller merges package and binding
// parameters when `feed` names an action through a binding.
void invokeFeed(WhiskClient &client,
                const QualifiedName &feed,
                const QString &event,
                const QString &triggerName,
                const QJsonObject &params,
                QObject *context,
                std::function<void(FeedAnswer)> done,
                const QString &authKey = {});

} // namespace Feedscope
