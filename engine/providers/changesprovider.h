// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "streamfollower.h"

namespace Feedscope::Engine {

// CouchDB `_changes` (PROTOCOL.md 5.1; the canonical cloudant feed, for any CouchDB-compatible
// server): one continuous changes connection per trigger with heartbeats, firing
// {id, seq, changes, dbname} per change and resuming after the last fired seq.
class ChangesProvider final : public StreamFollower
{
    Q_OBJECT

public:
    explicit ChangesProvider(FeedHost &host, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("changes"); }
    void configure(const QJsonObject &params, Configured done) override;
    void
    reconfigure(const QJsonObject &config, const QJsonObject &params, Configured done) override;

protected:
    QNetworkRequest streamRequest(const FeedRecord &feed) const override;
    QList<Event>
    parseLine(const FeedRecord &feed, const QByteArray &line, QJsonObject &context) override;
};

} // namespace Feedscope::Engine
