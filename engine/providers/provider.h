// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "feedstore.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace Feedscope::Engine {

// What a provider asks of the feed service that hosts it.
class FeedHost
{
public:
    virtual ~FeedHost() = default;

    // Fires the feed's trigger through the public fire endpoint with the owner's key, retrying
    // 408/409/429/5xx with backoff and disabling the feed on 401/403/404 (PROTOCOL.md 4.4).
    // `done(true)` once a fire was accepted (any 2xx), `done(false)` when it was given up.
    virtual void
    fire(const FeedRecord &feed, const QJsonObject &payload, std::function<void(bool)> done)
        = 0;
    // As fire(), and the feed's `state` becomes `state` in the very commit that records the
    // fire (FireCommits): a crash never both keeps the fire and loses the position, or the
    // reverse, so a stream resumes after a restart without repeating or skipping an event.
    virtual void fireAndSave(const FeedRecord &feed,
                             const QJsonObject &payload,
                             const QJsonObject &state,
                             std::function<void(bool)> done)
        = 0;
    // Persists provider progress (e.g. the last fired seq) in the feed's `state`.
    virtual void saveState(const FeedRecord &feed, const QJsonObject &state) = 0;
    // Turns the feed off with a recorded reason {kind, statusCode?, message}.
    virtual void disable(const FeedRecord &feed, const QJsonObject &reason) = 0;
    // Deletes the feed and its trigger (and, with `withRules`, the trigger's rules) — the
    // once-alarm's deleteAfterFire.
    virtual void deleteTrigger(const FeedRecord &feed, bool withRules) = 0;
};

// A connection-pattern provider living inside the engine (alarms, CouchDB changes, SSE). The
// feed service handles its REST API, storage and status; the provider validates configurations
// and produces events while a feed is active.
class Provider : public QObject
{
    Q_OBJECT

public:
    using Configured = std::function<void(std::optional<QJsonObject> config, QString error)>;

    explicit Provider(FeedHost &host, QObject *parent = nullptr)
        : QObject(parent)
        , m_host(host)
    {}

    virtual QString name() const = 0;
    // CREATE: validates the feed parameters and returns the configuration to store, or a
    // message for a 400.
    virtual void configure(const QJsonObject &params, Configured done) = 0;
    // UPDATE: merges the updatable parameters into `config`; a 400 message if none or invalid.
    virtual void reconfigure(const QJsonObject &config, const QJsonObject &params, Configured done)
        = 0;
    // Begins producing events for an active feed (also after a restart) / stops.
    virtual void start(const FeedRecord &feed) = 0;
    virtual void stop(const QString &trigger) = 0;
    // Figures for GET /feedscope/v1/providers/{p}/stats (benchmarks, diagnostics).
    virtual QJsonObject stats() const { return {}; }
    virtual void resetStats() {}

protected:
    FeedHost &m_host;
};

} // namespace Feedscope::Engine
