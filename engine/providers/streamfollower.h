// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "provider.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QPointer>

#include <deque>
#include <memory>

class QNetworkReply;

namespace Feedscope::Engine {

// The common machinery of providers that follow a long-lived HTTP stream per trigger (CouchDB
// `_changes`, server-sent events): one connection per active feed, reconnects with exponential
// backoff, and fires the trigger for each event strictly in order, persisting the position of
// the last event fired so that a source outage or an engine restart resumes where it stopped
// (exactly once across crashes: the position is committed with the fire, FeedHost::fireAndSave).
class StreamFollower : public Provider
{
    Q_OBJECT

public:
    explicit StreamFollower(FeedHost &host, QObject *parent = nullptr);
    ~StreamFollower() override;

    void start(const FeedRecord &feed) override;
    void stop(const QString &trigger) override;
    QJsonObject stats() const override;

protected:
    struct Event
    {
        QJsonObject payload;
        QJsonObject position; // merged into the feed's state once the fire was accepted
    };

    // The request that (re)opens the stream, from the feed's config and saved state.
    virtual QNetworkRequest streamRequest(const FeedRecord &feed) const = 0;
    // Consumes one complete line of the stream; returns the events it completes. `context`
    // is per-connection parser state the subclass may use.
    virtual QList<Event>
    parseLine(const FeedRecord &feed, const QByteArray &line, QJsonObject &context) = 0;

    QNetworkAccessManager m_network;

private:
    struct Follow
    {
        FeedRecord feed;
        QPointer<QNetworkReply> reply;
        QByteArray buffer;
        QJsonObject context;
        std::deque<Event> pending;
        bool firing = false;
        int failures = 0;
        int remaining = -1; // maxTriggers
        qint64 fired = 0;
    };

    void connectStream(const QString &trigger);
    void onData(const QString &trigger);
    void onFinished(const QString &trigger, QNetworkReply *reply);
    void fireNext(const QString &trigger);

    QHash<QString, std::shared_ptr<Follow>> m_follows;
};

} // namespace Feedscope::Engine
