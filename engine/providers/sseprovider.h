// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "streamfollower.h"

namespace Feedscope::Engine {

// Server-sent events: one text/event-stream connection per trigger, firing {event, data, id}
// for every event (data parsed as JSON when it is JSON), optionally only some event types, and
// resuming with Last-Event-ID after the last event fired.
class SseProvider final : public StreamFollower
{
    Q_OBJECT

public:
    explicit SseProvider(FeedHost &host, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("sse"); }
    void configure(const QJsonObject &params, Configured done) override;
    void
    reconfigure(const QJsonObject &config, const QJsonObject &params, Configured done) override;

protected:
    QNetworkRequest streamRequest(const FeedRecord &feed) const override;
    QList<Event>
    parseLine(const FeedRecord &feed, const QByteArray &line, QJsonObject &context) override;

private:
    static std::optional<QJsonObject> validated(const QJsonObject &params, QString *error);
};

} // namespace Feedscope::Engine
